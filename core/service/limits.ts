/** Largest program the core accepts, in UTF-8 bytes: analysis runs on the core's own thread. */
export const MAX_PROGRAM_BYTES = 1024 * 1024;

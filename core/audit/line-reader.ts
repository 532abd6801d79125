/**
 * Streams a file's lines as byte ranges, a chunk at a time (never the whole file in memory).
 */
import { open } from 'node:fs/promises';

/** Called for each complete line (`[start, end)` of `buf`, without the newline); return false to stop. */
export type LineVisitor = (buf: Buffer, start: number, end: number, fileOffset: number) => boolean | void;

export interface ReadLinesResult {
  /** Complete lines visited. */
  lines: number;
  /** Bytes after the last newline (a torn last line), 0 for a well-formed file. */
  trailingBytes: number;
  /** File offset just past the last complete line visited. */
  endOffset: number;
  /** Whether the visitor stopped the scan. */
  stopped: boolean;
}

const CHUNK = 4 << 20;

/** Visits every complete line of `file` from byte `fromOffset` (default 0). */
export async function readLines(file: string, visit: LineVisitor, fromOffset = 0): Promise<ReadLinesResult> {
  const handle = await open(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let filled = 0; // bytes in buf
    let bufOffset = fromOffset; // file offset of buf[0]
    let lines = 0;
    let eof = false;
    while (!eof) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, bufOffset + filled);
      if (bytesRead === 0) eof = true;
      filled += bytesRead;
      const view = buf.subarray(0, filled);
      let pos = 0;
      for (;;) {
        const nl = view.indexOf(10, pos);
        if (nl === -1) break;
        lines++;
        if (visit(buf, pos, nl, bufOffset + pos) === false) {
          return { lines, trailingBytes: 0, endOffset: bufOffset + nl + 1, stopped: true };
        }
        pos = nl + 1;
      }
      if (eof) return { lines, trailingBytes: filled - pos, endOffset: bufOffset + pos, stopped: false };
      buf.copy(buf, 0, pos, filled);
      filled -= pos;
      bufOffset += pos;
    }
    throw new Error('unreachable');
  } finally {
    await handle.close();
  }
}

import { defineConfig } from 'vitest/config';

// isolated-vm needs --no-node-snapshot, which only the forks pool accepts.
// Deadlines are generous on purpose: tests wait on events, and a test that fails only because the
// machine is busy (a 2-core laptop running a build) is a broken test. Timing goals live in `npm run bench`.
export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'electron/**/*.test.ts'],
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

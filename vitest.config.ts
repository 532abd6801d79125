import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// isolated-vm needs --no-node-snapshot, which only the forks pool accepts.
// Deadlines are generous on purpose: tests wait on events, and a test that fails only because the
// machine is busy (a 2-core laptop running a build) is a broken test. Timing goals live in `npm run bench`.
export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'electron/**/*.test.ts'],
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    // Most of the slow files wait on child processes (the CLI, cores, MCP servers): two files at a
    // time keep both cores of a small machine busy (Vitest would run one at a time there).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

#!/usr/bin/env node
// Entry point for `flowgate` (npx flowgate, node bin/flowgate.cjs, a global install). Works
// under any Node.
//
// - Commands that never load isolated-vm (check, verify, export, demo, help) run in this very
//   process when it is a Node 24+ that can run TypeScript (npx and npm scripts put the pinned
//   Node 24 first on the PATH): no second Node to start.
// - The others (run, serve, mcp), and every command under an older Node, re-execute on the
//   pinned Node 24 (the `node` package) with --no-node-snapshot, which isolated-vm requires.
//
// Both ways keep Node's compile cache (compiled and type-stripped modules) in
// node_modules/.cache/flowgate/compile, or under FLOWGATE_CACHE (`off` turns it off).
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'core', 'cli.ts');
const IN_PROCESS = new Set(['check', 'verify', 'export', 'demo', 'help', '--help', '-h', undefined]);

function compileCacheDir() {
  const configured = process.env.FLOWGATE_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  return path.join(configured || path.join(root, 'node_modules', '.cache', 'flowgate'), 'compile');
}

const major = Number(process.versions.node.split('.')[0]);
const runsTypeScript = major >= 24 && Boolean(process.features && process.features.typescript);
const hasSnapshotFlag = process.execArgv.includes('--no-node-snapshot');

if (runsTypeScript && (IN_PROCESS.has(process.argv[2]) || hasSnapshotFlag)) {
  const cache = compileCacheDir();
  const nodeModule = require('node:module');
  if (cache && nodeModule.enableCompileCache) nodeModule.enableCompileCache(cache);
  import(require('node:url').pathToFileURL(cli).href).catch((error) => {
    process.stderr.write(`flowgate: could not start: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 70;
  });
} else {
  const { spawn } = require('node:child_process');
  const candidates = [path.join(root, 'node_modules', 'node', 'bin', 'node'), path.join(root, 'node_modules', '.bin', 'node')];
  const pinned = candidates.find((p) => fs.existsSync(p));
  if (!pinned && !runsTypeScript) {
    process.stderr.write(`flowgate: Node 24 is required (found ${process.version}); run npm install first.\n`);
    process.exit(1);
  }
  const cache = compileCacheDir();
  const env = cache && !process.env.NODE_COMPILE_CACHE ? { ...process.env, NODE_COMPILE_CACHE: cache } : process.env;
  const child = spawn(pinned || process.execPath, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', cli, ...process.argv.slice(2)], { stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

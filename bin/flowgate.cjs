#!/usr/bin/env node
// Entry point for `npx flowgate`. Works under any Node: it re-executes the CLI on the pinned
// Node 24 (the `node` package) with --no-node-snapshot, which isolated-vm requires.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const candidates = [
  path.join(root, 'node_modules', 'node', 'bin', 'node'),
  path.join(root, 'node_modules', '.bin', 'node'),
];
const pinned = candidates.find((p) => fs.existsSync(p));
const nodeBin = pinned ?? process.execPath;
if (!pinned && Number(process.versions.node.split('.')[0]) < 24) {
  process.stderr.write(`flowgate: Node 24 is required (found ${process.version}); run npm install first.\n`);
  process.exit(1);
}
const child = spawn(nodeBin, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', path.join(root, 'core', 'cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));

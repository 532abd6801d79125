/**
 * The command line as a user meets it: whole processes, wall clock from spawn to exit.
 *
 * - start-up: `node bin/flowgate.cjs --help` on the Node that npm scripts and npx use (the pinned
 *   Node 24: the command runs in that process), on another `node` of the PATH if there is one
 *   (it re-executes on the pinned Node), and `npx flowgate --help` (npx's own cost included);
 * - `flowgate check` of a five-line program under the seed policy, warm (the start-up cache
 *   filled, as from the second check on) and cold (an empty cache: the first check after an
 *   install or an edit of the catalog).
 *
 * Medians of several runs; each run is a new process, as in a terminal or a CI step.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { median, type BenchSection } from './report.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'flowgate.cjs');
const PROGRAM = [
  `const account = await salesforce.getAccount({ accountId: 'acc_007' });`,
  `const contacts = account.contacts.length;`,
  `await salesforce.updateAccount({ accountId: account.id, fields: { status: 'active' } });`,
  `console.log('activated', account.name);`,
  `return { id: account.id, contacts };`,
].join('\n');

function wallMs(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function medianOf(runs: number, measure: () => number): number {
  return median(Array.from({ length: runs }, measure));
}

/** The first `node` on the PATH that is not the pinned one (the machine's own Node), if any. */
function otherNode(): string | undefined {
  const pinned = realpathSync(process.execPath);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      if (realpathSync(candidate) !== pinned) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const ms = (n: number) => `${Math.round(n)} ms`;

export default async function cliBench(): Promise<BenchSection> {
  const work = mkdtempSync(join(tmpdir(), 'flowgate-bench-cli-'));
  const rows: BenchSection['rows'] = [];
  const notes: string[] = [];
  try {
    const file = join(work, 'activate.ts');
    writeFileSync(file, PROGRAM);
    const env = { ...process.env, FLOWGATE_DATA: join(work, 'data') };
    const check = ['check', file, '--policy', 'seed'];

    // For scale: on a busy machine every figure here grows roughly as this one does.
    rows.push({ metric: `a bare Node start (node -e 0, Node ${process.version})`, value: ms(medianOf(9, () => wallMs(process.execPath, ['-e', '0'], env))) });
    wallMs(process.execPath, [BIN, '--help'], env); // the compile cache, as after any first run
    rows.push({ metric: `start-up: node bin/flowgate.cjs --help (Node ${process.version}, in process)`, value: ms(medianOf(9, () => wallMs(process.execPath, [BIN, '--help'], env))) });
    const other = otherNode();
    if (other) {
      const version = spawnSync(other, ['--version'], { encoding: 'utf8' }).stdout.trim();
      rows.push({ metric: `start-up: node bin/flowgate.cjs --help (${version} on the PATH, re-executes on Node 24)`, value: ms(medianOf(5, () => wallMs(other, [BIN, '--help'], env))) });
    }
    const npx = process.env.npm_execpath ? [process.execPath, [join(process.env.npm_execpath, '..', 'npx-cli.js')]] as const : ['npx', []] as const;
    try {
      rows.push({ metric: 'start-up: npx flowgate --help (npx included)', value: ms(medianOf(5, () => wallMs(npx[0], [...npx[1], '--no-install', 'flowgate', '--help'], env))) });
    } catch (error) {
      notes.push(`npx flowgate could not be measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }

    wallMs(process.execPath, [BIN, ...check], env); // fills the start-up cache
    const warm = medianOf(9, () => wallMs(process.execPath, [BIN, ...check], env));
    rows.push({ metric: 'flowgate check, 5-line program, seed policy (warm start-up cache)', value: ms(warm), goal: '≤ 500 ms', met: warm <= 500 });
    const cold = medianOf(3, () => {
      const cache = mkdtempSync(join(work, 'cache-'));
      try {
        return wallMs(process.execPath, [BIN, ...check], { ...env, FLOWGATE_CACHE: cache });
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    });
    rows.push({ metric: 'flowgate check, same, empty cache (the first run after an install)', value: ms(cold) });
    const system = other ? medianOf(5, () => wallMs(other, [BIN, ...check], env)) : undefined;
    if (system !== undefined) rows.push({ metric: 'flowgate check, warm, started from the machine\'s Node (re-executes)', value: ms(system) });
    notes.push('Whole processes, wall clock; each figure is a median. A check on the pinned Node runs in the process npm or npx started; from another Node it costs one more Node start. Compare with the bare Node start above when the machine is busy.');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { title: 'Command line (whole process)', rows, notes };
}

/**
 * `npm test`: every stage — type-check, lint, Vitest, end-to-end — runs even when an earlier
 * one failed, so one run reports every failure. Type-check and lint (one core each) run side by
 * side, their output shown when each ends; then Vitest, then Playwright. Prints a line as each
 * stage starts and a summary at the end; exits 1 when any stage failed.
 *
 * `npm test -- lint unit` runs only the named stages (typecheck, lint, unit, e2e).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

interface Stage {
  name: string;
  what: string;
  /** An npm script of package.json. */
  script: string;
  /** Stages of the same group run side by side. */
  group: number;
}

const STAGES: Stage[] = [
  { name: 'typecheck', what: 'TypeScript (tsc --noEmit)', script: 'typecheck', group: 1 },
  { name: 'lint', what: 'ESLint with the layer rules', script: 'lint', group: 1 },
  { name: 'unit', what: 'Vitest: unit, fixture, CLI and MCP tests', script: 'test:unit', group: 2 },
  { name: 'e2e', what: 'Playwright in Chromium against a real core', script: 'test:e2e', group: 3 },
];

interface Result {
  stage: Stage;
  code: number;
  seconds: number;
}

/** Runs one npm script; with `buffer`, its output is kept and printed when it ends. */
function runStage(stage: Stage, buffer: boolean): Promise<Result> {
  // npm runs on the machine's Node; each script then runs on the pinned Node 24 through PATH.
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm, 'run', '--silent', stage.script]] : ['npm', ['run', '--silent', stage.script]];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: buffer ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const output: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    const done = (code: number) => {
      const result = { stage, code, seconds: (performance.now() - started) / 1000 };
      if (buffer) process.stderr.write(`\n── ${stage.name} (${code === 0 ? 'passed' : 'FAILED'}, ${result.seconds.toFixed(1)} s) ──\n${Buffer.concat(output).toString('utf8')}`);
      resolve(result);
    };
    child.once('error', (error) => {
      output.push(Buffer.from(`test: could not start ${stage.name}: ${error.message}\n`));
      done(1);
    });
    child.once('exit', (code, signal) => done(signal ? 1 : (code ?? 1)));
  });
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !STAGES.some((s) => s.name === w));
if (unknown.length) {
  process.stderr.write(`test: unknown stage ${unknown.join(', ')} (stages: ${STAGES.map((s) => s.name).join(', ')})\n`);
  process.exit(1);
}
const stages = wanted.length ? STAGES.filter((s) => wanted.includes(s.name)) : STAGES;
const groups = [...new Set(stages.map((s) => s.group))].map((g) => stages.filter((s) => s.group === g));

const results: Result[] = [];
const started = performance.now();
for (const group of groups) {
  process.stderr.write(`\n▶ test: ${group.map((s) => `${s.name} — ${s.what}`).join(' | ')}\n`);
  results.push(...(await Promise.all(group.map((stage) => runStage(stage, group.length > 1)))));
}

const failed = results.filter((r) => r.code !== 0);
const lines = results.map((r) => `  ${r.stage.name.padEnd(9)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`}`);
process.stderr.write(`\nnpm test: ${failed.length ? `${failed.length} of ${results.length} stages failed` : `all ${results.length} stages passed`} in ${((performance.now() - started) / 1000).toFixed(1)} s\n${lines.join('\n')}\n`);
process.exitCode = failed.length ? 1 : 0;

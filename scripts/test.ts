/**
 * `npm test`: every stage — type-check, lint, Vitest, end-to-end — runs even when an earlier
 * one failed, so one run reports every failure. Prints one line per stage as it starts and a
 * summary at the end; exits 1 when any stage failed.
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
}

const STAGES: Stage[] = [
  { name: 'typecheck', what: 'TypeScript (tsc --noEmit)', script: 'typecheck' },
  { name: 'lint', what: 'ESLint with the layer rules', script: 'lint' },
  { name: 'unit', what: 'Vitest: unit, fixture, CLI and MCP tests', script: 'test:unit' },
  { name: 'e2e', what: 'Playwright in Chromium against a real core', script: 'test:e2e' },
];

function runStage(stage: Stage): Promise<number> {
  // npm runs on the machine's Node; each script then runs on the pinned Node 24 through PATH.
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm, 'run', '--silent', stage.script]] : ['npm', ['run', '--silent', stage.script]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.once('error', (error) => {
      process.stderr.write(`test: could not start ${stage.name}: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !STAGES.some((s) => s.name === w));
if (unknown.length) {
  process.stderr.write(`test: unknown stage ${unknown.join(', ')} (stages: ${STAGES.map((s) => s.name).join(', ')})\n`);
  process.exit(1);
}
const stages = wanted.length ? STAGES.filter((s) => wanted.includes(s.name)) : STAGES;

const results: Array<{ stage: Stage; code: number; seconds: number }> = [];
const started = performance.now();
for (const [i, stage] of stages.entries()) {
  process.stderr.write(`\n▶ test ${i + 1}/${stages.length}: ${stage.name} — ${stage.what}\n`);
  const t0 = performance.now();
  const code = await runStage(stage);
  results.push({ stage, code, seconds: (performance.now() - t0) / 1000 });
}

const failed = results.filter((r) => r.code !== 0);
const lines = results.map((r) => `  ${r.stage.name.padEnd(9)} ${r.seconds.toFixed(1).padStart(6)} s  ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`}`);
process.stderr.write(`\nnpm test: ${failed.length ? `${failed.length} of ${results.length} stages failed` : `all ${results.length} stages passed`} in ${((performance.now() - started) / 1000).toFixed(1)} s\n${lines.join('\n')}\n`);
process.exitCode = failed.length ? 1 : 0;

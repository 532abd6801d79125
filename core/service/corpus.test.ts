/**
 * The adversarial corpus (core/analysis/fixtures/corpus) at run time: every forbidden program is
 * run as if a human approved everything that needed approval (the CLI's --approve), against the
 * real demo servers. None may succeed: either the analysis denied it, or the runtime blocked it.
 * Benign twins are run the same way; how many complete is the runtime's precision.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../policy/index.ts';
import { resolveCatalog } from './environment.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { DEV_PROOF, Submissions } from './submissions.ts';

const dir = join(import.meta.dirname, '..', 'analysis', 'fixtures', 'corpus');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
let runtime: Runtime;
let data: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'flowgate-corpus-'));
  runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: data });
});
afterAll(async () => {
  await runtime?.close();
  rmSync(data, { recursive: true, force: true });
});

async function runApproved(file: string) {
  const source = readFileSync(join(dir, file), 'utf8');
  const policy = loadPolicy(/^\/\/ policy: (.*)$/m.exec(source)?.[1].trim() ?? 'seed');
  const submissions = new Submissions(runtime);
  const { state: submission } = submissions.submit({ source, intent: file, agent: 'corpus', policy });
  if (submission.status === 'pending-review') submissions.decide(submission.id, { decision: 'approve', who: 'corpus', reason: 'approve everything that needs approval', proof: DEV_PROOF });
  return { verdict: submission.analysis?.verdict, result: await submissions.run(submission.id, { approveAtRuntime: true, limits: { maxDurationMs: 5000 } }) };
}

describe('adversarial corpus at run time', () => {
  const forbidden = files.filter((f) => !f.includes('.benign.'));
  const benign = files.filter((f) => f.includes('.benign.'));

  it(`no forbidden program succeeds, even with everything approved (${forbidden.length} programs)`, async () => {
    expect(forbidden.length).toBeGreaterThanOrEqual(40);
    const succeeded: string[] = [];
    for (const file of forbidden) {
      const { result } = await runApproved(file);
      if (result.status === 'ok') succeeded.push(file);
    }
    expect(succeeded).toEqual([]);
  });

  it(`benign twins run to completion (${benign.length} programs)`, async () => {
    const completed: string[] = [];
    const failed: string[] = [];
    for (const file of benign) {
      const { result } = await runApproved(file);
      if (result.status === 'ok') completed.push(file);
      else failed.push(`${file}: ${result.status} ${result.error?.message.slice(0, 160)}`);
    }
    console.log(`benign twins completed at run time: ${completed.length}/${benign.length}${failed.length ? `\n  ${failed.join('\n  ')}` : ''}`);
    expect(failed).toEqual([]);
  });
});

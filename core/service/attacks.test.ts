/**
 * The red team's adversarial corpus (core/analysis/fixtures/attacks) at run time, against the
 * real demo servers, everything that needs approval approved (the CLI's --approve):
 *
 * - with the analysis (a submission, as the CLI, the MCP server and the workbench run programs);
 * - without it: `runProgram` directly with a gate that approves every prompt, whatever the static
 *   verdict — enforcement must not depend on the analysis.
 *
 * The criterion is what the demo servers received (their side effects: messages, e-mails), not
 * the run's status: a forbidden flow completed when the forbidden destination got the secret.
 * A case with a `// stage:` header runs its stage first, in an earlier run over the same data
 * directory. Each case gets a fresh data directory and fresh demo servers.
 *
 * Tests named `[hole: …]` fail because of a hole the red team found; they pass once it is fixed.
 * With the analysis, a case is marked only when the analysis does not deny it (a denied program
 * never runs, so the hole is masked there).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeProgram } from '../analysis/index.ts';
import type { AuditEvent } from '../audit/types.ts';
import { newTraceContext } from '../audit/trace.ts';
import { loadPolicy } from '../policy/index.ts';
import { runProgram } from '../sandbox/run.ts';
import type { RunResult } from '../sandbox/types.ts';
import { GuestIsolate } from '../sandbox/isolate.ts';
import { resolveCatalog } from './environment.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { DEV_PROOF, Submissions } from './submissions.ts';
import { demoTruths, handed, PROMISE, mark, observedSince, paramsFor, readAttackCase, readAttackCases, violations, type AttackCase } from './testing/attacks.ts';

const truths = demoTruths();
const cases = readAttackCases();
// Documented residue (README, Accepted residue) is measured by its cases, not judged here.
const forbidden = cases.filter((c) => c.kind === 'forbidden' && c.target !== 'host' && !c.residue);
const benign = cases.filter((c) => c.kind === 'benign');
const hostile = cases.filter((c) => c.kind === 'forbidden' && c.target === 'host');
const LIMITS = { maxDurationMs: 20_000 };
const TIMEOUT = 120_000;
/** Benign twins that complete with the analysis and everything approved (raise it when precision improves). */
const MIN_TWINS_COMPLETED_WITH_ANALYSIS = 73;

// The static verdicts, to mark the cases whose hole the analysis does not mask.
const demoCatalog = (await resolveCatalog('demo')).catalog;
const staticVerdict = new Map(forbidden.map((c) => [c.file, analyzeProgram(c.source, demoCatalog, loadPolicy(c.policy)).verdict]));

afterAll(async () => {
  await GuestIsolate.releaseSpare();
});

/** A fresh data directory with its own demo servers, labels at rest and audit log. */
async function withWorld<T>(f: (runtime: Runtime) => Promise<T>): Promise<T> {
  const data = mkdtempSync(join(tmpdir(), 'flowgate-attacks-'));
  const runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: data });
  try {
    return await f(runtime);
  } finally {
    await runtime.close();
    rmSync(data, { recursive: true, force: true });
  }
}

/** Submit, approve what needs approval, run with runtime prompts approved. */
async function submitAndRun(runtime: Runtime, c: AttackCase, params?: Record<string, unknown>): Promise<{ verdict: string; result: RunResult }> {
  const submissions = new Submissions(runtime);
  const { state: submission } = submissions.submit({ source: c.source, intent: c.file, agent: AGENT, policy: loadPolicy(c.policy), ...(params ? { params } : {}) });
  if (submission.status === 'pending-review') submissions.decide(submission.id, { decision: 'approve', who: 'red team', reason: 'approve everything that needs approval', proof: DEV_PROOF });
  const result = await submissions.run(submission.id, { approveAtRuntime: true, limits: { ...LIMITS, ...c.limits } });
  return { verdict: submission.analysis?.verdict ?? 'none', result };
}

const AGENT = 'red-team';

/**
 * Run directly, no analysis, every approval prompt answered yes. As the service does for an
 * agent: what the run hands back is recorded against the agent, and params carry what it was handed.
 */
function runBare(runtime: Runtime, c: AttackCase, audit?: AuditEvent[], params?: Record<string, unknown>): Promise<RunResult> {
  return runProgram({
    source: c.source,
    params,
    agent: AGENT,
    paramsLabels: params ? runtime.atRest.labelsForAgent(AGENT).map((a) => a.label) : undefined,
    catalog: runtime.catalog.catalog,
    policy: loadPolicy(c.policy),
    transport: runtime.transport,
    trace: newTraceContext(),
    atRest: runtime.atRest,
    approve: async () => true,
    audit: audit ? { append: (e) => void audit.push(e) } : runtime.audit,
    limits: { ...LIMITS, ...c.limits },
  });
}

function auditText(runtime: Runtime): string {
  try {
    return readFileSync(join(runtime.dataDir, 'audit.log'), 'utf8');
  } catch {
    return '';
  }
}

function title(c: AttackCase, what: string, withAnalysis: boolean): string {
  const marked = c.hole && !(withAnalysis && staticVerdict.get(c.file) === 'deny');
  return `${marked ? `[hole: ${c.hole}] ` : ''}${c.name}: ${what}`;
}


describe('attacks at run time, with the analysis, everything approved', () => {
  for (const c of forbidden) {
    it(title(c, PROMISE[c.target], true), async () => {
      await withWorld(async (runtime) => {
        let params: Record<string, unknown> | undefined;
        if (c.stage) {
          const staged = await submitAndRun(runtime, readAttackCase(c.stage));
          // A stage may end by throwing (what it hands back is the point), but it must have run.
          expect(['ok', 'error'], `stage ${c.stage}: ${staged.result.error?.message}`).toContain(staged.result.status);
          params = paramsFor(c, handed(staged.result), readAttackCase(c.stage).source);
        }
        const from = mark(runtime.demo!.state);
        const { verdict, result } = await submitAndRun(runtime, c, params);
        await runtime.audit.flush();
        const seen = observedSince(runtime.demo!.state, from, [...result.console.map((l) => l.text), auditText(runtime)], runtime.demo!.requests);
        expect(violations(c, seen, truths), `verdict ${verdict}, run ${result.status} ${result.error?.code ?? ''}`).toEqual([]);
      });
    }, TIMEOUT);
  }

  // Labels at rest across runs; a stage that hands its result to the agent is another matter (what
  // the agent was handed may have been withheld, and then allow is right).
  for (const c of forbidden.filter((x) => x.stage && x.expect === 'not-allow' && !/params-from-stage/.test(x.source))) {
    it(`${c.hole ? `[hole: ${c.hole}] ` : ''}${c.name}: judged after its stage (labels at rest), not allow`, async () => {
      await withWorld(async (runtime) => {
        const staged = await submitAndRun(runtime, readAttackCase(c.stage!));
        const params = paramsFor(c, handed(staged.result), readAttackCase(c.stage!).source);
        const { state: submission } = new Submissions(runtime).submit({ source: c.source, intent: c.file, agent: 'red-team', policy: loadPolicy(c.policy), ...(params ? { params } : {}) });
        expect(submission.analysis?.verdict).not.toBe('allow');
      });
    }, TIMEOUT);
  }
});

describe('attacks at run time WITHOUT the analysis (runProgram, every prompt approved)', () => {
  for (const c of forbidden) {
    it(title(c, PROMISE[c.target], false), async () => {
      await withWorld(async (runtime) => {
        let params: Record<string, unknown> | undefined;
        if (c.stage) {
          const staged = await runBare(runtime, readAttackCase(c.stage));
          expect(['ok', 'error'], `stage ${c.stage}: ${staged.error?.message}`).toContain(staged.status);
          params = paramsFor(c, handed(staged), readAttackCase(c.stage).source);
        }
        const from = mark(runtime.demo!.state);
        const events: AuditEvent[] = [];
        const result = await runBare(runtime, c, events, params);
        const seen = observedSince(runtime.demo!.state, from, [...result.console.map((l) => l.text), JSON.stringify(events)], runtime.demo!.requests);
        expect(violations(c, seen, truths), `run ${result.status} ${result.error?.code ?? ''}`).toEqual([]);
      });
    }, TIMEOUT);
  }
});

describe('benign twins', () => {
  for (const c of benign) {
    it(`${c.precision ? `[precision: ${c.precision}] ` : ''}${c.file} runs to completion (no analysis, every prompt approved)`, async () => {
      await withWorld(async (runtime) => {
        const staged = c.stage ? await runBare(runtime, readAttackCase(c.stage)) : undefined;
        const result = await runBare(runtime, c, undefined, paramsFor(c, staged && handed(staged), c.stage ? readAttackCase(c.stage).source : ''));
        expect(result.status, result.error?.message).toBe('ok');
      });
    }, TIMEOUT);
  }

  it('with the analysis and everything approved: how many complete', async () => {
    const completed: string[] = [];
    const stopped: string[] = [];
    for (const c of benign) {
      await withWorld(async (runtime) => {
        const staged = c.stage ? await submitAndRun(runtime, readAttackCase(c.stage)) : undefined;
        const { verdict, result } = await submitAndRun(runtime, c, paramsFor(c, staged && handed(staged.result), c.stage ? readAttackCase(c.stage).source : ''));
        if (result.status === 'ok') completed.push(c.file);
        else stopped.push(`${c.file}: verdict ${verdict} (expected ${c.expect}), run ${result.status} ${result.error?.message.slice(0, 120) ?? ''}`);
      });
    }
    console.log(`attack twins completed with the analysis: ${completed.length}/${benign.length}${stopped.length ? `\n  ${stopped.join('\n  ')}` : ''}`);
    expect(completed.length).toBeGreaterThanOrEqual(MIN_TWINS_COMPLETED_WITH_ANALYSIS);
  }, 30 * TIMEOUT);
});

describe('host attacks: the run ends with a status, the trace with run.end, and the core keeps serving', () => {
  const plain = readAttackCase('resource-04-call-storm.benign.ts');
  for (const c of hostile) {
    it(`${c.hole ? `[hole: ${c.hole}] ` : ''}${c.name} (with the analysis, then without)`, async () => {
      await withWorld(async (runtime) => {
        const heapBefore = process.memoryUsage().heapUsed;
        const { result } = await submitAndRun(runtime, c);
        expect(['ok', 'denied', 'limit', 'error']).toContain(result.status);

        const events: AuditEvent[] = [];
        const bare = await runBare(runtime, c, events);
        expect(['ok', 'denied', 'limit', 'error']).toContain(bare.status);

        // The core keeps serving; by the time this plain run is over, calls the hostile runs left in
        // flight have long come back, and their traces must still end with run.end.
        const after = await submitAndRun(runtime, plain);
        expect(after.result.status, after.result.error?.message).toBe('ok');
        await runtime.audit.flush();
        const records = auditText(runtime).split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent);
        expect(records.filter((r) => r.traceId === result.traceId).at(-1)?.kind, 'with the analysis').toBe('run.end');
        expect(events.at(-1)?.kind, 'without the analysis').toBe('run.end');
        expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024);
      });
    }, TIMEOUT);
  }
});

/**
 * The inbox's commands against a real runtime (demo servers, audit log): decisions bind to the
 * program, a deny verdict cannot be approved, and a call that needs approval at run time
 * suspends the run until a human answers or the deadline passes — each on the trace.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../policy/index.ts';
import { resolveCatalog } from './environment.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { CommandError, Submissions, type Submission } from './submissions.ts';

let runtime: Runtime;
let data: string;
const hr = loadPolicy('hr-assistant');

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'flowgate-inbox-'));
  runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: data });
});
afterAll(async () => {
  await runtime?.close();
  rmSync(data, { recursive: true, force: true });
});

/** Posts to a channel the task names: the analysis cannot know where it goes, so the runtime must ask. */
const DYNAMIC = `const pay = await workday.getCompensation({ employeeId: 'emp_001' });
await slack.postMessage({ channel: params.channel, text: 'pay ' + pay.salary });
return 'posted';`;

async function trace(traceId: string) {
  await runtime.audit.flush();
  return readFileSync(join(data, 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.traceId === traceId);
}

/** Approves the submission, then answers its first runtime prompt as `answer` says. */
async function runAnswering(answer: 'approve' | 'deny' | 'wait', promptTimeoutMs = 10_000) {
  const inbox = new Submissions(runtime);
  const submission = inbox.submit({ source: DYNAMIC, intent: 'dynamic slack', agent: 'test', policy: hr, params: { channel: '#hr-leads' } });
  expect(submission.analysis.verdict).toBe('needs-approval');
  inbox.decide(submission.id, { decision: 'approve', who: 'ana', reason: 'reviewed the unproven part' });
  const prompted = new Promise<Submission>((resolve) => {
    inbox.subscribe((event) => {
      if (event.type === 'submission' && event.submission.prompts.length) resolve(event.submission);
    });
  });
  const running = inbox.run(submission.id, { promptTimeoutMs });
  const waiting = await prompted;
  const prompt = waiting.prompts[0];
  expect(prompt.request.operation).toBe('slack.postMessage');
  expect(prompt.request.reasons.map((r) => r.code)).toContain('approval');
  if (answer !== 'wait') inbox.answerPrompt(prompt.id, { approve: answer === 'approve', who: 'ben', reason: `${answer} at run time` });
  return { submission, result: await running };
}

describe('the inbox', () => {
  it('runs a call that needs approval at run time once a human approves it, and records who', async () => {
    const { submission, result } = await runAnswering('approve');
    expect(result.status).toBe('ok');
    expect(result.result).toBe('posted');
    const decisions = (await trace(submission.traceId)).filter((r) => r.kind === 'decision');
    expect(decisions.map((d) => [d.actor, d.name])).toEqual([['user:ana', 'approve'], ['user:ben', 'approve-call']]);
  });

  it('blocks the call when the human denies it at run time', async () => {
    const { result } = await runAnswering('deny');
    expect(result.status).toBe('denied');
    expect(result.calls.at(-1)).toMatchObject({ operation: 'postMessage', decision: 'deny' });
  });

  it('denies the call when nobody answers before the deadline', async () => {
    const { submission, result } = await runAnswering('wait', 300);
    expect(result.status).toBe('denied');
    const last = (await trace(submission.traceId)).filter((r) => r.kind === 'decision').at(-1);
    expect(last).toMatchObject({ actor: 'user:flowgate', name: 'deny-call' });
    expect(last.data.reason).toMatch(/deadline/);
  });

  it('refuses to approve a denied program, a stale program, or a decision without a reason', () => {
    const inbox = new Submissions(runtime);
    const denied = inbox.submit({ source: `const p = await workday.getCompensation({ employeeId: 'emp_001' });\nawait slack.postMessage({ channel: '#general', text: String(p.salary) });`, policy: hr });
    expect(denied.analysis.verdict).toBe('deny');
    expect(() => inbox.decide(denied.id, { decision: 'approve', who: 'ana', reason: 'please' })).toThrow(CommandError);
    const pending = inbox.submit({ source: DYNAMIC, policy: hr });
    expect(() => inbox.decide(pending.id, { decision: 'approve', who: 'ana', reason: 'ok', sourceHash: 'f'.repeat(64) })).toThrow(/changed since it was reviewed/);
    expect(() => inbox.decide(pending.id, { decision: 'approve', who: 'ana', reason: '  ' })).toThrow(/needs a reason/);
  });

  it('runs a submission once: one approval, one run, one trace', async () => {
    const inbox = new Submissions(runtime);
    const allowed = inbox.submit({ source: `const e = await workday.getEmployee({ employeeId: 'emp_002' });\nreturn e.id;`, policy: hr });
    expect((await inbox.run(allowed.id)).status).toBe('ok');
    await expect(inbox.run(allowed.id)).rejects.toThrow(/already ran/);
  });

  it('does not run a program that is still waiting for review', async () => {
    const inbox = new Submissions(runtime);
    const pending = inbox.submit({ source: DYNAMIC, policy: hr });
    const result = await inbox.run(pending.id);
    expect(result).toMatchObject({ status: 'denied', error: { code: 'needs-approval' } });
    expect(result.calls).toEqual([]);
  });
});

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
import { CommandError, DEV_PROOF, Submissions, type Entry } from './submissions.ts';

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
  const { state: submission } = inbox.submit({ source: DYNAMIC, intent: 'dynamic slack', agent: 'test', policy: hr, params: { channel: '#hr-leads' } });
  expect(submission.analysis?.verdict).toBe('needs-approval');
  inbox.decide(submission.id, { decision: 'approve', who: 'ana', reason: 'reviewed the unproven part', proof: DEV_PROOF });
  const prompted = new Promise<Entry>((resolve) => {
    inbox.subscribe(({ entry }) => {
      if (entry.live?.prompts.length) resolve(entry);
    });
  });
  const running = inbox.run(submission.id, { promptTimeoutMs });
  const waiting = await prompted;
  const prompt = waiting.live!.prompts[0];
  expect(prompt.request.operation).toBe('slack.postMessage');
  expect(prompt.request.reasons.map((r) => r.code)).toContain('approval');
  if (answer !== 'wait') inbox.answerPrompt(prompt.id, { approve: answer === 'approve', who: 'ben', reason: `${answer} at run time`, proof: DEV_PROOF });
  return { submission, result: await running };
}

describe('the inbox', () => {
  it('runs a call that needs approval at run time once a human approves it, and records who', async () => {
    const { submission, result } = await runAnswering('approve');
    expect(result.status).toBe('ok');
    expect(result.result).toBe('posted');
    const records = await trace(submission.traceId);
    const decisions = records.filter((r) => r.kind === 'decision');
    expect(decisions.map((d) => [d.actor, d.name, d.data.proof.method])).toEqual([['user:ana', 'approve', 'dev']]);
    // The runtime approval names the human who gave it, in the call's own span.
    const answered = records.find((r) => r.kind === 'approval.result');
    const post = records.find((r) => r.kind === 'api.call' && r.name === 'slack.postMessage');
    expect(answered).toMatchObject({ actor: 'user:ben', spanId: post.spanId, data: { operation: 'slack.postMessage', approved: true, who: 'ben', reason: 'approve at run time' } });
    // The post carries what it sent, per argument: the compensation reached its text.
    expect(post.data.sent.text).toContain('workday.compensation');
    expect(post.data.labels).toContain('workday.compensation');
  });

  it('blocks the call when the human denies it at run time', async () => {
    const { result } = await runAnswering('deny');
    expect(result.status).toBe('denied');
    expect(result.calls.at(-1)).toMatchObject({ operation: 'postMessage', decision: 'deny' });
  });

  it('denies the call when nobody answers before the deadline', async () => {
    const { submission, result } = await runAnswering('wait', 300);
    expect(result.status).toBe('denied');
    const last = (await trace(submission.traceId)).filter((r) => r.kind === 'approval.result').at(-1);
    expect(last).toMatchObject({ actor: 'user:flowgate', data: { approved: false, who: 'flowgate', proof: { method: 'system' } } });
    expect(last.data.reason).toMatch(/deadline/);
  });

  it('refuses to approve a denied program, a stale program, or a decision without a reason', () => {
    const inbox = new Submissions(runtime);
    const { state: denied } = inbox.submit({ source: `const p = await workday.getCompensation({ employeeId: 'emp_001' });\nawait slack.postMessage({ channel: '#general', text: String(p.salary) });`, policy: hr });
    expect(denied.analysis?.verdict).toBe('deny');
    expect(() => inbox.decide(denied.id, { decision: 'approve', who: 'ana', reason: 'please', proof: DEV_PROOF })).toThrow(CommandError);
    const { state: pending } = inbox.submit({ source: DYNAMIC, policy: hr });
    expect(() => inbox.decide(pending.id, { decision: 'approve', who: 'ana', reason: 'ok', sourceHash: 'f'.repeat(64), proof: DEV_PROOF })).toThrow(/changed since it was reviewed/);
    expect(() => inbox.decide(pending.id, { decision: 'approve', who: 'ana', reason: '  ', proof: DEV_PROOF })).toThrow(/needs a reason/);
  });

  it('runs a submission once: one approval, one run, one trace', async () => {
    const inbox = new Submissions(runtime);
    const { state: allowed } = inbox.submit({ source: `const e = await workday.getEmployee({ employeeId: 'emp_002' });\nreturn e.id;`, policy: hr });
    expect(allowed.status).toBe('ready');
    expect((await inbox.run(allowed.id)).status).toBe('ok');
    expect(inbox.get(allowed.id).state).toMatchObject({ status: 'finished', run: { status: 'ok', calls: [{ operation: 'workday.getEmployee', decision: 'allow' }] } });
    await expect(inbox.run(allowed.id)).rejects.toThrow(/already ran/);
  });

  it('does not run a program that is still waiting for review', async () => {
    const inbox = new Submissions(runtime);
    const { state: pending } = inbox.submit({ source: DYNAMIC, policy: hr });
    const result = await inbox.run(pending.id);
    expect(result).toMatchObject({ status: 'denied', error: { code: 'needs-approval' } });
    expect(result.calls).toEqual([]);
  });
});

/**
 * Decisions that bind and cannot be forged, through the core's protocol with a real (software)
 * passkey: the protocol refuses a decision without a registered reviewer's signature over the
 * exact statement, a second passkey needs an endorsement, and `flowgate verify` fails when a
 * signed decision was altered — even in a log whose hash chain was rebuilt around the change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flipSignature, forgeLog } from '../audit/testing/forge.ts';
import { auditLogPath } from '../audit/store.ts';
import type { AuditRecord } from '../audit/types.ts';
import { verifyDecisions } from '../audit/verify-decisions.ts';
import { CoreService } from './core-service.ts';
import { resolveCatalog } from './environment.ts';
import type { MethodName, Params, Result } from './protocol.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { readStories } from './stories.ts';
import { decideWith, registerReviewer, SoftPasskey } from './testing/soft-passkey.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const ORIGIN = 'http://localhost:5173';
const story2 = readStories().find((s) => s.id === 2)!;
let data: string;
let runtime: Runtime;
let core: CoreService;
const rpc = { call: <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => core.call(method, params, { origin: ORIGIN }) };
const dana = new SoftPasskey(ORIGIN);

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'flowgate-decisions-'));
  runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: data });
  core = new CoreService(runtime);
});
afterAll(async () => {
  await runtime?.close();
  rmSync(data, { recursive: true, force: true });
});

const submitStory2 = (intent: string) => rpc.call('submit', { source: story2.source, intent, agent: 'test', policy: { name: 'hr-assistant' } });

describe('decisions over the protocol', () => {
  it('refuse any decision before a reviewer passkey exists, and without one after', async () => {
    const view = await submitStory2('before any reviewer');
    const { options } = await rpc.call('decision.request', { id: view.id, decision: 'approve', reason: 'ok' });
    await expect(rpc.call('decide', { id: view.id, decision: 'approve', reason: 'ok', sourceHash: view.sourceHash, assertion: dana.assert(options) })).rejects.toThrow(/no reviewer passkey is registered/);

    await registerReviewer(rpc, dana, 'Dana (HR)');
    expect((await rpc.call('reviewers.list', {})).map((r) => r.name)).toEqual(['Dana (HR)']);
    // An agent's own key, never registered, is refused.
    const mallory = new SoftPasskey(ORIGIN);
    await expect(rpc.call('decide', { id: view.id, decision: 'approve', reason: 'ok', sourceHash: view.sourceHash, assertion: mallory.assert(options) })).rejects.toThrow(/not a registered reviewer/);
    // Dana's key over another statement (another reason) is refused.
    const other = await rpc.call('decision.request', { id: view.id, decision: 'approve', reason: 'something else' });
    await expect(rpc.call('decide', { id: view.id, decision: 'approve', reason: 'ok', sourceHash: view.sourceHash, assertion: dana.assert(other.options) })).rejects.toThrow(/another statement/);
    // Signed on another origin (a page that is not the workbench): refused.
    await expect(rpc.call('decide', { id: view.id, decision: 'approve', reason: 'ok', sourceHash: view.sourceHash, assertion: dana.assert(options, 'http://localhost:6666') })).rejects.toThrow(/not on the workbench/);
    // A client without a web origin (the Electron pipe, a script) cannot decide at all.
    await expect(core.call('decide', { id: view.id, decision: 'approve', reason: 'ok', sourceHash: view.sourceHash, assertion: dana.assert(options) })).rejects.toThrow(/only in the browser workbench/);
    expect((await rpc.call('submission.get', { id: view.id })).status).toBe('pending-review');
  });

  it('binds an approval to the program, flows and policy, names the reviewer, and a later passkey needs an endorsement', async () => {
    const view = await submitStory2('approved with a passkey');
    const { statement } = await rpc.call('decision.request', { id: view.id, decision: 'approve', reason: 'calibration' });
    expect(statement).toMatchObject({ sourceHash: view.sourceHash, policy: { name: 'hr-assistant', hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, decision: 'approve', reason: 'calibration' });
    expect(statement.flows.map((f) => `${f.label} → ${f.destination}`)).toContain('workday.compensation → slack.internal');
    const decided = await decideWith(rpc, dana, { id: view.id, decision: 'approve', reason: 'calibration' });
    expect(decided).toMatchObject({ status: 'ready', decision: { who: 'Dana (HR)', method: 'passkey', statement } });

    const second = new SoftPasskey(ORIGIN);
    await expect(registerReviewer(rpc, second, 'Sam')).rejects.toThrow(/needs an endorsement/);
    await registerReviewer(rpc, second, 'Sam', dana);
    expect((await rpc.call('reviewers.list', {})).find((r) => r.name === 'Sam')).toMatchObject({ endorsedBy: 'Dana (HR)' });
    expect((await rpc.call('run', { id: view.id })).status).toBe('ok');
  });
});

/** The log with record `seq` changed by `edit`, its hash chain rebuilt from there on (as a forger would). */
function forged(file: string, seq: number, edit: (record: AuditRecord) => void): string {
  const copy = join(data, `forged-${seq}-${Math.random().toString(36).slice(2)}.log`);
  forgeLog(file, copy, (r) => r.seq === seq, edit);
  return copy;
}

const cliVerify = (file: string) => spawnSync(process.execPath, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(ROOT, 'core', 'cli.ts'), 'verify', file], { encoding: 'utf8' });

describe('flowgate verify and signed decisions', () => {
  it('accepts the log as written, counting passkey decisions', async () => {
    await runtime.audit.flush();
    const report = await verifyDecisions(auditLogPath(data));
    expect(report.problems).toEqual([]);
    expect(report.counts.passkey).toBe(1);
    expect(report.reviewers.map((r) => r.name)).toEqual(['Dana (HR)', 'Sam']);
    const cli = cliVerify(auditLogPath(data));
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/1 signed with a reviewer passkey/);
  });

  it('fails when a signed decision was altered, even with the hash chain rebuilt', async () => {
    const file = auditLogPath(data);
    const decision = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord).find((r) => r.kind === 'decision')!;
    const flipped = forged(file, decision.seq, flipSignature);
    expect((await verifyDecisions(flipped)).problems).toEqual([expect.objectContaining({ seq: decision.seq, problem: expect.stringMatching(/signature does not verify/) })]);
    const cli = cliVerify(flipped);
    expect(cli.status).toBe(2);
    expect(cli.stdout).toMatch(new RegExp(`TAMPERED at record ${decision.seq}.*signature does not verify`));

    const reworded = forged(file, decision.seq, (r) => {
      r.data.reason = 'approved for everyone';
    });
    expect((await verifyDecisions(reworded)).problems[0].problem).toMatch(/reason is not the one signed/);
    const resigned = forged(file, decision.seq, (r) => {
      const statement = r.data.statement as { reason: string };
      statement.reason = r.data.reason = 'approved for everyone';
    });
    expect((await verifyDecisions(resigned)).problems[0].problem).toMatch(/another statement/);
  });
});

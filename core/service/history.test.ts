/**
 * The inbox shows what other processes did with the same data directory (a `flowgate run` in a
 * terminal, an earlier workbench): finished submissions, read back from the audit log.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../policy/index.ts';
import { CoreService } from './core-service.ts';
import { resolveCatalog } from './environment.ts';
import { openRuntime } from './runtime.ts';
import { Submissions } from './submissions.ts';
import { decideWith, registerReviewer, SoftPasskey } from './testing/soft-passkey.ts';
import type { MethodName, Params, Result } from './protocol.ts';

const data = mkdtempSync(join(tmpdir(), 'flowgate-history-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('inbox history', () => {
  it('lists finished and denied submissions of an earlier process, not ones left waiting', async () => {
    const catalog = await resolveCatalog('demo');
    const earlier = await openRuntime({ catalog, dataDir: data });
    const inbox = new Submissions(earlier);
    const { state: ran } = inbox.submit({ source: `const a = await salesforce.getAccount({ accountId: 'acc_007' });\nconsole.log('status', a.status);\nreturn a.id;`, intent: 'look at acc_007', agent: 'cli', policy: loadPolicy('seed') });
    await inbox.run(ran.id);
    const { state: denied } = inbox.submit({ source: `const s = await vault.getSecret({ name: 'stripe-admin-key' });\nreturn s.name;`, intent: 'peek at a key', agent: 'cli', policy: loadPolicy('seed') });
    const { state: waiting } = inbox.submit({ source: `const p = await workday.getCompensation({ employeeId: 'emp_001' });\nawait slack.postMessage({ channel: '#hr-leads', text: String(p.salary) });`, intent: 'left waiting', agent: 'cli', policy: loadPolicy('hr-assistant') });
    expect(waiting.status).toBe('pending-review');
    await earlier.close();

    const later = await openRuntime({ catalog, dataDir: data });
    try {
      const core = new CoreService(later);
      const list = await core.call('submissions.list', {});
      expect(list.map((s) => [s.id, s.status, s.runStatus])).toEqual([
        [ran.id, 'finished', 'ok'],
        [denied.id, 'denied', undefined],
      ]);
      const view = await core.call('submission.get', { id: ran.id });
      expect(view).toMatchObject({ intent: 'look at acc_007', agent: 'cli', verdict: 'allow', sourceHash: ran.sourceHash });
      expect(view.source).toContain("getAccount({ accountId: 'acc_007' })");
      expect(view.run).toMatchObject({ status: 'ok', result: 'acc_007', console: [{ level: 'log', text: expect.stringContaining('status') }] });
      expect(view.run?.calls.map((c) => `${c.operation}:${c.decision}`)).toEqual(['salesforce.getAccount:allow']);
      expect(view.readOnly).toBe(true);
      const refused = await core.call('submission.get', { id: denied.id });
      expect(refused.analysis?.reasons.some((r) => r.code === 'permission')).toBe(true);
      await expect(core.call('decision.request', { id: ran.id, decision: 'approve', reason: 'y' })).rejects.toThrow(/another Flowgate process/);
      const traces = await core.call('traces.list', {});
      expect(traces.find((t) => t.traceId === ran.traceId)).toMatchObject({ intent: 'look at acc_007', agent: 'cli', submissionId: ran.id });
    } finally {
      await later.close();
    }
  });
});

describe('restoring what a core left waiting', () => {
  it('brings back a submission a gone core left waiting for review, on its own trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-restore-'));
    try {
      const child = spawnSync(process.execPath, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(import.meta.dirname, 'testing', 'submit-child.ts'), dir], { encoding: 'utf8' });
      expect(child.status, child.stderr).toBe(0);
      const left = JSON.parse(child.stdout) as { id: string; traceId: string; verdict: string };
      expect(left.verdict).toBe('needs-approval');

      const runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: dir });
      try {
        const core = new CoreService(runtime);
        const origin = 'http://localhost:4321';
        const rpc = { call: <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => core.call(method, params, { origin }) };
        const passkey = new SoftPasskey(origin);
        await registerReviewer(rpc, passkey, 'ana');
        expect(await core.restorePending()).toBe(1);
        expect(await core.restorePending()).toBe(0);
        const [waiting] = await core.call('submissions.list', {});
        expect(waiting).toMatchObject({ id: left.id, traceId: left.traceId, status: 'pending-review', agent: 'mcp-client', policy: 'hr-assistant' });
        const decided = await decideWith(rpc, passkey, { id: left.id, decision: 'approve', reason: 'found it after the restart' });
        expect(decided.decision).toMatchObject({ who: 'ana', method: 'passkey' });
        expect((await core.call('run', { id: left.id })).status).toBe('ok');
        const trace = await core.call('trace.get', { traceId: left.traceId });
        expect(trace.map((r) => r.kind)).toEqual(expect.arrayContaining(['submission', 'analysis', 'decision', 'run.end']));
      } finally {
        await runtime.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The typed event model: older records decode to today's shapes, the reducer folds a trace into
 * the state every reader shows, commands keep the inbox's invariants, spans nest run → calls,
 * and lineage says which earlier calls' data a call carried.
 */
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../analysis/types.ts';
import type { AuditRecord } from '../types.ts';
import { decodeEvent, toAuditEvent } from './codec.ts';
import { CommandError, decide, refuseRun, submit, whyNotDecidable, type CommandContext } from './commands.ts';
import { describeState } from './describe.ts';
import type { TraceEvent } from './events.ts';
import { lineageOf } from './lineage.ts';
import { spansOf } from './spans.ts';
import { foldTrace, reduce } from './state.ts';
import { boundFlows, submissionStatement, statementText } from './statement.ts';

const T = 'a'.repeat(32);
let clock = Date.parse('2026-05-01T10:00:00.000Z');
let span = 0;
const ctx: CommandContext = { now: () => new Date((clock += 5)).toISOString(), newSpanId: () => (++span).toString(16).padStart(16, '0') };

const analysis = (verdict: Analysis['verdict']): Analysis => ({
  verdict,
  reasons: [{ verdict, code: 'approval', message: 'compensation to a private channel needs approval', line: 3, column: 1, endLine: 3, endColumn: 9, start: 0, end: 1, label: 'workday.compensation', destination: 'slack.internal' }],
  diagnostics: [],
  calls: [],
  flows: [
    { label: 'workday.compensation', destination: 'slack.internal', siteId: 1, verdict, line: 3, column: 1, endLine: 3, endColumn: 9, start: 0, end: 1 },
    { label: 'workday.compensation', destination: 'slack.internal', siteId: 2, verdict, line: 5, column: 1, endLine: 5, endColumn: 9, start: 0, end: 1 },
  ],
  complete: true,
  unknowns: [],
  sourceHash: 'h'.repeat(64),
});

function submitted(verdict: Analysis['verdict'] = 'needs-approval') {
  return submit(ctx, { traceId: T, spanId: '1'.repeat(16) }, {
    submissionId: 's1', intent: 'post Q3 pay', agent: 'claude', task: 'q3', policy: 'hr-assistant', policyHash: 'p'.repeat(64),
    policyDocument: { permissions: {} }, catalog: 'demo', sourceHash: 'h'.repeat(64), source: 'return 1;', core: 1,
  }, analysis(verdict));
}

/** A run of two calls: compensation read, then posted. */
function runEvents(root: string): TraceEvent[] {
  const base = { traceId: T, actor: 'agent:claude' };
  const run = 'r'.repeat(16);
  return [
    { ...base, time: '2026-05-01T10:00:01.000Z', spanId: run, parentSpanId: root, kind: 'run.start', name: 'run', data: { policy: 'hr-assistant' } },
    { ...base, time: '2026-05-01T10:00:01.010Z', spanId: 'c1'.padEnd(16, '0'), parentSpanId: run, kind: 'api.call', name: 'workday.getCompensation', durationMs: 20,
      data: { service: 'workday', operation: 'workday.getCompensation', decision: 'allow', labels: ['workday.compensation'], received: ['workday.compensation'], sent: {} } },
    { ...base, time: '2026-05-01T10:00:01.040Z', spanId: 'c2'.padEnd(16, '0'), parentSpanId: run, kind: 'approval.request', name: 'slack.postMessage', data: { operation: 'slack.postMessage', reasons: [] } },
    { ...base, actor: 'user:dana', time: '2026-05-01T10:00:02.000Z', spanId: 'c2'.padEnd(16, '0'), parentSpanId: run, kind: 'approval.result', name: 'slack.postMessage',
      data: { operation: 'slack.postMessage', approved: true, who: 'dana', reason: 'ok', proof: { method: 'dev', note: 'test' } } },
    { ...base, time: '2026-05-01T10:00:02.010Z', spanId: 'c2'.padEnd(16, '0'), parentSpanId: run, kind: 'api.call', name: 'slack.postMessage', durationMs: 15,
      data: { service: 'slack', operation: 'slack.postMessage', decision: 'approved', labels: ['workday.compensation', 'slack.messages'], sent: { text: ['workday.compensation'], '*': ['workday.compensation'] }, received: [], destinations: ['slack', 'slack.internal'], request: { channel: '#hr-leads' } } },
    { ...base, time: '2026-05-01T10:00:02.100Z', spanId: run, parentSpanId: root, kind: 'run.end', name: 'run', durationMs: 1100, data: { status: 'ok', result: 'posted', calls: 2, labelsRead: ['workday.compensation'] } },
  ];
}

describe('commands', () => {
  it('submit: two events, and a state waiting for review', () => {
    const { state, events } = submitted();
    expect(events.map((e) => e.kind)).toEqual(['submission', 'analysis']);
    expect(state).toMatchObject({ id: 's1', status: 'pending-review', policy: { name: 'hr-assistant', hash: 'p'.repeat(64) } });
    expect(describeState({ status: state.status, verdict: state.analysis?.verdict }).badge).toBe('waiting for review');
  });

  it('an allowed program is ready without anyone approving it, and says so', () => {
    const { state } = submitted('allow');
    expect(state.status).toBe('ready');
    expect(describeState({ status: state.status, verdict: 'allow' }).sentence).toBe('Allowed by policy (no approval needed): ready to run');
  });

  it('decide: binds to the program, needs a reason, happens once; a deny verdict is never approved', () => {
    const { state } = submitted();
    expect(() => decide(ctx, state, { decision: 'approve', who: 'dana', reason: 'ok', sourceHash: 'x'.repeat(64), proof: { method: 'dev', note: '' } })).toThrow(/changed since/);
    expect(whyNotDecidable(state, 'approve', ' ')?.code).toBe('reason');
    const approved = decide(ctx, state, { decision: 'approve', who: 'dana', reason: ' calibration ', proof: { method: 'dev', note: 'local' } });
    expect(approved.events).toHaveLength(1);
    expect(approved.state).toMatchObject({ status: 'ready', decision: { who: 'dana', reason: 'calibration', method: 'dev' } });
    expect(() => decide(ctx, approved.state, { decision: 'deny', who: 'eve', reason: 'no', proof: { method: 'dev', note: '' } })).toThrow(CommandError);
    expect(describeState({ status: 'ready', verdict: 'needs-approval', decision: { decision: 'approve', who: 'dana', method: 'passkey' } }).sentence).toBe('Approved by dana (passkey): ready to run');
    const denied = submitted('deny').state;
    expect(whyNotDecidable(denied, 'approve', 'please')?.code).toBe('forbidden');
  });

  it('refuseRun: a pending submission records the refusal and stays pending', () => {
    const { state } = submitted();
    const refused = refuseRun(ctx, state);
    expect(refused?.events.map((e) => e.kind)).toEqual(['run.end']);
    expect(refused?.state).toMatchObject({ status: 'pending-review', refusal: { code: 'needs-approval' } });
    expect(refuseRun(ctx, submitted('allow').state)).toBeUndefined();
  });
});

describe('the reducer', () => {
  it('folds a stored trace into the same state the commands produced', () => {
    const { state, events } = submitted();
    const approved = decide(ctx, state, { decision: 'approve', who: 'dana', reason: 'calibration', proof: { method: 'dev', note: 'x' } });
    const all = [...events, ...approved.events, ...runEvents(state.spanId)];
    const records = all.map((e, seq) => ({ ...toAuditEvent(e), seq, prevHash: '', hash: '' }) as AuditRecord);
    const folded = foldTrace(records);
    let live = state;
    for (const e of [...approved.events, ...runEvents(state.spanId)]) live = reduce(live, e) ?? live;
    expect(folded).toEqual(live);
    expect(folded).toMatchObject({ status: 'finished', decision: { who: 'dana' }, run: { status: 'ok', result: 'posted' } });
    const post = folded?.run?.calls[1];
    expect(post).toMatchObject({ operation: 'slack.postMessage', decision: 'approved', answer: { who: 'dana', approved: true, method: 'dev' }, sent: { text: ['workday.compensation'] } });
  });

  it('reads older logs: partial call sites, runtime answers written as decision records', () => {
    const legacy: Array<Partial<AuditRecord>> = [
      { kind: 'submission', spanId: 'root', name: 'submit', actor: 'agent:x', data: { submissionId: 'old', intent: 'i', agent: 'x', policy: 'seed', sourceHash: 'h', source: 's' } },
      { kind: 'analysis', spanId: 'an', parentSpanId: 'root', name: 'analysis', actor: 'flowgate', data: { verdict: 'needs-approval', reasons: [], flows: [], calls: [{ id: 1, operation: 'slack.postMessage', line: 4, labels: [], destinations: ['slack'] }] } },
      { kind: 'decision', spanId: 'd', parentSpanId: 'root', name: 'approve', actor: 'user:ann', data: { decision: 'approve', who: 'ann', reason: 'fine', at: 't', sourceHash: 'h' } },
      { kind: 'run.start', spanId: 'run', parentSpanId: 'root', name: 'run', actor: 'agent:x', data: {} },
      { kind: 'approval.request', spanId: 'c', parentSpanId: 'run', name: 'slack.postMessage', actor: 'agent:x', data: { operation: 'slack.postMessage', reasons: [] } },
      { kind: 'decision', spanId: 'z', parentSpanId: 'root', name: 'approve-call', actor: 'user:ben', data: { operation: 'slack.postMessage', approved: true, who: 'ben', reason: 'ok' } },
      { kind: 'approval.result', spanId: 'c', parentSpanId: 'run', name: 'slack.postMessage', actor: 'agent:x', data: { operation: 'slack.postMessage', approved: true } },
      { kind: 'api.call', spanId: 'c', parentSpanId: 'run', name: 'slack.postMessage', actor: 'agent:x', data: { service: 'slack', operation: 'slack.postMessage', decision: 'approved', labels: ['slack.messages'] } },
      { kind: 'run.end', spanId: 'run', parentSpanId: 'root', name: 'run', actor: 'agent:x', data: { status: 'ok' } },
    ];
    const state = foldTrace(legacy.map((r, seq) => ({ time: '2025-01-01T00:00:00.000Z', traceId: T, seq, prevHash: '', hash: '', ...r }) as AuditRecord));
    expect(state?.analysis?.calls[0]).toMatchObject({ service: 'slack', operation: 'postMessage', line: 4 });
    expect(state?.decision).toMatchObject({ who: 'ann', method: 'unsigned' });
    expect(state?.run?.calls).toHaveLength(1);
    expect(state?.run?.calls[0]).toMatchObject({ decision: 'approved', received: ['slack.messages'], answer: { who: 'ben', approved: true } });
  });

  it('ignores unknown kinds', () => {
    expect(decodeEvent({ time: '', traceId: T, spanId: 's', kind: 'mystery' as never, actor: '', name: '', data: {} })).toBeUndefined();
  });
});

describe('statements, spans and lineage', () => {
  it('a statement names the program, each flow once, the policy hash, the decision and the reason', () => {
    const { state } = submitted();
    expect(boundFlows(state)).toEqual([{ label: 'workday.compensation', destination: 'slack.internal', line: 3, verdict: 'needs-approval' }]);
    const text = statementText(submissionStatement(state, 'p'.repeat(64), 'approve', ' ok '));
    expect(text).toBe(`{"decision":"approve","flows":[{"destination":"slack.internal","label":"workday.compensation","line":3,"verdict":"needs-approval"}],"policy":{"hash":"${'p'.repeat(64)}","name":"hr-assistant"},"reason":"ok","sourceHash":"${'h'.repeat(64)}","subject":"submission","submissionId":"s1","traceId":"${T}","v":1}`);
  });

  it('spans nest the run under the submission and each call under the run, with durations', () => {
    const { state, events } = submitted();
    const spans = spansOf([...events, ...runEvents(state.spanId)]);
    expect(spans.map((s) => [s.name, s.depth])).toEqual([['submit', 0], ['analysis', 1], ['run', 1], ['workday.getCompensation', 2], ['slack.postMessage', 2]]);
    const post = spans.find((s) => s.name === 'slack.postMessage');
    expect(post).toMatchObject({ kind: 'api.call', status: 'ok', labels: ['workday.compensation', 'slack.messages'] });
    // From the approval request to the end of the call: the wait for the human is inside the span.
    expect(post!.end - post!.start).toBe(985);
  });

  it('lineage: the post carried the compensation the earlier read received', () => {
    const { state } = submitted();
    let s = state;
    for (const e of runEvents(state.spanId)) s = reduce(s, e) ?? s;
    // Traced to the `text` argument, so not repeated for the call as a whole.
    expect(lineageOf(s.run!.calls, 1)).toEqual([
      { argument: 'text', label: 'workday.compensation', from: [{ spanId: 'c1'.padEnd(16, '0'), operation: 'workday.getCompensation', index: 0 }], atRest: [] },
    ]);
  });
});

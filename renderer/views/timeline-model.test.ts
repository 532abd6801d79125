import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../core/audit/types.ts';
import { byTrace, syntheticRecords } from './synthetic.ts';
import { buildRows, facetsOf, filterRows, formatDuration, mergeRecords, payloadOf, rowsOfTraces, summarize } from './timeline-model.ts';

function rec(partial: Partial<AuditRecord> & Pick<AuditRecord, 'kind' | 'seq'>): AuditRecord {
  return { time: '2026-05-01T09:00:00.000Z', traceId: 't1', spanId: 's', actor: 'flowgate', name: partial.kind, data: {}, prevHash: '', hash: '', ...partial };
}

const trace: AuditRecord[] = [
  rec({ seq: 1, kind: 'submission', actor: 'agent:claude-code', name: 'submit', data: { intent: 'Post salaries', agent: 'claude-code', policy: 'hr-assistant' } }),
  rec({ seq: 2, kind: 'analysis', data: { verdict: 'needs-approval', reasons: [{}, {}] } }),
  rec({ seq: 3, kind: 'decision', actor: 'user:ada', name: 'approve', data: { decision: 'approve', who: 'ada', reason: 'HR leads only' } }),
  rec({ seq: 4, kind: 'run.start', name: 'run', data: {} }),
  rec({ seq: 5, kind: 'api.call', name: 'workday.getCompensation', durationMs: 12.4, data: { service: 'workday', operation: 'workday.getCompensation', decision: 'allow', labels: ['workday.employeeData', 'workday.compensation'], request: { employeeId: 'emp_001' }, status: 200, response: { salary: '[REDACTED:workday.compensation]' } } }),
  rec({ seq: 6, kind: 'api.call', name: 'slack.postMessage', durationMs: 4, data: { operation: 'slack.postMessage', decision: 'deny', reason: 'blocked', labels: ['workday.compensation'], sent: { text: ['workday.compensation'] }, received: [], destinations: ['slack', 'slack.internal'], request: { channel: '#hr-leads', text: 'Ana 123000' } } }),
  rec({ seq: 7, kind: 'run.end', name: 'run', durationMs: 1500, data: { status: 'denied', calls: 2 } }),
];

describe('row fields', () => {
  it('takes the agent from the submission event, for every row of the trace', () => {
    const rows = buildRows(trace);
    expect(rows.map((r) => r.agent)).toEqual(Array(7).fill('claude-code'));
    expect(buildRows([rec({ seq: 1, kind: 'submission', actor: 'agent:cursor' })])[0].agent).toBe('cursor');
  });

  it('finds the service from the call or its operation name', () => {
    const rows = buildRows(trace);
    expect([rows[4].service, rows[5].service, rows[0].service]).toEqual(['workday', 'slack', '']);
  });

  it('reads the decision or outcome per kind', () => {
    expect(buildRows(trace).map((r) => r.decision)).toEqual(['', 'needs-approval', 'approve', '', 'allow', 'deny', 'denied']);
    expect(buildRows([rec({ seq: 9, kind: 'approval.result', data: { operation: 'slack.postMessage', approved: false } })])[0].decision).toBe('denied');
  });

  it('an outgoing call carries the labels it sent and the destinations it named', () => {
    const post = buildRows(trace)[5];
    expect(post).toMatchObject({ sent: ['workday.compensation'], labels: ['workday.compensation'], destinations: ['slack', 'slack.internal'] });
  });

  it('keys rows by trace and seq', () => {
    expect(buildRows(trace)[4].key).toBe('t1:5');
  });
});

describe('filters', () => {
  const other = trace.map((r) => ({ ...r, traceId: 't2', seq: r.seq + 100, actor: r.kind === 'submission' ? 'agent:cursor' : r.actor, data: r.kind === 'submission' ? { ...r.data, agent: 'cursor' } : r.data }));
  const rows = buildRows([...trace, ...other]);

  it('returns the same array when no filter is set', () => {
    expect(filterRows(rows, {})).toBe(rows);
    expect(filterRows(rows, { agent: '' })).toBe(rows);
  });

  it('filters by agent, service, label, decision, trace and text, all together', () => {
    expect(filterRows(rows, { agent: 'cursor' })).toHaveLength(7);
    expect(filterRows(rows, { service: 'workday' }).map((r) => r.key)).toEqual(['t1:5', 't2:105']);
    // The label filter finds the read and the post that sent what it read.
    expect(filterRows(rows, { label: 'workday.compensation', agent: 'claude-code' }).map((r) => r.key)).toEqual(['t1:5', 't1:6']);
    expect(filterRows(rows, { destination: 'slack.internal', traceId: 't1' }).map((r) => r.key)).toEqual(['t1:6']);
    expect(filterRows(rows, { text: 'hr-leads', traceId: 't1' }).map((r) => r.key)).toEqual(['t1:6']);
    expect(filterRows(rows, { decision: 'deny' })).toHaveLength(2);
    expect(filterRows(rows, { traceId: 't2', decision: 'approve' }).map((r) => r.key)).toEqual(['t2:103']);
    expect(filterRows(rows, { text: 'hr leads' }).map((r) => r.key)).toEqual(['t1:3', 't2:103']);
  });

  it('offers the distinct values as facets', () => {
    expect(facetsOf(rows)).toEqual({
      agents: ['claude-code', 'cursor'],
      services: ['slack', 'workday'],
      labels: ['workday.compensation', 'workday.employeeData'],
      destinations: ['slack', 'slack.internal'],
      decisions: ['allow', 'approve', 'denied', 'deny', 'needs-approval'],
    });
  });
});

describe('text', () => {
  it('summarizes each kind in one line', () => {
    const e = buildRows(trace).map((r) => r.event);
    expect(summarize(e[0])).toBe('Post salaries · policy hr-assistant');
    expect(summarize(e[1])).toBe('verdict needs-approval · 2 reasons');
    expect(summarize(e[2])).toBe('approve by ada (unsigned, recorded before passkeys): HR leads only');
    expect(summarize(e[4])).toBe('workday.getCompensation(employeeId: emp_001) · HTTP 200');
    expect(summarize(e[5])).toBe('slack.postMessage(channel: #hr-leads, text: Ana 123000) → slack.internal · sent workday.compensation · blocked');
    expect(summarize(e[6])).toBe('run denied · 2 calls');
  });

  it('shows an API call’s redacted request and response', () => {
    const e = buildRows(trace).map((r) => r.event);
    const p = payloadOf(e[4]);
    expect(p.request).toContain('emp_001');
    expect(p.response).toContain('[REDACTED:workday.compensation]');
    expect(payloadOf(e[0]).data).toContain('Post salaries');
  });

  it('formats durations', () => {
    expect([formatDuration(undefined), formatDuration(0.25), formatDuration(12.4), formatDuration(1500)]).toEqual(['', '250 µs', '12 ms', '1.5 s']);
  });
});

describe('merging and many traces', () => {
  it('appends in order and dedupes by seq', () => {
    const merged = mergeRecords(trace.slice(0, 3), trace.slice(2));
    expect(merged.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(mergeRecords(trace, [])).toBe(trace);
  });

  it('reuses rows of unchanged traces at 100k events (how fast: npm run bench)', () => {
    const traces = byTrace(syntheticRecords(100_000, { perTrace: 50 }));
    const cache = new WeakMap();
    const rows = rowsOfTraces(traces, cache);
    expect(rows).toHaveLength(100_000);
    expect(rows[0].seq).toBe(1);
    const again = rowsOfTraces(traces, cache);
    expect(again[99_999]).toBe(rows[99_999]);
    const filtered = filterRows(rows, { agent: 'cursor', decision: 'allow' });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((r) => r.agent === 'cursor' && r.decision === 'allow')).toBe(true);
    // Every post of the synthetic traces sent compensation: the label filter finds them too.
    const posts = filterRows(rows, { label: 'workday.compensation', service: 'slack' });
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.sent.includes('workday.compensation'))).toBe(true);
  });
});

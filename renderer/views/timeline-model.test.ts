import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../core/audit/types.ts';
import { byTrace, syntheticRecords } from './synthetic.ts';
import { agentOf, buildRows, decisionOf, facetsOf, filterRows, formatDuration, mergeRecords, payloadOf, rowsOfTraces, serviceOf, summarize } from './timeline-model.ts';

function rec(partial: Partial<AuditRecord> & Pick<AuditRecord, 'kind' | 'seq'>): AuditRecord {
  return { time: '2026-05-01T09:00:00.000Z', traceId: 't1', spanId: 's', actor: 'flowgate', name: partial.kind, data: {}, prevHash: '', hash: '', ...partial };
}

const trace: AuditRecord[] = [
  rec({ seq: 1, kind: 'submission', actor: 'agent:claude-code', name: 'submit', data: { intent: 'Post salaries', agent: 'claude-code', policy: 'hr-assistant' } }),
  rec({ seq: 2, kind: 'analysis', data: { verdict: 'needs-approval', reasons: [{}, {}] } }),
  rec({ seq: 3, kind: 'decision', actor: 'user:ada', name: 'approve', data: { decision: 'approve', who: 'ada', reason: 'HR leads only' } }),
  rec({ seq: 4, kind: 'run.start', name: 'run', data: {} }),
  rec({ seq: 5, kind: 'api.call', name: 'workday.getCompensation', durationMs: 12.4, data: { service: 'workday', operation: 'workday.getCompensation', decision: 'allow', labels: ['workday.employeeData', 'workday.compensation'], request: { employeeId: 'emp_001' }, status: 200, response: { salary: '[REDACTED:workday.compensation]' } } }),
  rec({ seq: 6, kind: 'api.call', name: 'slack.postMessage', durationMs: 4, data: { operation: 'slack.postMessage', decision: 'deny', reason: 'blocked', labels: [] } }),
  rec({ seq: 7, kind: 'run.end', name: 'run', durationMs: 1500, data: { status: 'denied', calls: 2 } }),
];

describe('row fields', () => {
  it('takes the agent from the submission event, for every row of the trace', () => {
    const rows = buildRows(trace);
    expect(rows.map((r) => r.agent)).toEqual(Array(7).fill('claude-code'));
    expect(agentOf(rec({ seq: 1, kind: 'submission', actor: 'agent:cursor' }))).toBe('cursor');
  });

  it('finds the service from data.service or the operation name', () => {
    expect(serviceOf(trace[4])).toBe('workday');
    expect(serviceOf(trace[5])).toBe('slack');
    expect(serviceOf(trace[0])).toBe('');
  });

  it('reads the decision or outcome per kind', () => {
    expect(trace.map(decisionOf)).toEqual(['', 'needs-approval', 'approve', '', 'allow', 'deny', 'denied']);
    expect(decisionOf(rec({ seq: 9, kind: 'approval.result', data: { approved: false } }))).toBe('denied');
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
    expect(filterRows(rows, { label: 'workday.compensation', agent: 'claude-code' }).map((r) => r.key)).toEqual(['t1:5']);
    expect(filterRows(rows, { decision: 'deny' })).toHaveLength(2);
    expect(filterRows(rows, { traceId: 't2', decision: 'approve' }).map((r) => r.key)).toEqual(['t2:103']);
    expect(filterRows(rows, { text: 'hr leads' }).map((r) => r.key)).toEqual(['t1:3', 't2:103']);
  });

  it('offers the distinct values as facets', () => {
    expect(facetsOf(rows)).toEqual({
      agents: ['claude-code', 'cursor'],
      services: ['slack', 'workday'],
      labels: ['workday.compensation', 'workday.employeeData'],
      decisions: ['allow', 'approve', 'denied', 'deny', 'needs-approval'],
    });
  });
});

describe('text', () => {
  it('summarizes each kind in one line', () => {
    expect(summarize(trace[0])).toBe('Post salaries · policy hr-assistant');
    expect(summarize(trace[1])).toBe('verdict needs-approval · 2 reasons');
    expect(summarize(trace[2])).toBe('approve by ada: HR leads only');
    expect(summarize(trace[4])).toBe('workday.getCompensation → HTTP 200');
    expect(summarize(trace[6])).toBe('run denied · 2 calls');
  });

  it('shows an API call’s redacted request and response', () => {
    const p = payloadOf(trace[4]);
    expect(p.request).toContain('emp_001');
    expect(p.response).toContain('[REDACTED:workday.compensation]');
    expect(payloadOf(trace[0]).data).toContain('Post salaries');
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
  });
});

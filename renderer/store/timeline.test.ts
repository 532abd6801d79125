import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../core/audit/types.ts';
import { withRecord } from './timeline.ts';

const record = (seq: number, kind: AuditRecord['kind'], data: Record<string, unknown> = {}): AuditRecord => ({
  seq, prevHash: '0'.repeat(64), hash: '1'.repeat(64), time: `2026-11-24T05:00:0${seq}.000Z`, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), kind, actor: 'flowgate', name: kind, data,
});

describe('the live trace list', () => {
  it('adds a new trace with its intent, then counts and extends it', () => {
    let traces = withRecord([], record(1, 'submission', { submissionId: 's1', intent: 'activate acc_007', agent: 'cli' }));
    expect(traces).toEqual([{ traceId: 'a'.repeat(32), start: '2026-11-24T05:00:01.000Z', end: '2026-11-24T05:00:01.000Z', events: 1, submissionId: 's1', intent: 'activate acc_007', agent: 'cli' }]);
    traces = withRecord(traces, record(2, 'analysis'));
    traces = withRecord(traces, record(3, 'run.end'));
    expect(traces).toMatchObject([{ events: 3, end: '2026-11-24T05:00:03.000Z', intent: 'activate acc_007' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { applyRunEvent, type LiveRun } from './run.ts';

describe('live run', () => {
  it('follows call.start / call.end / console / approval events', () => {
    let run: LiveRun = { status: 'running', console: [], calls: [], approvals: 0 };
    run = applyRunEvent(run, { type: 'call.start', operation: 'salesforce.getAccount', spanId: 'a' });
    expect(run.calls).toEqual([{ spanId: 'a', operation: 'salesforce.getAccount' }]);
    run = applyRunEvent(run, { type: 'call.end', record: { service: 'salesforce', operation: 'getAccount', decision: 'allow', durationMs: 5, spanId: 'a' } });
    run = applyRunEvent(run, { type: 'call.end', record: { service: 'slack', operation: 'postMessage', decision: 'deny', reason: 'blocked', durationMs: 0, spanId: 'b' } });
    run = applyRunEvent(run, { type: 'console', line: { level: 'log', text: 'done' } });
    run = applyRunEvent(run, { type: 'approval', request: { traceId: 't', operation: 'billing.createRefund', args: {}, reasons: [] } });
    expect(run.calls.map((c) => [c.operation, c.record?.decision])).toEqual([['salesforce.getAccount', 'allow'], ['slack.postMessage', 'deny']]);
    expect(run.console).toEqual([{ level: 'log', text: 'done' }]);
    expect(run.approvals).toBe(1);
  });
});

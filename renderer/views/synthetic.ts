/**
 * Synthetic audit records shaped like the core's (submission, analysis, decision, run, API
 * calls, console), for the perf harness and the unit tests. Deterministic for a given seed.
 */
import type { AuditRecord, EventKind } from '../../core/audit/types.ts';

const OPS = ['workday.listPerformanceReviews', 'workday.getCompensation', 'slack.postMessage', 'salesforce.getAccount', 'salesforce.updateAccount', 'billing.listInvoices', 'gdrive.getDocument'];
const LABELS: Record<string, string[]> = {
  workday: ['workday.employeeData', 'workday.compensation'],
  slack: ['slack.messages'],
  salesforce: ['salesforce.account', 'salesforce.customerPII'],
  billing: ['billing.invoices'],
  gdrive: ['gdrive.document'],
};
const AGENTS = ['claude-code', 'cursor', 'workbench', 'demo'];

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

/** `count` records spread over traces of `perTrace` events each, starting at `firstSeq`. */
export function syntheticRecords(count: number, options: { perTrace?: number; firstSeq?: number; start?: number; traceSalt?: number } = {}): AuditRecord[] {
  const perTrace = Math.max(8, options.perTrace ?? 40);
  const firstSeq = options.firstSeq ?? 1;
  const start = options.start ?? Date.UTC(2026, 4, 1, 9, 0, 0);
  const salt = options.traceSalt ?? 0;
  const out = new Array<AuditRecord>(count);
  for (let i = 0; i < count; i++) {
    const traceNo = Math.floor(i / perTrace);
    const step = i % perTrace;
    const traceId = hex(((traceNo + 1) * 2654435761) >>> 0, 8) + hex(salt * 7919 + 0xf10e, 8) + hex(traceNo + 1, 16);
    const agent = AGENTS[traceNo % AGENTS.length];
    let kind: EventKind;
    let name: string;
    let data: Record<string, unknown>;
    let actor = 'flowgate';
    let durationMs: number | undefined;
    // Spans as the core makes them: the submission is the root, the run its child, calls the run's children.
    const first = i - step;
    const root = hex(first + 1, 16);
    const run = hex(first + 4, 16);
    let spanId = hex(i + 1, 16);
    let parentSpanId: string | undefined = root;
    if (step === 0) {
      kind = 'submission';
      name = 'submit';
      actor = `agent:${agent}`;
      data = { submissionId: `s${traceNo}`, intent: `Synthetic task ${traceNo}`, agent, policy: 'seed' };
      parentSpanId = undefined;
    } else if (step === 1) {
      kind = 'analysis';
      name = 'analysis';
      data = { verdict: traceNo % 3 === 0 ? 'needs-approval' : traceNo % 3 === 1 ? 'allow' : 'deny', reasons: [] };
    } else if (step === 2) {
      kind = 'decision';
      name = 'approve';
      actor = 'user:reviewer';
      data = { decision: 'approve', who: 'reviewer', reason: 'looks fine' };
    } else if (step === 3) {
      kind = 'run.start';
      name = 'run';
      data = { policy: 'seed' };
      spanId = run;
    } else if (step === perTrace - 1) {
      kind = 'run.end';
      name = 'run';
      data = { status: 'ok', calls: perTrace - 5 };
      durationMs = 120 + (traceNo % 50);
      spanId = run;
    } else if (step % 7 === 0) {
      kind = 'console';
      name = 'console.log';
      data = { level: 'log', text: `line ${step} of trace ${traceNo}` };
      spanId = run;
    } else {
      const op = OPS[(traceNo + step) % OPS.length];
      const service = op.slice(0, op.indexOf('.'));
      kind = 'api.call';
      name = op;
      const denied = (traceNo + step) % 17 === 0;
      parentSpanId = run;
      const received = denied || service === 'slack' ? [] : (LABELS[service] ?? []);
      const sent = service === 'slack' ? { text: ['workday.compensation'] } : {};
      data = {
        service,
        operation: op,
        decision: denied ? 'deny' : 'allow',
        sent,
        received,
        labels: [...new Set([...Object.values(sent).flat(), ...received])],
        request: { employeeId: `emp_${String((step % 60) + 1).padStart(3, '0')}` },
        status: denied ? undefined : 200,
        response: denied ? undefined : { id: step, name: '[REDACTED:workday.compensation]' },
      };
      durationMs = 3 + ((traceNo * 31 + step * 7) % 40);
    }
    out[i] = {
      time: new Date(start + i * 37).toISOString(),
      traceId,
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      kind,
      actor,
      name,
      data,
      durationMs,
      seq: firstSeq + i,
      prevHash: '0'.repeat(64),
      hash: hex(i, 64),
    };
  }
  return out;
}

/** Groups records by trace. */
export function byTrace(records: readonly AuditRecord[]): Record<string, AuditRecord[]> {
  const out: Record<string, AuditRecord[]> = {};
  for (const r of records) (out[r.traceId] ??= []).push(r);
  return out;
}

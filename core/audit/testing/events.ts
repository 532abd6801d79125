/** Event factories for the audit tests and the benchmark. */
import type { AuditEvent, EventKind } from '../types.ts';

let clock = Date.parse('2026-03-01T09:00:00.000Z');

/** An event with sensible defaults; `time` advances 1 ms per call unless given. */
export function event(over: Partial<AuditEvent> & { kind?: EventKind } = {}): AuditEvent {
  clock += 1;
  return {
    time: new Date(clock).toISOString(),
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    kind: 'api.call',
    actor: 'agent:test',
    name: 'salesforce.getAccount',
    data: {},
    ...over,
  };
}

const services = ['workday', 'slack', 'salesforce', 'billing', 'sendgrid', 'vault', 'gdrive'];
const labelsByService: Record<string, string[]> = {
  workday: ['workday.employeeData', 'workday.compensation'],
  slack: ['slack.messages'],
  salesforce: ['salesforce.account', 'salesforce.customerPII'],
  billing: ['billing.invoices'],
  sendgrid: [],
  vault: ['vault.secret'],
  gdrive: ['gdrive.document'],
};

/**
 * A deterministic synthetic workload: traces of ~10 events (submission, analysis, run.start,
 * api calls across services with labels, console lines, run.end). `i` is the event number.
 */
export function syntheticEvent(i: number, traceOf: (t: number) => string, spanOf: (s: number) => string): AuditEvent {
  const t = Math.floor(i / 10);
  const step = i % 10;
  const time = new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 7).toISOString();
  const base = { time, traceId: traceOf(t), actor: `agent:bot-${t % 13}`, spanId: spanOf(i), parentSpanId: spanOf(t * 10 + 2) };
  if (step === 0) return { ...base, parentSpanId: undefined, kind: 'submission', name: 'submission', data: { intent: 'sync accounts', sourceHash: 'f'.repeat(64) } };
  if (step === 1) return { ...base, kind: 'analysis', name: 'analysis', data: { verdict: 'allow', reasons: [] }, durationMs: 12.5 };
  if (step === 2) return { ...base, parentSpanId: spanOf(t * 10), kind: 'run.start', name: 'run', data: {} };
  if (step === 9) return { ...base, kind: 'run.end', name: 'run', data: { status: t % 17 === 0 ? 'error' : 'ok' }, durationMs: 40 };
  if (step === 5) return { ...base, kind: 'console', name: 'console', data: { level: 'log', text: `processed account acc_${String(t % 25).padStart(3, '0')}` } };
  const service = services[(t + step) % services.length];
  return {
    ...base,
    kind: 'api.call',
    name: `${service}.op${step}`,
    data: {
      request: { accountId: `acc_${String(t % 25).padStart(3, '0')}`, fields: { status: 'active' } },
      response: { ok: true, id: i },
      labels: labelsByService[service],
      decision: 'allow',
    },
    durationMs: 3.25,
  };
}

/**
 * The host side of every API call a program makes. In order: the operation exists, the call
 * budget, the arguments' schema, permission, egress, flow (labels this site or this run holds
 * → the call's destinations), content, approval; then the request goes out with the host's
 * credentials and a `traceparent`, and a copy of the answer goes back as a JSON string.
 */
import type { Catalog, Operation } from '../catalog/types.ts';
import type { Decision, Limits, Policy } from '../policy/types.ts';
import type { AuditSink, TraceContext } from '../audit/types.ts';
import { decideCall, decideFlow } from '../policy/decide.ts';
import { destinationsOf } from '../catalog/destinations.ts';
import { newSpanId, traceparent } from '../audit/trace.ts';
import type { Redactor } from '../audit/redact.ts';
import { containsCardNumber, labelledValues, SensitiveValues } from './content-check.ts';
import { validateArgs } from './validate.ts';
import type { ApprovalGate, CallRecord, RunEvent, SitePlan, Transport } from './types.ts';

/** What the guest receives for one call. `stop` ends the whole run. */
export type CallOutcome =
  | { ok: true; body: string }
  | { ok: false; error: { name: string; message: string; code: string; status?: number }; stop?: 'denied' | 'limit' };

export interface BridgeDeps {
  catalog: Catalog;
  policy: Policy;
  limits: Limits;
  transport: Transport;
  trace: TraceContext;
  /** The run's span: API call spans are its children. */
  runSpanId: string;
  redactor: Redactor;
  actor: string;
  approve: ApprovalGate;
  sitePlan?: SitePlan;
  audit?: AuditSink;
  onEvent?: (event: RunEvent) => void;
}

const MAX_RESPONSE_CHARS = 8 * 1024 * 1024;

/** A label that stands for payment card numbers found by pattern, whatever their source. */
export const CARD_NUMBER_LABEL = 'content.cardNumber';

export class Bridge {
  readonly calls: CallRecord[] = [];
  /** Every label this run has read so far: what an unproven call is checked against. */
  readonly labelsRead = new Set<string>();
  private readonly seen = new SensitiveValues();
  private readonly deps: BridgeDeps;
  private attempted = 0;

  constructor(deps: BridgeDeps) {
    this.deps = deps;
  }

  async handle(operationId: string, site: number, argsJson: string): Promise<CallOutcome> {
    const { catalog, limits } = this.deps;
    const op = catalog.operations.get(operationId);
    if (!op) return fail('ReferenceError', `${operationId} is not an operation of this catalog`, 'unknown-operation');
    this.attempted += 1;
    if (this.attempted > limits.maxApiCalls) {
      const message = `stopped at API call ${this.attempted}: the policy allows ${limits.maxApiCalls} calls per run (maxApiCalls)`;
      this.record(op, 'deny', message, 0, newSpanId(), {});
      return { ...fail('LimitError', message, 'maxApiCalls'), stop: 'limit' };
    }
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(argsJson) as Record<string, unknown>;
    } catch {
      return fail('TypeError', `${op.id}: the arguments are not JSON`, 'bad-arguments');
    }
    const invalid = validateArgs(op, args);
    if (invalid) return fail('TypeError', invalid, 'bad-arguments');

    const spanId = newSpanId();
    const checked = await this.check(op, site, args, spanId);
    if (checked !== 'allow' && checked !== 'approved') return checked;
    return this.send(op, args, spanId, checked);
  }

  /** Policy checks: whether the call may go out (allowed, or approved by a human), else the refusal. */
  private async check(op: Operation, site: number, args: Record<string, unknown>, spanId: string): Promise<CallOutcome | 'allow' | 'approved'> {
    const { policy, sitePlan } = this.deps;
    const destinations = destinationsOf(op, args);
    const planned = sitePlan?.sites.get(site);
    // Sound before precise: only a site the analysis resolved to this very operation may use
    // its proven label set; anything else is checked against every label the run has read.
    const labels = planned && planned.operation === op.id ? planned.labels : [...this.labelsRead];
    const { verdict, decisions } = decideCall(policy, op, { labels, destinations, args });
    const findings = decisions.filter((d) => d.verdict !== 'allow');
    for (const label of this.seen.labelsIn(args)) {
      const flow = decideFlow(policy, label, destinations);
      if (flow.verdict === 'deny') findings.push({ ...flow, code: 'content', message: `the arguments contain ${label} data this run read: ${flow.message}` });
    }
    if (op.service !== 'billing' && containsCardNumber(args)) {
      findings.push({ verdict: 'deny', code: 'content', label: CARD_NUMBER_LABEL, destination: destinations.at(-1), message: `the arguments contain a payment card number, which may go only to billing` });
    }
    const denied = findings.filter((d) => d.verdict === 'deny');
    if (denied.length) {
      const message = `${op.id} blocked: ${denied.map((d) => d.message).join('; ')}`;
      this.record(op, 'deny', message, 0, spanId, args, findings);
      return { ...fail('PolicyError', message, denied[0].code), stop: 'denied' };
    }
    if (verdict === 'needs-approval' || findings.length) {
      const request = { traceId: this.deps.trace.traceId, operation: op.id, args, reasons: findings };
      this.deps.onEvent?.({ type: 'approval', request });
      this.emit('approval.request', op.id, spanId, { operation: op.id, args, reasons: findings });
      const approved = await this.deps.approve(request).catch(() => false);
      this.emit('approval.result', op.id, spanId, { operation: op.id, approved });
      if (!approved) {
        const message = `${op.id} blocked: it needs approval and none was given (${findings.map((d) => d.message).join('; ')})`;
        this.record(op, 'deny', message, 0, spanId, args, findings);
        return { ...fail('PolicyError', message, 'approval'), stop: 'denied' };
      }
      return 'approved';
    }
    return 'allow';
  }

  private async send(op: Operation, args: Record<string, unknown>, spanId: string, decision: 'allow' | 'approved'): Promise<CallOutcome> {
    const { transport, trace, onEvent } = this.deps;
    onEvent?.({ type: 'call.start', operation: op.id, spanId });
    const started = performance.now();
    let status: number;
    let body: unknown;
    try {
      ({ status, body } = await transport.call(op, args, { traceparent: traceparent({ traceId: trace.traceId, spanId }) }));
    } catch (error) {
      const message = `${op.id}: the request failed: ${error instanceof Error ? error.message : String(error)}`;
      this.record(op, 'error', message, performance.now() - started, spanId, args);
      return fail('ApiError', message, 'transport');
    }
    const durationMs = performance.now() - started;
    this.learn(op, body);
    if (status >= 400) {
      const detail = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${status}`;
      const message = `${op.id} failed with HTTP ${status}: ${detail}`;
      this.record(op, 'error', message, durationMs, spanId, args, undefined, body, status);
      return { ok: false, error: { name: 'ApiError', message, code: 'http', status } };
    }
    const text = JSON.stringify(body ?? null);
    if (text.length > MAX_RESPONSE_CHARS) return fail('ApiError', `${op.id}: the response is larger than ${MAX_RESPONSE_CHARS} characters`, 'response-too-large');
    this.record(op, decision, undefined, durationMs, spanId, args, undefined, body, status);
    return { ok: true, body: text };
  }

  /** The run now holds the operation's labels; labelled values are remembered for content checks and redaction. */
  private learn(op: Operation, body: unknown): void {
    for (const label of op.labels) this.labelsRead.add(label);
    for (const field of op.fieldLabels) for (const label of field.labels) this.labelsRead.add(label);
    for (const { value, labels } of labelledValues(body, op.fieldLabels)) {
      for (const label of labels) {
        this.seen.remember(value, label);
        if (redacts(this.deps.policy, label)) this.deps.redactor.register(value, label);
      }
    }
    // A label on the whole response that must be redacted, with no field saying where it sits:
    // every value of the response is treated as carrying it.
    for (const label of op.labels) {
      if (!redacts(this.deps.policy, label) || op.fieldLabels.some((f) => f.labels.includes(label))) continue;
      for (const { value } of labelledValues(body, [{ path: [], labels: [label] }])) this.deps.redactor.register(value, label);
    }
  }

  private record(op: Operation, decision: CallRecord['decision'], reason: string | undefined, durationMs: number, spanId: string, args: Record<string, unknown>, findings?: Decision[], response?: unknown, status?: number): void {
    const record: CallRecord = { service: op.service, operation: op.name, decision, reason, durationMs, spanId };
    this.calls.push(record);
    this.deps.onEvent?.({ type: 'call.end', record });
    this.emit('api.call', op.id, spanId, {
      service: op.service,
      operation: op.id,
      verb: op.verb,
      host: op.host,
      decision,
      reason,
      findings,
      labels: [...op.labels, ...op.fieldLabels.flatMap((f) => f.labels)],
      request: args,
      status,
      response,
    }, durationMs);
  }

  private emit(kind: 'api.call' | 'approval.request' | 'approval.result', name: string, spanId: string, data: Record<string, unknown>, durationMs?: number): void {
    const { audit, trace, runSpanId, actor, redactor } = this.deps;
    if (!audit) return;
    const end = Date.now();
    audit.append({
      time: new Date(end - (durationMs ?? 0)).toISOString(),
      traceId: trace.traceId,
      spanId,
      parentSpanId: runSpanId,
      kind,
      actor,
      name,
      data: redactor.redact(data) as Record<string, unknown>,
      durationMs,
    });
  }
}

/** Labels whose values never reach storage in clear: `redactInLogs` ones, and secrets always. */
export function redacts(policy: Policy, label: string): boolean {
  return label.endsWith('.secret') || policy.document.dataFlows?.[label]?.redactInLogs === true;
}

function fail(name: string, message: string, code: string): Extract<CallOutcome, { ok: false }> {
  return { ok: false, error: { name, message, code } };
}

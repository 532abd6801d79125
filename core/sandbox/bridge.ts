/**
 * The host side of every API call a program makes. The interpreter reports, for each argument,
 * the labels that reached it (tracked per value, never computed by or trusted from program code)
 * and the pc of the call. In order: the operation exists, the call budget, the arguments'
 * schema, permission, egress, then per argument: every label against `dataFlows` for the call's
 * destinations (confidentiality), and untrusted labels against the arguments that choose
 * (integrity); the content layer; approvals. Then the request goes out with the host's
 * credentials and a `traceparent`, and the answer goes back with the labels it carries: the
 * operation's, its fields', and those at rest where it reads.
 */
import type { Catalog, Operation } from '../catalog/types.ts';
import type { Decision, Limits, Policy } from '../policy/types.ts';
import type { AuditSink, TraceContext } from '../audit/types.ts';
import { callLabels, toAuditEvent } from '../audit/lifecycle/codec.ts';
import type { ApiCallData, EventData, TraceEvent } from '../audit/lifecycle/events.ts';
import { decideCall, decideChoice, decideFlow } from '../policy/decide.ts';
import { choicesOf, destinationsOf } from '../catalog/destinations.ts';
import { newSpanId, traceparent } from '../audit/trace.ts';
import type { Redactor } from '../audit/redact.ts';
import type { AtRestStore, LabelAtRest } from './at-rest.ts';
import { containsCardNumber, containsNationalId, labelledValues, NATIONAL_ID_LABEL, SensitiveValues } from './content-check.ts';
import { validateArgs } from './validate.ts';
import type { ApprovalGate, CallRecord, RunEvent, Transport } from './types.ts';

/** One call as the interpreter reports it. */
export interface CallRequest {
  operation: string;
  /** JSON text of the argument object. */
  args: string;
  /** Argument name → labels that reached it; `*` is the argument object itself. */
  labels: Record<string, string[]>;
  /** Labels of what decided the call is made. */
  pc: string[];
  /** Set by the host, never the guest: the call is not in the agent's view of the run. */
  hiddenFromAgent?: boolean;
}

/** What the guest receives for one call. `stop` ends the whole run. */
export type CallOutcome =
  | { ok: true; body: string; labels: { base: string[]; fields: { path: string[]; labels: string[] }[] } }
  | { ok: false; error: { name: string; message: string; code: string; status?: number }; stop?: 'denied' | 'limit' };

/** What a human approved before the run: flows (`label → destination`) and operations. */
export interface Approved {
  flows: Set<string>;
  operations: Set<string>;
}

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
  approved?: Approved;
  /** The static verdict, to notice the runtime blocking what the analysis allowed. */
  analysisVerdict?: string;
  atRest?: AtRestStore;
  audit?: AuditSink;
  onEvent?: (event: RunEvent) => void;
}

const MAX_RESPONSE_CHARS = 8 * 1024 * 1024;

/** A label that stands for payment card numbers found by pattern, whatever their source. */
export const CARD_NUMBER_LABEL = 'content.cardNumber';

export function flowKey(label: string, destination: string | undefined): string {
  return `${label} → ${destination ?? ''}`;
}

/** An approved choice made by untrusted data (integrity), per operation. */
export function integrityKey(label: string, operation: string): string {
  return `integrity: ${label} chooses for ${operation}`;
}

export class Bridge {
  readonly calls: CallRecord[] = [];
  /** Calls sent and not yet answered (see `seal`). */
  private readonly inFlight = new Map<string, { op: Operation; args: Record<string, unknown>; request: CallRequest; started: number }>();
  /** After the run ended: nothing more is sent or recorded (run.end is the trace's last record of the run). */
  private sealed = false;
  /** Every label this run has read so far (for the trace and the content layer). */
  readonly labelsRead = new Set<string>();
  private readonly seen = new SensitiveValues();
  private readonly deps: BridgeDeps;
  private attempted = 0;

  constructor(deps: BridgeDeps) {
    this.deps = deps;
  }

  async handle(request: CallRequest): Promise<CallOutcome> {
    const { catalog, limits } = this.deps;
    const op = catalog.operations.get(request.operation);
    if (!op) return fail('ReferenceError', `${request.operation} is not an operation of this catalog`, 'unknown-operation');
    this.attempted += 1;
    if (this.attempted > limits.maxApiCalls) {
      const message = `stopped at API call ${this.attempted}: the policy allows ${limits.maxApiCalls} calls per run (maxApiCalls)`;
      this.record(op, 'deny', message, 0, newSpanId(), {}, request);
      return { ...fail('LimitError', message, 'maxApiCalls'), stop: 'limit' };
    }
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(request.args) as Record<string, unknown>;
    } catch {
      return fail('TypeError', `${op.id}: the arguments are not JSON`, 'bad-arguments');
    }
    const invalid = validateArgs(op, args);
    if (invalid) return fail('TypeError', invalid, 'bad-arguments');

    const spanId = newSpanId();
    const checked = await this.check(op, args, request, spanId);
    if (checked !== 'allow' && checked !== 'approved') return checked;
    return this.send(op, args, request, spanId, checked);
  }

  /** Every finding for one call, per argument. */
  findings(op: Operation, args: Record<string, unknown>, request: CallRequest): Decision[] {
    const { policy } = this.deps;
    const destinations = destinationsOf(op, args);
    const choices = choicesOf(op);
    const found = new Map<string, Decision>();
    const add = (d: Decision | undefined, argument?: string) => {
      if (!d || d.verdict === 'allow') return;
      const key = `${d.code}|${d.label}|${d.destination}`;
      const prev = found.get(key);
      if (!prev) found.set(key, argument ? { ...d, message: `${d.message} (argument "${argument}")` } : d);
    };
    for (const d of decideCall(policy, op, { labels: [], destinations, args }).decisions) add(d);
    const perArgument: [string, string[]][] = [...Object.entries(request.labels), ['(the call itself)', []]];
    for (const [name, labels] of perArgument) {
      for (const label of new Set([...labels, ...request.pc])) {
        add(decideFlow(policy, label, destinations, args), name === '*' ? undefined : name);
        const choice = choices.get(name);
        if (choice) add(decideChoice(policy, label, op, name, choice));
      }
    }
    // The second layer: values this run read, found in the arguments after normalising.
    for (const found of this.seen.findIn(args)) {
      const flow = decideFlow(policy, found.label, destinations, args);
      const how = found.form && found.form !== 'text' ? ` (as ${found.form})` : '';
      if (flow.verdict === 'deny') add({ ...flow, code: 'content', message: `the arguments contain ${found.label} data this run read${how}: ${flow.message}` });
    }
    if (containsNationalId(args)) {
      const flow = decideFlow(policy, NATIONAL_ID_LABEL, destinations, args);
      if (flow.verdict !== 'allow') add({ ...flow, code: 'content', message: `the arguments contain a national id number: ${flow.message}` });
    }
    if (op.service !== 'billing' && containsCardNumber(args)) {
      add({ verdict: 'deny', code: 'content', label: CARD_NUMBER_LABEL, destination: destinations.at(-1), message: 'the arguments contain a payment card number, which may go only to billing' });
    }
    return [...found.values()];
  }

  /** Policy checks: whether the call may go out (allowed, or approved by a human), else the refusal. */
  private async check(op: Operation, args: Record<string, unknown>, request: CallRequest, spanId: string): Promise<CallOutcome | 'allow' | 'approved'> {
    const findings = this.findings(op, args, request);
    const denied = findings.filter((d) => d.verdict === 'deny');
    if (denied.length) {
      const message = `${op.id} blocked: ${denied.map((d) => d.message).join('; ')}`;
      this.record(op, 'deny', message, 0, spanId, args, request, findings);
      this.miss(op, spanId, findings);
      return { ...fail('PolicyError', message, denied[0].code), stop: 'denied' };
    }
    if (findings.length === 0) return 'allow';
    const approved = this.deps.approved;
    const open = findings.filter((d) => !(approved && (
      (d.code === 'approval' && !d.label && approved.operations.has(op.id)) ||
      (d.code === 'integrity' && d.label !== undefined && approved.flows.has(integrityKey(d.label, op.id))) ||
      (d.code !== 'integrity' && d.label !== undefined && approved.flows.has(flowKey(d.label, d.destination))))));
    if (open.length === 0) return 'approved';
    this.miss(op, spanId, open);
    const request2 = { traceId: this.deps.trace.traceId, operation: op.id, args, reasons: open };
    this.deps.onEvent?.({ type: 'approval', request: request2 });
    this.emit('approval.request', op.id, spanId, { operation: op.id, args: this.redactArguments(args, request), reasons: open });
    // The answer names who gave it, why and how it was authenticated (a bare yes/no from older gates).
    const given = await this.deps.approve(request2).catch(() => false);
    const answer = typeof given === 'boolean' ? { approved: given } : given;
    const yes = answer.approved;
    this.emit('approval.result', op.id, spanId, { ...answer, operation: op.id }, undefined, answer.who ? `user:${answer.who}` : undefined);
    if (!yes) {
      const message = `${op.id} blocked: it needs approval and none was given (${open.map((d) => d.message).join('; ')})`;
      this.record(op, 'deny', message, 0, spanId, args, request, open);
      return { ...fail('PolicyError', message, 'approval'), stop: 'denied' };
    }
    return 'approved';
  }

  /** The runtime refuses (or must ask about) what the static analysis allowed: a bug in the analysis, on the trace. */
  private miss(op: Operation, spanId: string, findings: Decision[]): void {
    if (this.deps.analysisVerdict !== 'allow') return;
    this.emit('analysis.miss', op.id, spanId, {
      operation: op.id,
      findings: findings.map((d) => ({ code: d.code, verdict: d.verdict, label: d.label, destination: d.destination, message: d.message })),
      message: `the analysis judged this program allow, but at run time ${op.id} ${findings.some((d) => d.verdict === 'deny') ? 'is blocked' : 'needs approval'}`,
    });
  }

  private async send(op: Operation, args: Record<string, unknown>, request: CallRequest, spanId: string, decision: 'allow' | 'approved'): Promise<CallOutcome> {
    const { transport, trace, onEvent, atRest } = this.deps;
    // An approval that arrives after the run ended sends nothing.
    if (this.sealed) return fail('ApiError', `${op.id}: the run had ended before the call could be sent`, 'run-ended');
    onEvent?.({ type: 'call.start', operation: op.id, spanId });
    const started = performance.now();
    // A write's labels are at rest from the moment it leaves (a read sent while it is in flight
    // may already see the data); a write that then fails leaves them there, which errs safe.
    if (op.verb !== 'read' && atRest) {
      const sent = new Set<string>(request.pc);
      for (const labels of Object.values(request.labels)) for (const l of labels) sent.add(l);
      atRest.record(op, args, sent, trace.traceId);
    }
    // Any answer may bring back what is stored where the call lands: a write's too (an update
    // answers with the whole record, notes included), and then with what it has just written.
    const atRestLabels = atRest?.labelsFor(op, args) ?? [];
    let status: number;
    let body: unknown;
    this.inFlight.set(spanId, { op, args, request, started });
    try {
      ({ status, body } = await transport.call(op, args, { traceparent: traceparent({ traceId: trace.traceId, spanId }) }));
    } catch (error) {
      this.inFlight.delete(spanId);
      const message = `${op.id}: the request failed: ${error instanceof Error ? error.message : String(error)}`;
      this.record(op, 'error', message, performance.now() - started, spanId, args, request);
      return fail('ApiError', message, 'transport');
    }
    this.inFlight.delete(spanId);
    const durationMs = performance.now() - started;
    this.learn(op, body, atRestLabels, args);
    if (status >= 400) {
      const detail = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${status}`;
      const message = `${op.id} failed with HTTP ${status}: ${detail}`;
      this.record(op, 'error', message, durationMs, spanId, args, request, undefined, body, status);
      return { ok: false, error: { name: 'ApiError', message, code: 'http', status } };
    }
    const text = JSON.stringify(body ?? null);
    if (text.length > MAX_RESPONSE_CHARS) return fail('ApiError', `${op.id}: the response is larger than ${MAX_RESPONSE_CHARS} characters`, 'response-too-large');
    this.record(op, decision, undefined, durationMs, spanId, args, request, undefined, body, status, atRestLabels);
    return {
      ok: true,
      body: text,
      labels: { base: [...op.labels, ...atRestLabels.map((a) => a.label)], fields: op.fieldLabels.map((f) => ({ path: f.path, labels: f.labels })) },
    };
  }

  /** The run now holds the operation's labels; labelled values are remembered for content checks and redaction. */
  private learn(op: Operation, body: unknown, atRestLabels: LabelAtRest[], args: Record<string, unknown>): void {
    for (const label of op.labels) this.labelsRead.add(label);
    for (const field of op.fieldLabels) for (const label of field.labels) this.labelsRead.add(label);
    for (const { label } of atRestLabels) this.labelsRead.add(label);
    for (const { value, labels } of labelledValues(body, op.fieldLabels)) {
      for (const label of labels) {
        this.seen.remember(value, label);
        if (redacts(this.deps.policy, label)) this.deps.redactor.register(value, label);
      }
    }
    // A label the catalog puts on the whole response that must be redacted, with no field saying
    // where it sits: every value of the response is treated as carrying it — except what the
    // program itself sent (the channel or record it named comes back in the answer, and is not the
    // data). Labels at rest are not registered by value: they are as coarse as the place a call
    // names (a channel list carries every label written to any channel), and the runtime redacts
    // by the labels values carry.
    let sent: Set<string> | undefined; // walked only when a label needs it (most calls: none)
    for (const label of op.labels) {
      if (!redacts(this.deps.policy, label) || op.fieldLabels.some((f) => f.labels.includes(label))) continue;
      sent ??= new Set([...labelledValues(args, [{ path: [], labels: [] }])].map(({ value }) => String(value)));
      for (const { value } of labelledValues(body, [{ path: [], labels: [label] }])) if (!sent.has(String(value))) this.deps.redactor.register(value, label);
    }
  }

  /**
   * The arguments as the audit log keeps them: an argument that a `redactInLogs` label (or a
   * secret) reached is replaced by `[REDACTED:<label>]` whatever the program did to it — encoded,
   * spelled out, reversed — because the runtime knows its labels, not just its value.
   */
  private redactArguments(args: Record<string, unknown>, request: CallRequest): Record<string, unknown> {
    const { redactor } = this.deps;
    const redacting = (labels: string[]) => labels.find((l) => redactor.redacts(l));
    const whole = redacting([...request.pc, ...(request.labels['*'] ?? [])]);
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(args)) {
      const label = whole ?? redacting(request.labels[name] ?? []);
      out[name] = label ? `[REDACTED:${label}]` : value;
    }
    return out;
  }

  /**
   * The run has ended: a call still waiting for its answer is recorded now, as sent with its
   * answer unknown, and nothing is sent or recorded after this (run.end comes next).
   */
  seal(): void {
    if (this.sealed) return;
    for (const [spanId, { op, args, request, started }] of this.inFlight) {
      this.record(op, 'error', `${op.id}: still in flight when the run ended (sent; its answer was not awaited)`, performance.now() - started, spanId, args, request);
    }
    this.inFlight.clear();
    this.sealed = true;
  }

  private record(op: Operation, decision: CallRecord['decision'], reason: string | undefined, durationMs: number, spanId: string, args: Record<string, unknown>, request: CallRequest, findings?: Decision[], response?: unknown, status?: number, atRest: LabelAtRest[] = []): void {
    if (this.sealed) return;
    const record: CallRecord = { service: op.service, operation: op.name, decision, reason, durationMs, spanId, ...(request.hiddenFromAgent ? { hiddenFromAgent: true } : {}) };
    this.calls.push(record);
    this.deps.onEvent?.({ type: 'call.end', record });
    const redactedAtRest = atRest.map((a) => a.label).find((l) => this.deps.redactor.redacts(l));
    const sent: Record<string, string[]> = {};
    for (const [name, labels] of Object.entries(request.labels)) {
      const all = [...new Set([...labels, ...request.pc])].sort();
      if (all.length) sent[name] = all;
    }
    const data: ApiCallData = {
      service: op.service,
      operation: op.id,
      verb: op.verb,
      host: op.host,
      decision,
      reason,
      findings,
      destinations: destinationsOf(op, args),
      labels: [],
      sent,
      // Only a call that got an answer received anything.
      received: status === undefined ? [] : [...new Set([...op.labels, ...op.fieldLabels.flatMap((f) => f.labels), ...atRest.map((a) => a.label)])].sort(),
      atRest: atRest.length ? atRest : undefined,
      request: this.redactArguments(args, request),
      status,
      // An answer that carries a redactInLogs label at rest (a message or note written earlier,
      // or just now) is kept on the trace as a marker: where in it the data sits is unknown.
      response: redactedAtRest !== undefined && response !== undefined ? `[REDACTED:${redactedAtRest}]` : response,
      ...(request.hiddenFromAgent ? { hiddenFromAgent: true } : {}),
    };
    // Filed under what it sent as well as what it received: a label filter finds the call that sent it.
    data.labels = callLabels(data);
    this.emit('api.call', op.id, spanId, data, durationMs);
  }

  /** One typed event of this call (audit/lifecycle/events.ts), redacted, on the run's span. */
  private emit<K extends 'api.call' | 'approval.request' | 'approval.result' | 'analysis.miss'>(kind: K, name: string, spanId: string, data: EventData[K], durationMs?: number, actor?: string): void {
    const { audit, trace, runSpanId, redactor } = this.deps;
    if (!audit || this.sealed) return;
    const end = Date.now();
    const event = {
      time: new Date(end - (durationMs ?? 0)).toISOString(),
      traceId: trace.traceId,
      spanId,
      parentSpanId: runSpanId,
      kind,
      actor: actor ?? this.deps.actor,
      name,
      data: redactor.redact(data) as EventData[K],
      durationMs,
    } as TraceEvent;
    audit.append(toAuditEvent(event));
  }
}

/** Labels whose values never reach storage in clear: `redactInLogs` ones, and secrets always. */
export function redacts(policy: Policy, label: string): boolean {
  return label.endsWith('.secret') || label.split('.')[1]?.toLowerCase() === 'secret' || policy.document.dataFlows?.[label]?.redactInLogs === true;
}

function fail(name: string, message: string, code: string): Extract<CallOutcome, { ok: false }> {
  return { ok: false, error: { name, message, code } };
}

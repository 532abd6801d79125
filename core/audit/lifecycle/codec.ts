/**
 * Audit records ↔ typed events. `decodeEvent` is the one place that reads `AuditRecord.data`:
 * it checks each field's type, fills what older logs lack, and turns their shapes into today's
 * (an analysis that kept only part of each call site; runtime answers written as `decision`
 * records named `approve-call`). `toAuditEvent` is the one place that writes it.
 *
 * Pure and browser-safe.
 */
import type { Analysis, CallSite, Diagnostic, Flow, Reason } from '../../analysis/types.ts';
import type { AuditEvent, AuditRecord, EventKind } from '../types.ts';
import type {
  ApiCallData, ApprovalAnsweredData, ConsoleData, DecisionStatement, EventData, Finding, Proof, RunEndedData, TraceEvent,
} from './events.ts';
import { WHOLE_CALL } from './events.ts';

type Data = Record<string, unknown>;

/** The stored form of a typed event (before redaction and chaining). */
export function toAuditEvent(event: TraceEvent): AuditEvent {
  const { seq: _seq, ...rest } = event;
  // The one widening of a typed payload to the store's untyped `data`.
  return { ...rest, data: event.data as unknown as Data };
}

/** A typed event from a stored record or an event about to be stored; undefined for an unknown kind. */
export function decodeEvent(record: AuditEvent | AuditRecord): TraceEvent | undefined {
  const d: Data = isObject(record.data) ? record.data : {};
  // Older logs recorded a runtime approval's answer as a `decision` record.
  const legacyAnswer = record.kind === 'decision' && (record.name === 'approve-call' || record.name === 'deny-call');
  const kind: EventKind = legacyAnswer ? 'approval.result' : record.kind;
  const decode = DECODERS[kind] as ((d: Data, name: string) => unknown) | undefined;
  if (!decode) return undefined;
  // Built field by field: the timeline decodes every record it shows (100k of them).
  const event = {
    time: str(record.time),
    traceId: str(record.traceId),
    spanId: str(record.spanId),
    actor: str(record.actor),
    name: str(record.name),
    kind,
    data: legacyAnswer ? answered(d, record.name === 'approve-call') : decode(d, record.name),
  } as TraceEvent;
  if (record.parentSpanId) event.parentSpanId = record.parentSpanId;
  if (typeof record.durationMs === 'number') event.durationMs = record.durationMs;
  if ('seq' in record && typeof record.seq === 'number') event.seq = record.seq;
  return event;
}

const CALL_DECISIONS = new Set(['allow', 'approved', 'deny', 'error']);
const LEVELS = new Set(['log', 'info', 'warn', 'error', 'debug']);
const RUN_STATUSES = new Set(['ok', 'denied', 'limit', 'error']);

const DECODERS: { [K in EventKind]: (d: Data, name: string) => EventData[K] } = {
  submission: (d) => ({
    submissionId: str(d.submissionId),
    intent: str(d.intent),
    agent: str(d.agent) || 'unknown',
    task: str(d.task) || str(d.sourceHash),
    policy: str(d.policy),
    ...(typeof d.policyHash === 'string' ? { policyHash: d.policyHash } : {}),
    ...(d.policyDocument !== undefined ? { policyDocument: d.policyDocument } : {}),
    catalog: str(d.catalog) || 'demo',
    sourceHash: str(d.sourceHash),
    source: str(d.source),
    ...(typeof d.core === 'number' ? { core: d.core } : {}),
  }),
  analysis: (d) => ({ ...analysis(d), ...(d.restored === true ? { restored: true } : {}), ...(typeof d.core === 'number' ? { core: d.core } : {}) }),
  decision: (d, name) => ({
    decision: d.decision === 'deny' || name === 'deny' ? 'deny' : 'approve',
    who: str(d.who) || 'unknown',
    reason: str(d.reason),
    at: str(d.at),
    sourceHash: str(d.sourceHash),
    ...(isObject(d.statement) ? { statement: d.statement as unknown as DecisionStatement } : {}),
    proof: proof(d.proof),
  }),
  'run.start': (d) => ({ policy: str(d.policy), ...(isObject(d.limits) ? { limits: d.limits as never } : {}) }),
  'api.call': (d, name) => apiCall(d, name),
  console: (d): ConsoleData => {
    const line: ConsoleData = { level: LEVELS.has(d.level as string) ? (d.level as ConsoleData['level']) : 'log', text: str(d.text) };
    if (Array.isArray(d.labels) && d.labels.length) line.labels = strings(d.labels);
    return line;
  },
  'approval.request': (d, name) => ({ operation: str(d.operation) || name, ...(isObject(d.args) ? { args: d.args } : {}), reasons: arr(d.reasons) as Finding[] }),
  'approval.result': (d) => answered(d, d.approved === true),
  limit: (d) => ({ code: str(d.code), message: str(d.message) }),
  'run.end': (d): RunEndedData => ({
    status: RUN_STATUSES.has(d.status as string) ? (d.status as RunEndedData['status']) : 'error',
    ...(d.result !== undefined ? { result: d.result } : {}),
    ...(isObject(d.error) ? { error: { code: str(d.error.code), message: str(d.error.message), ...(typeof d.error.line === 'number' ? { line: d.error.line } : {}) } } : {}),
    ...(typeof d.calls === 'number' ? { calls: d.calls } : {}),
    ...(Array.isArray(d.labelsRead) ? { labelsRead: strings(d.labelsRead) } : {}),
    ...(isObject(d.withheldFrom) ? { withheldFrom: { calls: num(d.withheldFrom.calls), console: num(d.withheldFrom.console), labels: Array.isArray(d.withheldFrom.labels) ? strings(d.withheldFrom.labels) : [], ...(d.withheldFrom.error === true ? { error: true } : {}) } } : {}),
  }),
  'analysis.miss': (d, name) => ({ operation: str(d.operation) || name, findings: arr(d.findings) as Finding[], message: str(d.message), ...(typeof d.line === 'number' ? { line: d.line } : {}) }),
  reviewer: (d) => ({
    credentialId: str(d.credentialId),
    publicKey: str(d.publicKey),
    name: str(d.name),
    counter: typeof d.counter === 'number' ? d.counter : 0,
    ...(isObject(d.endorsedBy) ? { endorsedBy: { credentialId: str(d.endorsedBy.credentialId), proof: proof(d.endorsedBy.proof) } } : {}),
  }),
};

function apiCall(d: Data, name: string): ApiCallData {
  const labels = strings(d.labels);
  const hasNew = isObject(d.sent) || Array.isArray(d.received);
  const sent = isObject(d.sent) ? sentOf(d.sent) : undefined;
  // Older logs: `labels` were the response's labels.
  const received = Array.isArray(d.received) ? strings(d.received) : hasNew ? [] : labels;
  const operation = str(d.operation) || name;
  const call: ApiCallData = {
    service: str(d.service) || operation.split('.')[0],
    operation,
    decision: CALL_DECISIONS.has(d.decision as string) ? (d.decision as ApiCallData['decision']) : 'error',
    labels,
    received,
  };
  if (typeof d.verb === 'string') call.verb = d.verb;
  if (typeof d.host === 'string') call.host = d.host;
  if (typeof d.reason === 'string') call.reason = d.reason;
  if (Array.isArray(d.findings)) call.findings = d.findings as Finding[];
  if (sent) call.sent = sent;
  if (Array.isArray(d.atRest)) call.atRest = d.atRest.filter(isObject).map((a) => ({ label: str(a.label), traceId: str(a.traceId), at: str(a.at), operation: str(a.operation) }));
  if (Array.isArray(d.destinations)) call.destinations = strings(d.destinations);
  if (d.request !== undefined) call.request = d.request;
  if (typeof d.status === 'number') call.status = d.status;
  if (d.response !== undefined) call.response = d.response;
  if (d.hiddenFromAgent === true) call.hiddenFromAgent = true;
  return call;
}

/** Labels per argument: the object itself when well-formed (no copy), else a cleaned copy. */
function sentOf(value: Data): Record<string, string[]> {
  for (const k in value) {
    const labels = value[k];
    if (!Array.isArray(labels) || strings(labels) !== labels) {
      return Object.fromEntries(Object.entries(value).map(([arg, l]) => [arg, strings(l)]));
    }
  }
  return value as Record<string, string[]>;
}

/** Every label a call carries: what it sent (any argument), what it received, what came back at rest. */
export function callLabels(call: Pick<ApiCallData, 'sent' | 'received' | 'atRest'>): string[] {
  const out = new Set<string>();
  for (const labels of Object.values(call.sent ?? {})) for (const l of labels) out.add(l);
  for (const l of call.received ?? []) out.add(l);
  for (const a of call.atRest ?? []) out.add(a.label);
  return [...out];
}

/** The labels a call sent, whatever the argument. */
export function sentLabels(call: Pick<ApiCallData, 'sent'>): string[] {
  return [...new Set(Object.values(call.sent ?? {}).flat())];
}

export { WHOLE_CALL };

function answered(d: Data, approved: boolean): ApprovalAnsweredData {
  return {
    operation: str(d.operation),
    approved,
    ...(typeof d.who === 'string' ? { who: d.who } : {}),
    ...(typeof d.reason === 'string' ? { reason: d.reason } : {}),
    ...(typeof d.at === 'string' ? { at: d.at } : {}),
    ...(isObject(d.statement) ? { statement: d.statement as unknown as DecisionStatement } : {}),
    ...(d.proof !== undefined || typeof d.who === 'string' ? { proof: proof(d.proof) } : {}),
  };
}

function proof(value: unknown): Proof {
  if (!isObject(value)) return { method: 'unsigned' };
  switch (value.method) {
    case 'passkey':
      return {
        method: 'passkey',
        credentialId: str(value.credentialId),
        authenticatorData: str(value.authenticatorData),
        clientDataJSON: str(value.clientDataJSON),
        signature: str(value.signature),
        ...(typeof value.userHandle === 'string' ? { userHandle: value.userHandle } : {}),
      };
    case 'dev':
      return { method: 'dev', note: str(value.note) };
    case 'system':
      return { method: 'system' };
    default:
      return { method: 'unsigned' };
  }
}

/** An analysis, whole (today's records) or rebuilt from the part older records kept of each call site. */
function analysis(d: Data): Analysis {
  const verdict = d.verdict === 'allow' || d.verdict === 'deny' ? d.verdict : 'needs-approval';
  return {
    verdict,
    complete: d.complete === true,
    reasons: arr(d.reasons) as Reason[],
    flows: arr(d.flows) as Flow[],
    diagnostics: arr(d.diagnostics) as Diagnostic[],
    calls: arr(d.calls).filter(isObject).map(callSite),
    unknowns: arr(d.unknowns) as Reason[],
    sourceHash: str(d.sourceHash),
  };
}

function callSite(c: Data): CallSite {
  if (typeof c.service === 'string') return c as unknown as CallSite;
  const [service, ...rest] = str(c.operation).split('.');
  const line = typeof c.line === 'number' ? c.line : 1;
  return {
    id: typeof c.id === 'number' ? c.id : 0,
    service,
    operation: rest.join('.'),
    labels: strings(c.labels),
    destinations: c.destinations === 'unknown' ? 'unknown' : strings(c.destinations),
    constArgs: {},
    line, column: 1, endLine: line, endColumn: 1, start: 0, end: 0,
  };
}

function isObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The array itself when it holds strings only (the usual case: no copy), else its strings. */
function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  for (const v of value) if (typeof v !== 'string') return value.filter((x): x is string => typeof x === 'string');
  return value as string[];
}

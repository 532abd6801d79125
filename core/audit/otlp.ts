/**
 * OTLP/JSON export (the `ExportTraceServiceRequest` of opentelemetry-proto, JSON encoding), as
 * accepted by an OTLP/HTTP receiver (`POST /v1/traces`, Jaeger ≥ 1.35, Grafana Tempo, the
 * OpenTelemetry Collector). OTLP/JSON differs from plain proto3 JSON in two ways this follows:
 * trace and span ids are hex strings (not base64), and enums are integers.
 *
 * Mapping: the records are read as typed events (lifecycle/codec.ts) and grouped into spans
 * (lifecycle/spans.ts), as the workbench's waterfall shows them: the span's primary record (a
 * call's api.call, else the first non-console one) names it and gives its attributes; the other
 * records of the span (run.end after run.start, console lines, approval requests and answers)
 * become span events. Start is the earliest record time, end the latest `time + durationMs`.
 * Status is ERROR when any record was denied, blocked or failed, OK when one went right, else
 * UNSET. Data is already redacted in the log.
 */
import { canonicalJson } from './canonical.ts';
import { decodeEvent } from './lifecycle/codec.ts';
import type { TraceEvent } from './lifecycle/events.ts';
import { labelsOfEvent, outcomeOf, spansOf, type Span, type SpanStatus } from './lifecycle/spans.ts';
import { serviceOf } from './outcome.ts';
import { readLines } from './line-reader.ts';
import { indexFor } from './query.ts';
import type { AuditRecord } from './types.ts';

/** OTLP AnyValue (JSON encoding). */
export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: number | string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } }
  | Record<string, never>;

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  events: OtlpEvent[];
  droppedEventsCount: number;
  /** code: 0 UNSET, 1 OK, 2 ERROR. */
  status: { code: number; message?: string };
  links: never[];
  droppedLinksCount: number;
  flags: number;
}

export interface OtlpTraceRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[]; droppedAttributesCount: number };
    scopeSpans: Array<{ scope: { name: string; version?: string }; spans: OtlpSpan[] }>;
  }>;
}

export const SPAN_KIND_INTERNAL = 1;
export const SPAN_KIND_CLIENT = 3;
export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;
/** W3C "sampled" plus OTLP's "has is_remote" bit (the span is local). */
const SPAN_FLAGS = 0x01 | 0x100;

/** One OTLP attribute value from a JSON value. */
export function anyValue(value: unknown): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value !== null && typeof value === 'object') {
    return { kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: anyValue(v) })) } };
  }
  return {};
}

function attributes(entries: Record<string, unknown>): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out.push({ key, value: anyValue(value) });
  return out;
}

/** Unix nanoseconds as a decimal string, from an ISO time plus a duration in ms. */
function unixNano(time: string, plusMs = 0): string {
  const ms = Date.parse(time);
  if (!Number.isFinite(ms)) return '0';
  return (BigInt(ms) * 1_000_000n + BigInt(Math.round(plusMs * 1_000_000))).toString();
}

/** Attributes of a record: what it is, who, its place in the chain, and its typed fields. */
function recordAttributes(event: TraceEvent, record: AuditRecord): Record<string, unknown> {
  const labels = labelsOfEvent(event);
  const outcome = outcomeOf(event);
  return {
    'flowgate.kind': event.kind,
    'flowgate.actor': event.actor,
    'flowgate.seq': record.seq,
    'flowgate.hash': record.hash,
    'flowgate.service': serviceOf(event.name),
    'flowgate.operation': event.kind === 'api.call' ? event.name : undefined,
    'flowgate.labels': labels.length ? labels : undefined,
    'flowgate.decision': decisionOf(event),
    'flowgate.status': event.kind === 'run.end' ? event.data.status : undefined,
    'flowgate.reason': outcome.message ?? reasonOf(event),
    'flowgate.data': canonicalJson(record.data ?? {}),
  };
}

/** The policy's or a human's word on an event, when it has one. */
function decisionOf(event: TraceEvent): string | undefined {
  switch (event.kind) {
    case 'api.call':
      return event.data.decision;
    case 'decision':
      return event.data.decision;
    case 'analysis':
      return event.data.verdict;
    case 'approval.result':
      return event.data.approved ? 'approved' : 'denied';
    default:
      return undefined;
  }
}

function reasonOf(event: TraceEvent): string | undefined {
  return event.kind === 'decision' || event.kind === 'approval.result' ? event.data.reason : undefined;
}

function toEvent(event: TraceEvent, record: AuditRecord): OtlpEvent {
  const attrs = event.kind === 'console'
    ? { 'flowgate.kind': event.kind, 'flowgate.seq': record.seq, 'flowgate.console.level': event.data.level, 'flowgate.console.text': event.data.text }
    : recordAttributes(event, record);
  return { attributes: attributes(attrs), name: event.kind === 'console' ? 'console' : event.kind, timeUnixNano: unixNano(event.time), droppedAttributesCount: 0 };
}

const STATUS: Record<SpanStatus, number> = { unset: STATUS_UNSET, ok: STATUS_OK, error: STATUS_ERROR };

function toSpan(span: Span, records: ReadonlyMap<TraceEvent, AuditRecord>): OtlpSpan {
  const primary = span.primary;
  const attrs = recordAttributes(primary, records.get(primary) as AuditRecord);
  if (span.labels.length) attrs['flowgate.labels'] = span.labels;
  const out: OtlpSpan = {
    traceId: span.traceId,
    spanId: span.spanId,
    name: primary.kind === 'console' ? 'console' : span.name,
    kind: primary.kind === 'api.call' ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL,
    startTimeUnixNano: unixNano(new Date(span.start).toISOString()),
    endTimeUnixNano: endNano(span),
    attributes: attributes(attrs),
    droppedAttributesCount: 0,
    events: span.events.filter((e) => e !== primary).map((e) => toEvent(e, records.get(e) as AuditRecord)),
    droppedEventsCount: 0,
    status: span.status === 'error' && span.message !== undefined ? { code: STATUS_ERROR, message: span.message } : { code: STATUS[span.status] },
    links: [],
    droppedLinksCount: 0,
    flags: SPAN_FLAGS,
  };
  if (span.parentSpanId !== undefined && span.parentSpanId !== span.spanId) out.parentSpanId = span.parentSpanId;
  return out;
}

/** The span's end in nanoseconds, at sub-millisecond precision (durations are fractional ms). */
function endNano(span: Span): string {
  let end = 0n;
  for (const e of span.events) {
    const t = BigInt(unixNano(e.time, e.durationMs ?? 0));
    if (t > end) end = t;
  }
  return end.toString();
}

/** An OTLP/JSON `ExportTraceServiceRequest` for the given records (any number of traces), read through the typed event model. */
export function exportOtlp(records: Iterable<AuditRecord>): OtlpTraceRequest {
  const byEvent = new Map<TraceEvent, AuditRecord>();
  const byTrace = new Map<string, TraceEvent[]>();
  for (const record of records) {
    const event = decodeEvent(record);
    if (!event) continue;
    byEvent.set(event, record);
    let list = byTrace.get(event.traceId);
    if (!list) byTrace.set(event.traceId, (list = []));
    list.push(event);
  }
  const spans = [...byTrace.values()].flatMap((events) => spansOf(events)).map((span) => toSpan(span, byEvent));
  return {
    resourceSpans: [{
      resource: { attributes: attributes({ 'service.name': 'flowgate' }), droppedAttributesCount: 0 },
      scopeSpans: [{ scope: { name: 'flowgate' }, spans }],
    }],
  };
}

/** Exports one trace of a log (through its index) or the whole log (`'all'`, streamed). */
export async function exportOtlpFile(logFile: string, target: string | 'all'): Promise<OtlpTraceRequest> {
  if (target !== 'all') return exportOtlp((await indexFor(logFile)).readTrace(target));
  const records: AuditRecord[] = [];
  await readLines(logFile, (buf, start, end) => {
    records.push(JSON.parse(buf.toString('utf8', start, end)) as AuditRecord);
  });
  return exportOtlp(records);
}

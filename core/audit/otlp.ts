/**
 * OTLP/JSON export (the `ExportTraceServiceRequest` of opentelemetry-proto, JSON encoding), as
 * accepted by an OTLP/HTTP receiver (`POST /v1/traces`, Jaeger ≥ 1.35, Grafana Tempo, the
 * OpenTelemetry Collector). OTLP/JSON differs from plain proto3 JSON in two ways this follows:
 * trace and span ids are hex strings (not base64), and enums are integers.
 *
 * Mapping: the records sharing a (traceId, spanId) form one span. Its first non-console record
 * names it and gives its attributes; the other records of the span (run.end after run.start,
 * console lines, approval results) become span events. Start is the earliest record time, end the
 * latest `time + durationMs`. Status is ERROR when any record was denied, blocked or failed
 * (outcome.ts), OK when one says so, else UNSET. Data is already redacted in the log.
 */
import { canonicalJson } from './canonical.ts';
import { eventOutcome, labelsOf, outcomeMessage, serviceOf } from './outcome.ts';
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

function stringField(data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  return typeof v === 'string' ? v : undefined;
}

function consoleText(data: Record<string, unknown>): string {
  for (const key of ['text', 'line', 'message']) {
    const v = data[key];
    if (typeof v === 'string') return v;
  }
  const args = data.args;
  return Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : canonicalJson(data);
}

function recordAttributes(r: AuditRecord): Record<string, unknown> {
  const data = r.data ?? {};
  const labels = labelsOf(data);
  return {
    'flowgate.kind': r.kind,
    'flowgate.actor': r.actor,
    'flowgate.seq': r.seq,
    'flowgate.hash': r.hash,
    'flowgate.service': serviceOf(r.name),
    'flowgate.operation': r.kind === 'api.call' ? r.name : undefined,
    'flowgate.labels': labels.length ? labels : undefined,
    'flowgate.decision': stringField(data, 'decision'),
    'flowgate.status': stringField(data, 'status'),
    'flowgate.reason': outcomeMessage(r),
    'flowgate.data': canonicalJson(data),
  };
}

function toEvent(r: AuditRecord): OtlpEvent {
  const data = r.data ?? {};
  const attrs = r.kind === 'console'
    ? { 'flowgate.kind': r.kind, 'flowgate.seq': r.seq, 'flowgate.console.level': stringField(data, 'level') ?? 'log', 'flowgate.console.text': consoleText(data) }
    : recordAttributes(r);
  return { attributes: attributes(attrs), name: r.kind === 'console' ? 'console' : r.kind, timeUnixNano: unixNano(r.time), droppedAttributesCount: 0 };
}

function toSpan(records: AuditRecord[]): OtlpSpan {
  const primary = records.find((r) => r.kind !== 'console') ?? records[0];
  let start = records[0];
  let endNano = 0n;
  let parentSpanId: string | undefined;
  let status: OtlpSpan['status'] = { code: STATUS_UNSET };
  const labels = new Set<string>();
  for (const r of records) {
    if (Date.parse(r.time) < Date.parse(start.time)) start = r;
    const end = BigInt(unixNano(r.time, r.durationMs ?? 0));
    if (end > endNano) endNano = end;
    parentSpanId ??= r.parentSpanId;
    for (const l of labelsOf(r.data)) labels.add(l);
    const outcome = eventOutcome(r);
    if (outcome === 'error' && status.code !== STATUS_ERROR) {
      const message = outcomeMessage(r);
      status = message === undefined ? { code: STATUS_ERROR } : { code: STATUS_ERROR, message };
    } else if (outcome === 'ok' && status.code === STATUS_UNSET) {
      status = { code: STATUS_OK };
    }
  }
  const attrs = recordAttributes(primary);
  if (labels.size) attrs['flowgate.labels'] = [...labels];
  const span: OtlpSpan = {
    traceId: primary.traceId,
    spanId: primary.spanId,
    name: primary.kind === 'console' ? 'console' : primary.name || primary.kind,
    kind: primary.kind === 'api.call' ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL,
    startTimeUnixNano: unixNano(start.time),
    endTimeUnixNano: endNano.toString(),
    attributes: attributes(attrs),
    droppedAttributesCount: 0,
    events: records.filter((r) => r !== primary).map(toEvent),
    droppedEventsCount: 0,
    status,
    links: [],
    droppedLinksCount: 0,
    flags: SPAN_FLAGS,
  };
  if (parentSpanId !== undefined && parentSpanId !== primary.spanId) span.parentSpanId = parentSpanId;
  return span;
}

/** An OTLP/JSON `ExportTraceServiceRequest` for the given records (any number of traces). */
export function exportOtlp(records: Iterable<AuditRecord>): OtlpTraceRequest {
  const groups = new Map<string, AuditRecord[]>();
  for (const r of records) {
    const key = `${r.traceId}/${r.spanId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(r);
  }
  const spans = [...groups.values()].map(toSpan);
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

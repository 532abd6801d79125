/**
 * OTLP validation against the official OpenTelemetry JS exporter package
 * (@opentelemetry/otlp-transformer). That package ships no .proto files or generated root; it
 * ships the serializers the OpenTelemetry SDK uses to talk to collectors. So:
 * 1. the same spans, handed to its `JsonTraceSerializer`, must give exactly our JSON;
 * 2. its `ProtobufTraceSerializer` bytes for those spans, decoded by protobufjs with the OTLP
 *    message layout (field numbers of opentelemetry-proto's trace.proto, transcribed below),
 *    must carry the same ids, times, names, kinds, attributes, events and statuses; and our JSON,
 *    loaded with protobufjs `fromObject` after the OTLP/JSON id rule (hex → bytes), must pass
 *    `verify` and encode to what the official serializer encodes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOtlp, exportOtlpFile, type OtlpAnyValue, type OtlpKeyValue, type OtlpSpan, type OtlpTraceRequest } from './otlp.ts';
import { Redactor } from './redact.ts';
import { AuditLog } from './store.ts';
import { event } from './testing/events.ts';
import { newSpanId, newTraceId } from './trace.ts';
import type { AuditRecord } from './types.ts';

// --- a realistic trace: story 1 denied, story 2 approved run with calls and console lines ---
const trace = newTraceId();
const root = newSpanId();
const analysis = newSpanId();
const run = newSpanId();
const call1 = newSpanId();
const call2 = newSpanId();
const dir = mkdtempSync(join(tmpdir(), 'flowgate-otlp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function makeRecords(): Promise<{ file: string; records: AuditRecord[] }> {
  const file = join(dir, `audit-${Math.random().toString(36).slice(2)}.log`);
  const redactor = new Redactor({ redactLabels: ['workday.compensation'] });
  const log = AuditLog.open(file, { redactor });
  redactor.register('123000', 'workday.compensation'); // seen by the runtime in the compensation response
  const ctx = { traceId: trace };
  const records = [
    log.append(event({ ...ctx, spanId: root, kind: 'submission', actor: 'agent:hr-bot', name: 'submission', data: { intent: 'post salaries', sourceHash: 'ab'.repeat(32) } })),
    log.append(event({ ...ctx, spanId: analysis, parentSpanId: root, kind: 'analysis', actor: 'flowgate', name: 'analysis', durationMs: 12.25, data: { verdict: 'needs-approval', reasons: [{ code: 'flow', line: 4 }] } })),
    log.append(event({ ...ctx, spanId: newSpanId(), parentSpanId: root, kind: 'decision', actor: 'user:maria', name: 'approval', data: { decision: 'approved', reason: 'quarterly review' } })),
    log.append(event({ ...ctx, spanId: run, parentSpanId: root, kind: 'run.start', actor: 'flowgate', name: 'run', data: {} })),
    log.append(event({ ...ctx, spanId: call1, parentSpanId: run, kind: 'api.call', actor: 'agent:hr-bot', name: 'workday.getCompensation', durationMs: 3.5, data: { request: { employeeId: 'emp_001' }, response: { base: 123000 }, labels: ['workday.compensation', 'workday.employeeData'], decision: 'allow', status: 'ok', attempts: 1, ratio: 0.5, flag: true } })),
    log.append(event({ ...ctx, spanId: run, parentSpanId: root, kind: 'console', actor: 'agent:hr-bot', name: 'console', data: { level: 'log', text: 'Ana earns 123000' } })),
    log.append(event({ ...ctx, spanId: call2, parentSpanId: run, kind: 'api.call', actor: 'agent:hr-bot', name: 'slack.postMessage', durationMs: 1, data: { request: { channel: '#general' }, decision: 'blocked', reason: 'workday.compensation → slack.public is not allowed' } })),
    log.append(event({ ...ctx, spanId: run, parentSpanId: root, kind: 'run.end', actor: 'flowgate', name: 'run', durationMs: 40, data: { status: 'denied', error: 'blocked flow' } })),
  ];
  await log.close();
  return { file, records };
}

// --- our JSON → the official SDK's ReadableSpan shape ---
function plain(v: OtlpAnyValue): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('arrayValue' in v) return v.arrayValue.values.map(plain);
  throw new Error('unexpected value');
}
const attrs = (kvs: OtlpKeyValue[]) => Object.fromEntries(kvs.map((kv) => [kv.key, plain(kv.value)]));
const hrTime = (nanos: string): [number, number] => [Number(BigInt(nanos) / 1_000_000_000n), Number(BigInt(nanos) % 1_000_000_000n)];

function toReadableSpans(request: OtlpTraceRequest): unknown[] {
  const rs = request.resourceSpans[0];
  const resource = { attributes: attrs(rs.resource.attributes) };
  const scope = rs.scopeSpans[0].scope;
  return rs.scopeSpans[0].spans.map((s: OtlpSpan) => ({
    name: s.name,
    kind: s.kind - 1, // the API's SpanKind has no UNSPECIFIED
    spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: s.flags & 0xff }),
    parentSpanContext: s.parentSpanId ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: 1 } : undefined,
    startTime: hrTime(s.startTimeUnixNano),
    endTime: hrTime(s.endTimeUnixNano),
    status: s.status,
    attributes: attrs(s.attributes),
    links: [],
    events: s.events.map((e) => ({ name: e.name, time: hrTime(e.timeUnixNano), attributes: attrs(e.attributes), droppedAttributesCount: 0 })),
    duration: [0, 0],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
}

// --- the OTLP trace messages (opentelemetry-proto: collector/trace/v1, trace/v1, common/v1, resource/v1) ---
const OTLP = protobuf.Root.fromJSON({
  nested: {
    otlp: {
      nested: {
        ExportTraceServiceRequest: { fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } } },
        ResourceSpans: { fields: { resource: { type: 'Resource', id: 1 }, scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 }, schemaUrl: { type: 'string', id: 3 } } },
        Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 }, droppedAttributesCount: { type: 'uint32', id: 2 } } },
        ScopeSpans: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, spans: { rule: 'repeated', type: 'Span', id: 2 }, schemaUrl: { type: 'string', id: 3 } } },
        InstrumentationScope: { fields: { name: { type: 'string', id: 1 }, version: { type: 'string', id: 2 }, attributes: { rule: 'repeated', type: 'KeyValue', id: 3 }, droppedAttributesCount: { type: 'uint32', id: 4 } } },
        Span: {
          fields: {
            traceId: { type: 'bytes', id: 1 }, spanId: { type: 'bytes', id: 2 }, traceState: { type: 'string', id: 3 },
            parentSpanId: { type: 'bytes', id: 4 }, flags: { type: 'fixed32', id: 16 }, name: { type: 'string', id: 5 },
            kind: { type: 'int32', id: 6 }, startTimeUnixNano: { type: 'fixed64', id: 7 }, endTimeUnixNano: { type: 'fixed64', id: 8 },
            attributes: { rule: 'repeated', type: 'KeyValue', id: 9 }, droppedAttributesCount: { type: 'uint32', id: 10 },
            events: { rule: 'repeated', type: 'Event', id: 11 }, droppedEventsCount: { type: 'uint32', id: 12 },
            links: { rule: 'repeated', type: 'Link', id: 13 }, droppedLinksCount: { type: 'uint32', id: 14 }, status: { type: 'Status', id: 15 },
          },
        },
        Event: { fields: { timeUnixNano: { type: 'fixed64', id: 1 }, name: { type: 'string', id: 2 }, attributes: { rule: 'repeated', type: 'KeyValue', id: 3 }, droppedAttributesCount: { type: 'uint32', id: 4 } } },
        Link: { fields: { traceId: { type: 'bytes', id: 1 }, spanId: { type: 'bytes', id: 2 }, traceState: { type: 'string', id: 3 }, attributes: { rule: 'repeated', type: 'KeyValue', id: 4 }, droppedAttributesCount: { type: 'uint32', id: 5 }, flags: { type: 'fixed32', id: 6 } } },
        Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: { type: 'string', id: 1 }, boolValue: { type: 'bool', id: 2 }, intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 }, arrayValue: { type: 'ArrayValue', id: 5 }, kvlistValue: { type: 'KeyValueList', id: 6 }, bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
        KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
      },
    },
  },
});
const Request = OTLP.lookupType('otlp.ExportTraceServiceRequest');

/** OTLP/JSON → protobufjs object: ids are hex in OTLP/JSON, bytes in protobuf. */
function jsonToProtoObject(json: OtlpTraceRequest): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(json)) as OtlpTraceRequest;
  for (const rs of copy.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) {
    const span = s as unknown as Record<string, unknown>;
    span.traceId = Buffer.from(s.traceId, 'hex');
    span.spanId = Buffer.from(s.spanId, 'hex');
    if (s.parentSpanId) span.parentSpanId = Buffer.from(s.parentSpanId, 'hex');
  }
  return copy as unknown as Record<string, unknown>;
}

const decodeOptions = { longs: String, bytes: String, defaults: false, arrays: true, oneofs: false };

describe('OTLP export', () => {
  it('maps spans, events, attributes and statuses', async () => {
    const { records } = await makeRecords();
    const out = exportOtlp(records);
    const rs = out.resourceSpans[0];
    expect(rs.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'flowgate' } }]);
    expect(rs.scopeSpans[0].scope.name).toBe('flowgate');
    const spans = rs.scopeSpans[0].spans;
    expect(spans.map((s) => s.name)).toEqual(['submission', 'analysis', 'approval', 'run', 'workday.getCompensation', 'slack.postMessage']);
    for (const s of spans) {
      expect(s.traceId).toBe(trace);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.startTimeUnixNano).toMatch(/^\d{19}$/);
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    }
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName.submission.parentSpanId).toBeUndefined();
    expect(byName.analysis.parentSpanId).toBe(root);
    expect(BigInt(byName.analysis.endTimeUnixNano) - BigInt(byName.analysis.startTimeUnixNano)).toBe(12_250_000n);
    const get = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value;
    const call = byName['workday.getCompensation'];
    expect(call.kind).toBe(3);
    expect(get(call, 'flowgate.kind')).toEqual({ stringValue: 'api.call' });
    expect(get(call, 'flowgate.actor')).toEqual({ stringValue: 'agent:hr-bot' });
    expect(get(call, 'flowgate.operation')).toEqual({ stringValue: 'workday.getCompensation' });
    expect(get(call, 'flowgate.decision')).toEqual({ stringValue: 'allow' });
    expect(get(call, 'flowgate.labels')).toEqual({ arrayValue: { values: [{ stringValue: 'workday.compensation' }, { stringValue: 'workday.employeeData' }] } });
    expect(call.status).toEqual({ code: 1 });
    expect(byName['slack.postMessage'].status).toEqual({ code: 2, message: 'workday.compensation → slack.public is not allowed' });
    const runSpan = byName.run;
    expect(runSpan.status.code).toBe(2);
    expect(runSpan.events.map((e) => e.name)).toEqual(['console', 'run.end']);
    expect(runSpan.events[0].attributes).toContainEqual({ key: 'flowgate.console.text', value: { stringValue: 'Ana earns [REDACTED:workday.compensation]' } });
    expect(BigInt(runSpan.endTimeUnixNano) - BigInt(runSpan.startTimeUnixNano)).toBeGreaterThanOrEqual(40_000_000n);
  });

  it('is exactly what the official OpenTelemetry JSON serializer sends', async () => {
    const { records } = await makeRecords();
    const ours = exportOtlp(records);
    const official = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(toReadableSpans(ours) as never)));
    expect(official).toEqual(JSON.parse(JSON.stringify(ours)));
  });

  it('matches the official protobuf encoding and passes protobufjs verify', async () => {
    const { records } = await makeRecords();
    const ours = exportOtlp(records);
    const wire = ProtobufTraceSerializer.serializeRequest(toReadableSpans(ours) as never);
    expect(wire).toBeInstanceOf(Uint8Array);
    const decodedOfficial = Request.toObject(Request.decode(wire as Uint8Array), decodeOptions);

    // fromObject takes the JSON mapping (decimal strings for 64-bit times); verify checks the message.
    const fromOurs = Request.fromObject(jsonToProtoObject(ours));
    expect(Request.verify(fromOurs)).toBeNull();
    const roundTrip = Request.toObject(Request.decode(Request.encode(fromOurs).finish()), decodeOptions);
    expect(roundTrip).toEqual(decodedOfficial);

    // And the decoded official bytes say what our JSON says (ids as hex, times as decimal nanos).
    const spans = (decodedOfficial.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<Record<string, string>> }> }>)[0].scopeSpans[0].spans;
    const ourSpans = ours.resourceSpans[0].scopeSpans[0].spans;
    spans.forEach((s, i) => {
      expect(Buffer.from(s.traceId, 'base64').toString('hex')).toBe(ourSpans[i].traceId);
      expect(Buffer.from(s.spanId, 'base64').toString('hex')).toBe(ourSpans[i].spanId);
      expect(s.startTimeUnixNano).toBe(ourSpans[i].startTimeUnixNano);
      expect(s.name).toBe(ourSpans[i].name);
    });
  });

  it('exports from the log file, one trace or all, with redacted data', async () => {
    const { file } = await makeRecords();
    const one = await exportOtlpFile(file, trace);
    expect(one.resourceSpans[0].scopeSpans[0].spans).toHaveLength(6);
    const all = await exportOtlpFile(file, 'all');
    expect(all).toEqual(one);
    expect(await exportOtlpFile(file, 'f'.repeat(32))).toMatchObject({ resourceSpans: [{ scopeSpans: [{ spans: [] }] }] });
  });
});

/**
 * A trace as spans: the events sharing a span id form one span (submit, analysis, decision, the
 * run, each API call with its runtime approval), nested by parent span id, with a start, an end
 * and an outcome. The workbench's waterfall and the OTLP export both read these. Pure and
 * browser-safe.
 */
import type { EventKind } from '../types.ts';
import { callLabels } from './codec.ts';
import type { TraceEvent } from './events.ts';

export type SpanStatus = 'ok' | 'error' | 'unset';

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** What the span is: a call's api.call record, else its first event other than a console line. */
  primary: TraceEvent;
  kind: EventKind;
  name: string;
  /** Milliseconds since the epoch. */
  start: number;
  end: number;
  /** 0 for the trace's root; children are one deeper than their parent. */
  depth: number;
  /** Every event of the span, in log order. */
  events: TraceEvent[];
  status: SpanStatus;
  /** Why it failed, in words. */
  message?: string;
  labels: string[];
}

/** Whether an event went wrong, went right, or does not say; and why, in words. */
export function outcomeOf(event: TraceEvent): { status: SpanStatus; message?: string } {
  switch (event.kind) {
    case 'api.call':
      return event.data.decision === 'deny' || event.data.decision === 'error'
        ? { status: 'error', message: event.data.reason }
        : { status: 'ok' };
    case 'run.end':
      return event.data.status === 'ok' ? { status: 'ok' } : { status: 'error', message: event.data.error?.message ?? event.data.status };
    case 'decision':
      return event.data.decision === 'deny' ? { status: 'error', message: event.data.reason } : { status: 'ok' };
    case 'approval.result':
      return event.data.approved ? { status: 'ok' } : { status: 'error', message: event.data.reason ?? `${event.data.operation} was not approved` };
    case 'limit':
      return { status: 'error', message: event.data.message };
    case 'analysis.miss':
      return { status: 'error', message: event.data.message };
    default:
      return { status: 'unset' };
  }
}

/** The labels an event carries (an API call: sent, received, at rest; a miss: the labels it missed). */
export function labelsOfEvent(event: TraceEvent): string[] {
  // The writer stores the union in `labels` (older logs: the response's labels, which is all they know).
  if (event.kind === 'api.call') return event.data.labels.length || (!event.data.sent && !event.data.atRest) ? event.data.labels : callLabels(event.data);
  if (event.kind === 'analysis.miss') return [...new Set(event.data.findings.flatMap((f) => (f.label ? [f.label] : [])))];
  return [];
}

/** The spans of a trace's events (any order in, depth-first by start out: each parent before its children). */
export function spansOf(events: readonly TraceEvent[]): Span[] {
  const byId = new Map<string, Span>();
  for (const event of events) {
    const key = event.spanId;
    const t = Date.parse(event.time);
    const end = t + (event.durationMs ?? 0);
    let span = byId.get(key);
    if (!span) {
      span = { traceId: event.traceId, spanId: key, primary: event, kind: event.kind, name: event.name || event.kind, start: t, end, depth: 0, events: [], status: 'unset', labels: [] };
      byId.set(key, span);
    }
    span.events.push(event);
    // A call's span is its api.call record, whatever was asked before it; otherwise the first non-console record.
    if ((span.primary.kind === 'console' && event.kind !== 'console') || (event.kind === 'api.call' && span.primary.kind !== 'api.call')) {
      span.primary = event;
      span.kind = event.kind;
      span.name = event.name || event.kind;
    }
    span.parentSpanId ??= event.parentSpanId !== key ? event.parentSpanId : undefined;
    if (t < span.start) span.start = t;
    if (end > span.end) span.end = end;
    const outcome = outcomeOf(event);
    if (outcome.status === 'error' && span.status !== 'error') {
      span.status = 'error';
      span.message = outcome.message;
    } else if (outcome.status === 'ok' && span.status === 'unset') span.status = 'ok';
    for (const l of labelsOfEvent(event)) if (!span.labels.includes(l)) span.labels.push(l);
  }
  // Depth-first, children by start time; spans whose parent is missing are roots.
  const children = new Map<string | undefined, Span[]>();
  for (const span of byId.values()) {
    const parent = span.parentSpanId && byId.has(span.parentSpanId) ? span.parentSpanId : undefined;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(span);
  }
  for (const list of children.values()) list.sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  const visit = (parent: string | undefined, depth: number): void => {
    for (const span of children.get(parent) ?? []) {
      span.depth = depth;
      out.push(span);
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return out;
}

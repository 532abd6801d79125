/**
 * Pure functions behind the Timeline view: audit records → rows (one trace per submission), read
 * through the core's typed event model (audit/lifecycle) — never by digging in `data` — facets
 * for the filters, filtering, and the lazily computed request/response text. Free of React and
 * the DOM so it is unit-tested and fast at 100k events: building a row decodes its record once
 * and does no JSON work; only the rows on screen format their payloads.
 */
import { decodeEvent, sentLabels } from '../../core/audit/lifecycle/codec.ts';
import { methodText } from '../../core/audit/lifecycle/describe.ts';
import type { TraceEvent } from '../../core/audit/lifecycle/events.ts';
import { labelsOfEvent } from '../../core/audit/lifecycle/spans.ts';
import type { AuditRecord, EventKind } from '../../core/audit/types.ts';

export interface TimelineRow {
  /** `traceId:seq`, unique across traces. */
  key: string;
  traceId: string;
  seq: number;
  /** Milliseconds since the epoch. */
  t: number;
  kind: EventKind;
  name: string;
  actor: string;
  /** The submitting agent of the row's trace (`workbench`, `claude-code`…), `''` when unknown. */
  agent: string;
  service: string;
  /** Every label the event carries: what an API call sent (any argument) and received. */
  labels: string[];
  /** Labels an API call sent. */
  sent: string[];
  /** Destination classes an API call named (`slack.internal`…). */
  destinations: string[];
  /** allow / deny / needs-approval / approve / approved / ok / error…, `''` when none. */
  decision: string;
  durationMs?: number;
  event: TraceEvent;
  record: AuditRecord;
}

export interface TimelineFilters {
  traceId?: string;
  agent?: string;
  service?: string;
  /** A label the event carries — sent or received. */
  label?: string;
  destination?: string;
  decision?: string;
  /** Case-insensitive substring of the row's name, summary, labels or destinations. */
  text?: string;
}

export interface Facets {
  agents: string[];
  services: string[];
  labels: string[];
  destinations: string[];
  decisions: string[];
}

/** The agent named by a trace's `submission` event (its data, else the `agent:` actor). */
export function agentOf(event: TraceEvent): string {
  if (event.kind === 'submission' && event.data.agent && event.data.agent !== 'unknown') return event.data.agent;
  return event.actor.startsWith('agent:') ? event.actor.slice('agent:'.length) : '';
}

/** The API service an event concerns. */
export function serviceOf(event: TraceEvent): string {
  switch (event.kind) {
    case 'api.call':
      return event.data.service;
    case 'approval.request':
    case 'approval.result':
    case 'analysis.miss':
      return event.data.operation.split('.')[0] ?? '';
    default:
      return '';
  }
}

/** The decision or outcome a row shows and filters by. */
export function decisionOf(event: TraceEvent): string {
  switch (event.kind) {
    case 'analysis':
      return event.data.verdict;
    case 'decision':
      return event.data.decision;
    case 'api.call':
      return event.data.decision;
    case 'approval.result':
      return event.data.approved ? 'approved' : 'denied';
    case 'run.end':
      return event.data.status;
    case 'limit':
      return 'limit';
    case 'analysis.miss':
      return 'analysis miss';
    default:
      return '';
  }
}

/** A placeholder for a record of a kind this workbench does not know (a newer core). */
function unknownEvent(r: AuditRecord): TraceEvent {
  return { time: r.time, traceId: r.traceId, spanId: r.spanId, actor: r.actor, name: r.name, seq: r.seq, kind: 'console', data: { level: 'info', text: `(${r.kind})` } };
}

/** Rows for records, in the given order; each trace's agent comes from its `submission` event. */
export function buildRows(records: readonly AuditRecord[], knownAgents?: ReadonlyMap<string, string>): TimelineRow[] {
  const events = records.map((r) => decodeEvent(r) ?? unknownEvent(r));
  const agents = new Map(knownAgents ?? []);
  for (const e of events) if (e.kind === 'submission' && !agents.has(e.traceId)) agents.set(e.traceId, agentOf(e));
  const rows = new Array<TimelineRow>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const e = events[i];
    rows[i] = {
      key: `${r.traceId}:${r.seq}`,
      traceId: r.traceId,
      seq: r.seq,
      t: Date.parse(r.time),
      kind: r.kind,
      name: r.name,
      actor: r.actor,
      agent: agents.get(r.traceId) ?? '',
      service: serviceOf(e),
      labels: labelsOfEvent(e),
      sent: e.kind === 'api.call' ? sentLabels(e.data) : [],
      destinations: e.kind === 'api.call' ? (e.data.destinations ?? []) : [],
      decision: decisionOf(e),
      durationMs: r.durationMs,
      event: e,
      record: r,
    };
  }
  return rows;
}

/**
 * Rows for every opened trace, traces in the order of their first event. Rows of a trace are
 * built once per version of its record array (`cache`), so opening or extending one trace
 * does not rebuild the others.
 */
export function rowsOfTraces(traces: Record<string, readonly AuditRecord[]>, cache: WeakMap<readonly AuditRecord[], TimelineRow[]>): TimelineRow[] {
  const lists = Object.values(traces).filter((r) => r.length > 0);
  lists.sort((a, b) => a[0].seq - b[0].seq || a[0].time.localeCompare(b[0].time));
  const parts = lists.map((records) => {
    let rows = cache.get(records);
    if (!rows) cache.set(records, (rows = buildRows(records)));
    return rows;
  });
  return parts.length === 1 ? parts[0] : parts.flat();
}

/** The distinct values each filter can take, sorted. */
export function facetsOf(rows: readonly TimelineRow[]): Facets {
  const agents = new Set<string>();
  const services = new Set<string>();
  const labels = new Set<string>();
  const destinations = new Set<string>();
  const decisions = new Set<string>();
  for (const row of rows) {
    if (row.agent) agents.add(row.agent);
    if (row.service) services.add(row.service);
    for (const l of row.labels) labels.add(l);
    for (const d of row.destinations) destinations.add(d);
    if (row.decision) decisions.add(row.decision);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { agents: sorted(agents), services: sorted(services), labels: sorted(labels), destinations: sorted(destinations), decisions: sorted(decisions) };
}

export function hasFilters(filters: TimelineFilters): boolean {
  return Object.values(filters).some((v) => typeof v === 'string' && v !== '');
}

/** The rows that match every filter set (an empty or missing filter matches everything). */
export function filterRows(rows: readonly TimelineRow[], filters: TimelineFilters): readonly TimelineRow[] {
  if (!hasFilters(filters)) return rows;
  const text = filters.text?.toLowerCase();
  return rows.filter(
    (row) =>
      (!filters.traceId || row.traceId === filters.traceId) &&
      (!filters.agent || row.agent === filters.agent) &&
      (!filters.service || row.service === filters.service) &&
      (!filters.label || row.labels.includes(filters.label)) &&
      (!filters.destination || row.destinations.includes(filters.destination)) &&
      (!filters.decision || row.decision === filters.decision) &&
      (!text || matchesText(row, text)),
  );
}

function matchesText(row: TimelineRow, text: string): boolean {
  return row.name.toLowerCase().includes(text)
    || summarize(row.event).toLowerCase().includes(text)
    || row.labels.some((l) => l.toLowerCase().includes(text))
    || row.destinations.some((d) => d.toLowerCase().includes(text));
}

/** The short text arguments of a request (`channel: #hr-leads`), where destinations are named. */
function argsText(request: unknown): string {
  if (!request || typeof request !== 'object') return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(request as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') parts.push(`${k}: ${String(v).length > 40 ? `${String(v).slice(0, 40)}…` : v}`);
  }
  return parts.join(', ');
}

/** One line about an event, for the row (computed for visible rows only). */
export function summarize(event: TraceEvent): string {
  switch (event.kind) {
    case 'submission':
      return `${event.data.intent || 'submitted'}${event.data.policy ? ` · policy ${event.data.policy}` : ''}`;
    case 'analysis': {
      const reasons = event.data.reasons.length;
      return `verdict ${event.data.verdict} · ${reasons} reason${reasons === 1 ? '' : 's'}`;
    }
    case 'decision':
      return `${event.data.decision} by ${event.data.who} (${methodText(event.data.proof.method)})${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'api.call': {
      const d = event.data;
      const args = argsText(d.request);
      const to = d.destinations?.filter((x) => x !== d.service) ?? [];
      const sent = sentLabels(d);
      return `${d.operation}(${args})${to.length ? ` → ${to.join(', ')}` : ''}${sent.length ? ` · sent ${sent.join(', ')}` : ''}${typeof d.status === 'number' ? ` · HTTP ${d.status}` : ''}${d.reason ? ` · ${d.reason}` : ''}`;
    }
    case 'console':
      return `[${event.data.level}] ${event.data.text}`;
    case 'run.start':
      return `run started${event.data.policy ? ` under ${event.data.policy}` : ''}`;
    case 'run.end':
      return `run ${event.data.status}${event.data.calls !== undefined ? ` · ${event.data.calls} calls` : ''}${event.data.error ? ` · ${event.data.error.message}` : ''}`;
    case 'approval.request':
      return `approval asked for ${event.data.operation}${event.data.reasons.length ? `: ${event.data.reasons.map((r) => r.message).join('; ')}` : ''}`;
    case 'approval.result': {
      const d = event.data;
      const by = d.who ? ` by ${d.who}${d.proof ? ` (${methodText(d.proof.method)})` : ''}` : '';
      return `${d.operation} ${d.approved ? 'approved' : 'denied'}${by}${d.reason ? `: ${d.reason}` : ''}`;
    }
    case 'limit':
      return event.data.message || event.data.code;
    case 'analysis.miss':
      return `analysis miss at ${event.data.operation}: ${event.data.message}`;
    case 'reviewer':
      return `reviewer ${event.data.name} registered a passkey${event.data.endorsedBy ? ' (endorsed)' : ''}`;
  }
}

/** Pretty JSON, cut at `max` characters. */
export function preview(value: unknown, max = 4000): string {
  if (value === undefined) return '';
  const text = JSON.stringify(value, null, 2) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

/** The request and response of an API call (already redacted by the core), or the event's data. */
export function payloadOf(event: TraceEvent): { request?: string; response?: string; data?: string } {
  if (event.kind === 'api.call') return { request: preview(event.data.request), response: preview(event.data.response) };
  return { data: preview(event.data) };
}

/** Merges records into a trace's list by `seq` (later copies win), sorted. */
export function mergeRecords(existing: readonly AuditRecord[], incoming: readonly AuditRecord[]): AuditRecord[] {
  if (incoming.length === 0) return existing as AuditRecord[];
  const last = existing.at(-1);
  if (last && incoming.every((r, i) => r.seq > (i === 0 ? last.seq : incoming[i - 1].seq))) return [...existing, ...incoming];
  const bySeq = new Map<number, AuditRecord>();
  for (const r of existing) bySeq.set(r.seq, r);
  for (const r of incoming) bySeq.set(r.seq, r);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Duration as a short string: `850 µs`, `12 ms`, `1.4 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

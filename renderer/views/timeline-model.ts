/**
 * Pure functions behind the Timeline view: audit records → rows (one trace per submission),
 * facets for the filters, filtering, and the lazily computed request/response text. Kept free
 * of React and the DOM so it is unit-tested and fast at 100k events: building a row does no
 * JSON work; only the rows on screen format their payloads.
 */
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
  labels: string[];
  /** allow / deny / needs-approval / approve / approved / ok / error…, `''` when none. */
  decision: string;
  durationMs?: number;
  record: AuditRecord;
}

export interface TimelineFilters {
  traceId?: string;
  agent?: string;
  service?: string;
  label?: string;
  decision?: string;
  /** Case-insensitive substring of the row's name or summary. */
  text?: string;
}

export interface Facets {
  agents: string[];
  services: string[];
  labels: string[];
  decisions: string[];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The agent named by a trace's `submission` event (`data.agent`, else the `agent:` actor). */
export function agentOf(record: AuditRecord): string {
  const fromData = str(record.data.agent);
  if (fromData) return fromData;
  return record.actor.startsWith('agent:') ? record.actor.slice('agent:'.length) : '';
}

/** The API service a record concerns: `data.service`, else the part of `data.operation` or the name before the dot. */
export function serviceOf(record: AuditRecord): string {
  const service = str(record.data.service);
  if (service) return service;
  if (record.kind !== 'api.call' && record.kind !== 'approval.request' && record.kind !== 'approval.result') return '';
  const op = str(record.data.operation) || record.name;
  const dot = op.indexOf('.');
  return dot > 0 ? op.slice(0, dot) : '';
}

/** The decision or outcome a row shows and filters by. */
export function decisionOf(record: AuditRecord): string {
  const d = record.data;
  if (typeof d.decision === 'string') return d.decision;
  if (record.kind === 'analysis' && typeof d.verdict === 'string') return d.verdict;
  if (record.kind === 'approval.result' && typeof d.approved === 'boolean') return d.approved ? 'approved' : 'denied';
  if (record.kind === 'run.end' && typeof d.status === 'string') return d.status;
  if (record.kind === 'limit') return 'limit';
  return '';
}

function labelsOf(record: AuditRecord): string[] {
  const labels = record.data.labels;
  if (!Array.isArray(labels)) return [];
  const out: string[] = [];
  for (const l of labels) if (typeof l === 'string' && !out.includes(l)) out.push(l);
  return out;
}

/** Rows for records, in the given order; each trace's agent comes from its `submission` event. */
export function buildRows(records: readonly AuditRecord[], knownAgents?: ReadonlyMap<string, string>): TimelineRow[] {
  const agents = new Map(knownAgents ?? []);
  for (const r of records) if (r.kind === 'submission' && !agents.has(r.traceId)) agents.set(r.traceId, agentOf(r));
  const rows = new Array<TimelineRow>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    rows[i] = {
      key: `${r.traceId}:${r.seq}`,
      traceId: r.traceId,
      seq: r.seq,
      t: Date.parse(r.time),
      kind: r.kind,
      name: r.name,
      actor: r.actor,
      agent: agents.get(r.traceId) ?? '',
      service: serviceOf(r),
      labels: labelsOf(r),
      decision: decisionOf(r),
      durationMs: r.durationMs,
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
  const decisions = new Set<string>();
  for (const row of rows) {
    if (row.agent) agents.add(row.agent);
    if (row.service) services.add(row.service);
    for (const l of row.labels) labels.add(l);
    if (row.decision) decisions.add(row.decision);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { agents: sorted(agents), services: sorted(services), labels: sorted(labels), decisions: sorted(decisions) };
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
      (!filters.decision || row.decision === filters.decision) &&
      (!text || row.name.toLowerCase().includes(text) || summarize(row.record).toLowerCase().includes(text)),
  );
}

/** One line about a record, for the row (computed for visible rows only). */
export function summarize(record: AuditRecord): string {
  const d = record.data;
  switch (record.kind) {
    case 'submission':
      return `${str(d.intent) || 'submitted'}${d.policy ? ` · policy ${str(d.policy)}` : ''}`;
    case 'analysis': {
      const reasons = Array.isArray(d.reasons) ? d.reasons.length : 0;
      return `verdict ${str(d.verdict)} · ${reasons} reason${reasons === 1 ? '' : 's'}`;
    }
    case 'decision':
      return `${str(d.decision) || (d.approved === true ? 'approve' : d.approved === false ? 'deny' : '')} by ${str(d.who) || record.actor}${d.reason ? `: ${str(d.reason)}` : ''}`;
    case 'api.call':
      return `${str(d.operation) || record.name}${typeof d.status === 'number' ? ` → HTTP ${d.status}` : ''}${d.reason ? ` · ${str(d.reason)}` : ''}`;
    case 'console':
      return `[${str(d.level) || 'log'}] ${str(d.text)}`;
    case 'run.start':
      return `run started${d.policy ? ` under ${str(d.policy)}` : ''}`;
    case 'run.end':
      return `run ${str(d.status)}${typeof d.calls === 'number' ? ` · ${d.calls} calls` : ''}${isError(d.error) ? ` · ${errorText(d.error)}` : ''}`;
    case 'approval.request':
      return `approval requested for ${str(d.operation) || record.name}`;
    case 'approval.result':
      return `${str(d.operation) || record.name} ${d.approved ? 'approved' : 'denied'}`;
    case 'limit':
      return str(d.message) || str(d.code);
    default:
      return record.name;
  }
}

function isError(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'object' && value !== null && 'message' in value);
}

function errorText(value: unknown): string {
  return typeof value === 'string' ? value : str((value as { message?: unknown }).message);
}

/** Pretty JSON, cut at `max` characters. */
export function preview(value: unknown, max = 4000): string {
  if (value === undefined) return '';
  const text = JSON.stringify(value, null, 2) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

/** The request and response of an API call (already redacted by the core), or the event's data. */
export function payloadOf(record: AuditRecord): { request?: string; response?: string; data?: string } {
  if (record.kind === 'api.call') return { request: preview(record.data.request), response: preview(record.data.response) };
  return { data: preview(record.data) };
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

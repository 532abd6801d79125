/**
 * The timeline: the list of traces, the records of the traces opened (from the Dexie cache at
 * once, then from the core), live `audit` events, and the filters. Rows are derived in the
 * view through timeline-model.ts.
 */
import { createStore } from 'zustand/vanilla';
import { decodeEvent } from '../../core/audit/lifecycle/codec.ts';
import type { AuditRecord } from '../../core/audit/types.ts';
import type { TraceSummary } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';
import type { TraceCache } from '../db/traces.ts';
import { mergeRecords, type TimelineFilters } from '../views/timeline-model.ts';

export interface TimelineState {
  traces: TraceSummary[];
  /** Records per opened trace, in `seq` order. */
  records: Record<string, AuditRecord[]>;
  /** Bumped on every change of `records`, so views can memoize on one number. */
  version: number;
  filters: TimelineFilters;
  loading: boolean;
  error?: string;
  refresh(): Promise<void>;
  open(traceId: string): Promise<void>;
  append(record: AuditRecord): void;
  /** Replaces everything (the perf harness, tests). */
  replace(records: Record<string, AuditRecord[]>, traces?: TraceSummary[]): void;
  setFilter<K extends keyof TimelineFilters>(key: K, value: TimelineFilters[K]): void;
  clearFilters(): void;
}

export function createTimelineStore(bridge: Bridge | undefined, cache: TraceCache) {
  return createStore<TimelineState>()((set) => {
    const setTrace = (traceId: string, records: AuditRecord[]): void =>
      set((s) => ({ records: { ...s.records, [traceId]: mergeRecords(s.records[traceId] ?? [], records) }, version: s.version + 1 }));
    return {
      traces: [],
      records: {},
      version: 0,
      filters: {},
      loading: false,
      refresh: async () => {
        if (!bridge) return;
        set({ loading: true });
        try {
          const traces = await bridge.call('traces.list', { limit: 500 });
          set({ traces, loading: false, error: undefined });
        } catch (error) {
          set({ loading: false, error: errorMessage(error) });
        }
      },
      open: async (traceId) => {
        set((s) => ({ filters: { ...s.filters, traceId } }));
        const cached = await cache.load(traceId);
        if (cached.length) setTrace(traceId, cached);
        if (!bridge) return;
        try {
          const fresh = await bridge.call('trace.get', { traceId });
          setTrace(traceId, fresh);
          await cache.put(fresh);
        } catch (error) {
          set({ error: errorMessage(error) });
        }
      },
      append: (record) => {
        setTrace(record.traceId, [record]);
        void cache.put([record]);
        set((s) => ({ traces: withRecord(s.traces, record) }));
      },
      replace: (records, traces) => set((s) => ({ records, traces: traces ?? s.traces, version: s.version + 1 })),
      setFilter: (key, value) => set((s) => ({ filters: { ...s.filters, [key]: value || undefined } })),
      clearFilters: () => set({ filters: {} }),
    };
  });
}
export type TimelineStore = ReturnType<typeof createTimelineStore>;

/** The trace list after one live record: a new trace first, a known one counted and extended. */
export function withRecord(traces: TraceSummary[], record: AuditRecord): TraceSummary[] {
  const event = record.kind === 'submission' || record.kind === 'reviewer' ? decodeEvent(record) : undefined;
  const about = event?.kind === 'submission' ? { submissionId: event.data.submissionId, intent: event.data.intent, agent: event.data.agent }
    : event?.kind === 'reviewer' ? { intent: `Reviewer passkey registered: ${event.data.name}`, agent: 'reviewer' } : {};
  const at = traces.findIndex((t) => t.traceId === record.traceId);
  if (at < 0) return [{ traceId: record.traceId, start: record.time, end: record.time, events: 1, ...about }, ...traces];
  const known = traces[at];
  const updated = { ...known, ...about, events: known.events + 1, end: record.time > known.end ? record.time : known.end };
  return traces.map((t, i) => (i === at ? updated : t));
}

/**
 * Reading traces back from a log file. Each function opens (or reuses) the log's `AuditIndex`
 * (trace-index.ts) and catches it up with records appended since, so repeated calls cost only the
 * query itself.
 */
import { resolve } from 'node:path';
import { AuditIndex, type EventFilter, type Page, type TraceSummary } from './trace-index.ts';
import type { AuditRecord } from './types.ts';

const open = new Map<string, Promise<AuditIndex>>();

/** The index of `file`, opened once per process and refreshed on each call. */
export async function indexFor(file: string): Promise<AuditIndex> {
  const key = resolve(file);
  let pending = open.get(key);
  if (!pending) {
    pending = AuditIndex.open(key);
    open.set(key, pending);
    pending.catch(() => open.delete(key));
    return pending;
  }
  const index = await pending;
  await index.refresh();
  return index;
}

/** Forgets cached indexes (tests; after a log was replaced). */
export function forgetIndexes(): void {
  open.clear();
}

/** Every record of one trace, in log order (empty when unknown). */
export async function readTrace(file: string, traceId: string): Promise<AuditRecord[]> {
  return (await indexFor(file)).readTrace(traceId);
}

/** Trace summaries, newest first. */
export async function listTraces(file: string, page: Page & { order?: 'newest' | 'oldest' } = {}): Promise<TraceSummary[]> {
  return (await indexFor(file)).listTraces(page).traces;
}

/** Records matching a filter (kind, service, label, trace), with the total count of matches. */
export async function queryEvents(file: string, filter: EventFilter, page: Page = {}): Promise<{ total: number; records: AuditRecord[] }> {
  return (await indexFor(file)).find(filter, page);
}

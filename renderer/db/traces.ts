/**
 * The renderer's IndexedDB cache of audit records (Dexie), keyed by `[traceId+seq]`, so a
 * trace opened before reopens at once while the core is asked for what is new. The core's
 * hash-chained log stays the source of truth; this cache may be dropped at any time.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { AuditRecord } from '../../core/audit/types.ts';

export interface TraceCache {
  /** The cached records of a trace, in `seq` order ([] when none or no IndexedDB). */
  load(traceId: string): Promise<AuditRecord[]>;
  /** Stores (or replaces) records. */
  put(records: readonly AuditRecord[]): Promise<void>;
  clear(): Promise<void>;
}

class TraceDb extends Dexie {
  records!: EntityTable<AuditRecord, 'seq'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ records: '[traceId+seq], traceId' });
  }
}

export function createTraceCache(name = 'flowgate-traces'): TraceCache {
  if (typeof indexedDB === 'undefined') return memoryCache();
  const db = new TraceDb(name);
  return {
    load: async (traceId) => {
      try {
        return await db.records.where('[traceId+seq]').between([traceId, Dexie.minKey], [traceId, Dexie.maxKey]).toArray();
      } catch {
        return [];
      }
    },
    put: async (records) => {
      try {
        await db.records.bulkPut([...records]);
      } catch {
        // a full or unavailable database only costs the fast reopen
      }
    },
    clear: async () => {
      await db.records.clear();
    },
  };
}

/** Where there is no IndexedDB (tests, a locked-down profile). */
export function memoryCache(): TraceCache {
  const byTrace = new Map<string, Map<number, AuditRecord>>();
  return {
    load: async (traceId) => [...(byTrace.get(traceId)?.values() ?? [])].sort((a, b) => a.seq - b.seq),
    put: async (records) => {
      for (const r of records) {
        let m = byTrace.get(r.traceId);
        if (!m) byTrace.set(r.traceId, (m = new Map()));
        m.set(r.seq, r);
      }
    },
    clear: async () => byTrace.clear(),
  };
}

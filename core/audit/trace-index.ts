/**
 * The query index over an audit log: where each record starts, which trace / service / kind it
 * belongs to, and per-label postings. Adapter (reads the log, keeps a sidecar file).
 *
 * Design: the sidecar `<log>.idx` is a cache, never a source of truth. It holds typed arrays
 * (record offsets, trace/service/kind ordinals per record, label postings, per-trace summaries)
 * and the hash of the last record it covers. Opening loads it (one read, no parsing per record),
 * checks that the log still has that record at that offset, and indexes only the records appended
 * since; a missing, stale or damaged sidecar is rebuilt by one streaming pass over the log.
 * Queries then touch only the typed arrays plus positional reads of the matching lines.
 * Integrity is `verifyLog`'s job: an edited log is found there, whatever the index says.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { readLines } from './line-reader.ts';
import { Growable } from './growable.ts';
import { eventOutcome, labelsOf, serviceOf } from './outcome.ts';
import type { AuditRecord } from './types.ts';

const MAGIC = 'FLOWGATE-AUDIT-IDX 1\n';

/** One trace, as listed without reading its records. */
export interface TraceSummary {
  traceId: string;
  events: number;
  firstSeq: number;
  lastSeq: number;
  /** ISO time of the first and last event. */
  startTime: string;
  endTime: string;
  /** The actor of the first event (usually the submitting agent or user). */
  actor: string;
  /** `error` when an event was denied, blocked or failed; `ended` after `run.end`; else `open`. */
  status: 'error' | 'ended' | 'open';
}

export interface EventFilter {
  kind?: string;
  /** The event name's prefix before '.', e.g. `slack`. */
  service?: string;
  /** A label in the event's `data.labels`. */
  label?: string;
  traceId?: string;
}

export interface Page {
  /** Skip this many matches (default 0). */
  offset?: number;
  /** Return at most this many records (default 1000). */
  limit?: number;
}

export interface IndexStats {
  records: number;
  traces: number;
  /** Records read from the log by this open (all of them on a rebuild, new ones otherwise). */
  scannedRecords: number;
  /** Whether the sidecar was missing or stale and the index was built from scratch. */
  rebuilt: boolean;
  /** Milliseconds to open (load the sidecar, catch up, save). */
  openMs: number;
}

export interface IndexOptions {
  /** Keep the sidecar `<log>.idx` up to date (default true). */
  persist?: boolean;
  /** Ignore any sidecar and index the whole log. */
  rebuild?: boolean;
}

const F_ENDED = 1;
const F_ERROR = 2;

/** A table of distinct strings with ordinals. */
class Table {
  readonly values: string[];
  private readonly ids = new Map<string, number>();
  constructor(values: string[] = []) {
    this.values = values;
    values.forEach((v, i) => this.ids.set(v, i));
  }
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}

export class AuditIndex {
  readonly logFile: string;
  readonly sidecar: string;
  stats: IndexStats;
  private readonly persist: boolean;
  // per record
  private offsets = new Growable(Float64Array); // records + 1 entries: start of each line, then end
  private traceOf = new Growable(Uint32Array);
  private serviceOf = new Growable(Uint32Array);
  private kindOf = new Growable(Uint8Array);
  // per trace
  private traces = new Table();
  private traceCount = new Growable(Uint32Array);
  private traceFirst = new Growable(Uint32Array);
  private traceLast = new Growable(Uint32Array);
  private traceStart = new Growable(Float64Array);
  private traceEnd = new Growable(Float64Array);
  private traceFlags = new Growable(Uint8Array);
  private traceActor = new Growable(Uint32Array);
  // tables and postings
  private services = new Table();
  private kinds = new Table();
  private actors = new Table();
  private labels = new Table();
  private postings: Growable<Uint32Array>[] = [];
  private lastHash = '';

  private constructor(logFile: string, persist: boolean) {
    this.logFile = logFile;
    this.sidecar = `${logFile}.idx`;
    this.persist = persist;
    this.offsets.push(0);
    this.stats = { records: 0, traces: 0, scannedRecords: 0, rebuilt: false, openMs: 0 };
  }

  /** Opens the index of `logFile`: loads the sidecar, catches up with new records, saves. */
  static async open(logFile: string, options: IndexOptions = {}): Promise<AuditIndex> {
    const t0 = performance.now();
    const persist = options.persist ?? true;
    let index = options.rebuild ? undefined : AuditIndex.load(logFile, persist);
    const rebuilt = !index;
    index ??= new AuditIndex(logFile, persist);
    const scanned = await index.catchUp();
    if (persist && (scanned > 0 || rebuilt)) index.save();
    index.stats = { ...index.stats, scannedRecords: scanned, rebuilt, openMs: performance.now() - t0 };
    return index;
  }

  /** Catch-ups run one at a time: two at once would both index the same new lines. */
  private catchingUp: Promise<unknown> = Promise.resolve();

  /** Indexes records appended since the last open or refresh; returns how many. */
  refresh(): Promise<number> {
    const run = this.catchingUp.then(async () => {
      const n = await this.catchUp();
      if (n > 0 && this.persist) this.save();
      return n;
    });
    this.catchingUp = run.catch(() => undefined);
    return run;
  }

  get records(): number {
    return this.traceOf.length;
  }

  /** Distinct services, kinds and labels seen. */
  facets(): { services: string[]; kinds: string[]; labels: string[] } {
    return { services: [...this.services.values], kinds: [...this.kinds.values], labels: [...this.labels.values] };
  }

  /** Summaries of traces, newest first by default. */
  listTraces(page: Page & { order?: 'newest' | 'oldest' } = {}): { total: number; traces: TraceSummary[] } {
    const total = this.traces.values.length;
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 1000;
    const out: TraceSummary[] = [];
    for (let k = offset; k < Math.min(total, offset + limit); k++) {
      const t = page.order === 'oldest' ? k : total - 1 - k;
      out.push(this.summary(t));
    }
    return { total, traces: out };
  }

  /** The summary of one trace, if indexed. */
  traceSummary(traceId: string): TraceSummary | undefined {
    const t = this.traces.find(traceId);
    return t === undefined ? undefined : this.summary(t);
  }

  /** Every record of one trace, in log order. */
  readTrace(traceId: string): AuditRecord[] {
    return this.find({ traceId }, { limit: Number.MAX_SAFE_INTEGER }).records;
  }

  /**
   * Records matching every given criterion, in log order, with the total number of matches.
   * Matching uses the typed arrays only; only the returned page is read from the log.
   */
  find(filter: EventFilter, page: Page = {}): { total: number; records: AuditRecord[] } {
    const ordinals = this.match(filter);
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 1000;
    const pick = ordinals.subarray(Math.min(offset, ordinals.length), Math.min(ordinals.length, offset + limit));
    return { total: ordinals.length, records: this.readRecords(pick) };
  }

  /** Ordinals (= seqs) of the matching records. */
  match(filter: EventFilter): Uint32Array {
    const n = this.records;
    const conds: Array<(i: number) => boolean> = [];
    let candidates: Uint32Array | undefined;
    if (filter.label !== undefined) {
      const l = this.labels.find(filter.label);
      candidates = l === undefined ? new Uint32Array(0) : this.postings[l].view();
    }
    if (filter.traceId !== undefined) {
      const t = this.traces.find(filter.traceId);
      if (t === undefined) return new Uint32Array(0);
      const traceOf = this.traceOf.view();
      conds.push((i) => traceOf[i] === t);
      if (!candidates) {
        // Scan only the trace's span of the log.
        const from = this.traceFirst.get(t);
        const to = this.traceLast.get(t);
        const out = new Growable(Uint32Array);
        for (let i = from; i <= to; i++) if (traceOf[i] === t) out.push(i);
        candidates = out.view();
      }
    }
    if (filter.service !== undefined) {
      const s = this.services.find(filter.service);
      if (s === undefined) return new Uint32Array(0);
      const serviceOf = this.serviceOf.view();
      conds.push((i) => serviceOf[i] === s);
    }
    if (filter.kind !== undefined) {
      const k = this.kinds.find(filter.kind);
      if (k === undefined) return new Uint32Array(0);
      const kindOf = this.kindOf.view();
      conds.push((i) => kindOf[i] === k);
    }
    const out = new Growable(Uint32Array);
    if (candidates) {
      for (const i of candidates) if (conds.every((c) => c(i))) out.push(i);
    } else if (conds.length === 1 && filter.service !== undefined) {
      const s = this.services.find(filter.service);
      const serviceOf = this.serviceOf.view();
      for (let i = 0; i < n; i++) if (serviceOf[i] === s) out.push(i);
    } else {
      for (let i = 0; i < n; i++) if (conds.every((c) => c(i))) out.push(i);
    }
    return out.view();
  }

  /** Reads records by ordinal with positional reads, coalescing neighbours. */
  readRecords(ordinals: ArrayLike<number>): AuditRecord[] {
    const out: AuditRecord[] = [];
    if (ordinals.length === 0) return out;
    const fd = openSync(this.logFile, 'r');
    try {
      let i = 0;
      while (i < ordinals.length) {
        let j = i;
        // coalesce a run of consecutive records (up to 1 MiB) into one read
        while (j + 1 < ordinals.length && ordinals[j + 1] === ordinals[j] + 1
          && this.offsets.get(ordinals[j + 1] + 1) - this.offsets.get(ordinals[i]) < 1 << 20) j++;
        const start = this.offsets.get(ordinals[i]);
        const end = this.offsets.get(ordinals[j] + 1);
        const buf = Buffer.allocUnsafe(end - start);
        readSync(fd, buf, 0, buf.length, start);
        for (let k = i; k <= j; k++) {
          const s = this.offsets.get(ordinals[k]) - start;
          const e = this.offsets.get(ordinals[k] + 1) - start - 1;
          const record = JSON.parse(buf.toString('utf8', s, e)) as AuditRecord;
          if (record.seq !== ordinals[k]) throw new Error('audit index is stale: reopen it with { rebuild: true }');
          out.push(record);
        }
        i = j + 1;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }

  private summary(t: number): TraceSummary {
    const flags = this.traceFlags.get(t);
    return {
      traceId: this.traces.values[t],
      events: this.traceCount.get(t),
      firstSeq: this.traceFirst.get(t),
      lastSeq: this.traceLast.get(t),
      startTime: new Date(this.traceStart.get(t)).toISOString(),
      endTime: new Date(this.traceEnd.get(t)).toISOString(),
      actor: this.actors.values[this.traceActor.get(t)],
      status: flags & F_ERROR ? 'error' : flags & F_ENDED ? 'ended' : 'open',
    };
  }

  private add(record: AuditRecord, lineStart: number, lineEnd: number): void {
    let t = this.traces.find(record.traceId);
    const time = Date.parse(record.time);
    const ordinal = this.traceOf.length;
    if (t === undefined) {
      t = this.traces.id(record.traceId);
      this.traceCount.push(0);
      this.traceFirst.push(ordinal);
      this.traceLast.push(ordinal);
      this.traceStart.push(time);
      this.traceEnd.push(time);
      this.traceFlags.push(0);
      this.traceActor.push(this.actors.id(String(record.actor)));
    }
    this.traceCount.set(t, this.traceCount.get(t) + 1);
    this.traceLast.set(t, ordinal);
    if (time < this.traceStart.get(t)) this.traceStart.set(t, time);
    if (time > this.traceEnd.get(t)) this.traceEnd.set(t, time);
    let flags = this.traceFlags.get(t);
    if (record.kind === 'run.end') flags |= F_ENDED;
    if (eventOutcome(record) === 'error') flags |= F_ERROR;
    this.traceFlags.set(t, flags);

    this.traceOf.push(t);
    this.serviceOf.push(this.services.id(serviceOf(String(record.name))));
    const kind = this.kinds.id(String(record.kind));
    if (kind > 255) throw new Error('audit index: more than 256 event kinds');
    this.kindOf.push(kind);
    for (const label of new Set(labelsOf(record.data))) {
      const l = this.labels.id(label);
      (this.postings[l] ??= new Growable(Uint32Array)).push(ordinal);
    }
    this.offsets.set(ordinal, lineStart);
    this.offsets.push(lineEnd + 1);
    this.lastHash = record.hash;
  }

  private async catchUp(): Promise<number> {
    const from = this.offsets.get(this.records);
    if (!existsSync(this.logFile)) return 0;
    let n = 0;
    let bad: Error | undefined;
    await readLines(this.logFile, (buf, start, end, fileOffset) => {
      let record: AuditRecord;
      try {
        record = JSON.parse(buf.toString('utf8', start, end)) as AuditRecord;
      } catch {
        bad = new Error(`audit index: line at byte ${fileOffset} is not a record; run verify`);
        return false;
      }
      if (record.seq !== this.records) {
        bad = new Error(`audit index: expected seq ${this.records}, found ${record.seq}; run verify`);
        return false;
      }
      this.add(record, fileOffset, fileOffset + (end - start));
      n++;
      return true;
    }, from);
    if (bad) throw bad;
    this.stats = { ...this.stats, records: this.records, traces: this.traces.values.length };
    return n;
  }

  /** Writes the sidecar atomically (temp file + rename). */
  private save(): void {
    const sections: Array<[string, ArrayBufferView]> = [
      ['offsets', this.offsets.view()],
      ['traceOf', this.traceOf.view()],
      ['serviceOf', this.serviceOf.view()],
      ['kindOf', this.kindOf.view()],
      ['traceCount', this.traceCount.view()],
      ['traceFirst', this.traceFirst.view()],
      ['traceLast', this.traceLast.view()],
      ['traceStart', this.traceStart.view()],
      ['traceEnd', this.traceEnd.view()],
      ['traceFlags', this.traceFlags.view()],
      ['traceActor', this.traceActor.view()],
      ...this.postings.map((p, i): [string, ArrayBufferView] => [`label:${i}`, p.view()]),
    ];
    const layout: Array<{ name: string; offset: number; bytes: number }> = [];
    let pos = 0;
    for (const [name, view] of sections) {
      layout.push({ name, offset: pos, bytes: view.byteLength });
      pos += Math.ceil(view.byteLength / 8) * 8; // keep every section 8-byte aligned
    }
    const header = JSON.stringify({
      records: this.records,
      end: this.offsets.get(this.records),
      lastHash: this.lastHash,
      traceIds: this.traces.values,
      services: this.services.values,
      kinds: this.kinds.values,
      actors: this.actors.values,
      labels: this.labels.values,
      layout,
    });
    const head = Buffer.from(`${MAGIC}${header}\n`, 'utf8');
    const headLen = Math.ceil((head.length + 8) / 8) * 8;
    const out = Buffer.alloc(headLen + pos);
    out.writeUInt32LE(head.length, 0);
    head.copy(out, 8);
    sections.forEach(([, view], i) => {
      out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), headLen + layout[i].offset);
    });
    const tmp = `${this.sidecar}.${process.pid}.tmp`;
    writeFileSync(tmp, out);
    renameSync(tmp, this.sidecar);
  }

  /** Loads the sidecar if it matches the log; undefined when missing, damaged or stale. */
  private static load(logFile: string, persist: boolean): AuditIndex | undefined {
    const sidecar = `${logFile}.idx`;
    if (!existsSync(sidecar) || !existsSync(logFile)) return undefined;
    try {
      const buf = readFileSync(sidecar);
      const headBytes = buf.readUInt32LE(0);
      const head = buf.toString('utf8', 8, 8 + headBytes);
      if (!head.startsWith(MAGIC)) return undefined;
      const h = JSON.parse(head.slice(MAGIC.length)) as {
        records: number; end: number; lastHash: string; traceIds: string[]; services: string[]; kinds: string[];
        actors: string[]; labels: string[]; layout: Array<{ name: string; offset: number; bytes: number }>;
      };
      if (!stillMatches(logFile, h.end, h.lastHash, h.records)) return undefined;
      const base = Math.ceil((headBytes + 8) / 8) * 8;
      const section = <T>(name: string, ctor: { new (b: ArrayBuffer): T }): T => {
        const s = h.layout.find((x) => x.name === name);
        if (!s) throw new Error(`missing section ${name}`);
        const start = buf.byteOffset + base + s.offset;
        return new ctor(buf.buffer.slice(start, start + s.bytes) as ArrayBuffer);
      };
      const index = new AuditIndex(logFile, persist);
      index.offsets = new Growable(Float64Array, section('offsets', Float64Array));
      index.traceOf = new Growable(Uint32Array, section('traceOf', Uint32Array));
      index.serviceOf = new Growable(Uint32Array, section('serviceOf', Uint32Array));
      index.kindOf = new Growable(Uint8Array, section('kindOf', Uint8Array));
      index.traceCount = new Growable(Uint32Array, section('traceCount', Uint32Array));
      index.traceFirst = new Growable(Uint32Array, section('traceFirst', Uint32Array));
      index.traceLast = new Growable(Uint32Array, section('traceLast', Uint32Array));
      index.traceStart = new Growable(Float64Array, section('traceStart', Float64Array));
      index.traceEnd = new Growable(Float64Array, section('traceEnd', Float64Array));
      index.traceFlags = new Growable(Uint8Array, section('traceFlags', Uint8Array));
      index.traceActor = new Growable(Uint32Array, section('traceActor', Uint32Array));
      index.traces = new Table(h.traceIds);
      index.services = new Table(h.services);
      index.kinds = new Table(h.kinds);
      index.actors = new Table(h.actors);
      index.labels = new Table(h.labels);
      index.postings = h.labels.map((_, i) => new Growable(Uint32Array, section(`label:${i}`, Uint32Array)));
      index.lastHash = h.lastHash;
      if (index.records !== h.records || index.offsets.length !== h.records + 1) return undefined;
      index.stats = { ...index.stats, records: index.records, traces: h.traceIds.length };
      return index;
    } catch {
      return undefined;
    }
  }
}

/** Whether the log still ends its `records`-th line at `end` with a record whose hash is `lastHash`. */
function stillMatches(logFile: string, end: number, lastHash: string, records: number): boolean {
  const fd = openSync(logFile, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < end) return false;
    if (records === 0) return end === 0;
    // The line before `end` starts with {"hash":"<lastHash>" — read its first 73 bytes after the
    // previous newline. Search backwards from end-2 for that newline.
    const probe = Buffer.allocUnsafe(Math.min(end, 64 * 1024));
    const from = end - probe.length;
    readSync(fd, probe, 0, probe.length, from);
    if (probe[probe.length - 1] !== 10) return false;
    const nl = probe.subarray(0, probe.length - 1).lastIndexOf(10);
    const lineStart = nl === -1 ? 0 : nl + 1;
    if (nl === -1 && from !== 0) return true; // a line over 64 KiB: fall back to trusting the offset
    return probe.toString('latin1', lineStart + 9, lineStart + 73) === lastHash;
  } finally {
    closeSync(fd);
  }
}

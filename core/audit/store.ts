/**
 * The append-only, hash-chained audit log: `<dir>/audit.log`, one JSON record per line
 * (record-line.ts). Adapter: owns the file.
 *
 * Crash safety (SIGKILL, a crashed core):
 * - Records are written only as whole lines, in batches (group commit), with positional writes.
 * - A record counts as acknowledged once `write(2)` has returned for its whole line: the bytes are
 *   in the OS page cache, so killing the process cannot lose them. `appendAndWait` and `flush`
 *   resolve only then. (Surviving power loss needs `fsync: true`, which adds fdatasync per batch.)
 * - A kill in the middle of a batch can leave a torn last line (no trailing newline). It was never
 *   acknowledged; `AuditLog.open` cuts it off, so the log verifies again and the chain continues
 *   from the last complete record.
 *
 * Redaction cannot be forgotten: the constructor requires a `Redactor`, and every event's `name`
 * and `data` pass through it before they are hashed or written.
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GENESIS_HASH } from './canonical.ts';
import { processAlive } from './process-alive.ts';
import { encodeRecordLine, recordBody } from './record-line.ts';
import type { Redactor } from './redact.ts';
import type { AuditEvent, AuditRecord, AuditSink } from './types.ts';

export interface AuditLogOptions {
  /** Applied to every event before it is hashed and stored. Required on purpose. */
  redactor: Redactor;
  /** A batch this large (in characters) is written at once, inside `append`. Default 1 MiB. */
  maxBatchBytes?: number;
  /** fdatasync after each batch, for power-loss durability. Default false (process-crash safe). */
  fsync?: boolean;
}

/** What `open` found at the end of an existing log. */
export interface OpenReport {
  /** Records already in the log. */
  records: number;
  /** Bytes of a torn last line that were cut off (0 when the log ended cleanly). */
  truncatedBytes: number;
}

/** The file name of the audit log inside a data directory. */
export const AUDIT_LOG_FILE = 'audit.log';

/** `<dataDir>/audit.log`. */
export function auditLogPath(dataDir: string): string {
  return join(dataDir, AUDIT_LOG_FILE);
}

const TAIL_CHUNK = 64 * 1024;

/** Files open for appending in this process: two writers on one file would fork the chain. */
const openFiles = new Set<string>();

export class AuditLog implements AuditSink {
  readonly file: string;
  readonly redactor: Redactor;
  readonly openReport: OpenReport;
  private readonly fd: number;
  private readonly maxBatchBytes: number;
  private readonly fsync: boolean;
  private size: number;
  private seq: number;
  private prevHash: string;
  private written: number;
  /** Appended, not yet written: the redacted event (to re-chain it) and its line as chained now. */
  private pending: Array<{ event: AuditEvent; line: string }> = [];
  /** Records of `appendAndWait` callers, updated if the chain had to be re-linked at write time. */
  private finalRecords = new Map<number, (record: AuditRecord) => void>();
  private pendingChars = 0;
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private scheduled = false;
  private readonly writtenListeners = new Set<(records: AuditRecord[]) => void>();
  private failure: Error | undefined;
  private closed = false;

  /**
   * Opens (creating if needed) the log at `file`, continuing its chain. Reads only the tail of an
   * existing file, and cuts off a torn last line. Throws when the last complete line is not a
   * record (run `verifyLog`: the file was damaged, and appending would hide it).
   */
  static open(file: string, options: AuditLogOptions): AuditLog {
    return new AuditLog(file, options);
  }

  /** Opens `<dataDir>/audit.log`. */
  static openDir(dataDir: string, options: AuditLogOptions): AuditLog {
    return new AuditLog(auditLogPath(dataDir), options);
  }

  constructor(file: string, options: AuditLogOptions) {
    if (!options?.redactor || typeof options.redactor.redact !== 'function') {
      throw new TypeError('AuditLog needs a Redactor: events are redacted before storage');
    }
    this.file = resolve(file);
    if (openFiles.has(this.file)) throw new Error(`audit log ${this.file} is already open in this process`);
    this.redactor = options.redactor;
    this.maxBatchBytes = options.maxBatchBytes ?? 1 << 20;
    this.fsync = options.fsync ?? false;
    mkdirSync(dirname(this.file), { recursive: true });
    closeSync(openSync(this.file, 'a'));
    this.fd = openSync(this.file, 'r+');
    let unlock: (() => void) | undefined;
    try {
      // Another process may be in the middle of a write: cutting "its torn line" would destroy it.
      unlock = lockLog(this.file);
      const tail = readTail(this.fd);
      this.size = tail.size;
      this.seq = tail.nextSeq;
      this.prevHash = tail.lastHash;
      this.written = tail.nextSeq - 1;
      this.openReport = { records: tail.nextSeq, truncatedBytes: tail.truncatedBytes };
    } catch (error) {
      closeSync(this.fd);
      throw error;
    } finally {
      unlock?.();
    }
    openFiles.add(this.file);
  }

  /** The seq the next record will get (= records appended so far). */
  get nextSeq(): number {
    return this.seq;
  }

  /** The hash of the last appended record (64 zeros when empty). */
  get lastHash(): string {
    return this.prevHash;
  }

  /** The highest seq whose line the OS has (acknowledged); -1 when none. */
  get writtenSeq(): number {
    return this.written;
  }

  /**
   * Redacts, chains and buffers one event; returns the stored record. The line reaches the OS at
   * the next group commit (later in this turn of the event loop, or now if the batch is full).
   * Use `appendAndWait` or `flush` when the caller needs the acknowledgement.
   */
  append(event: AuditEvent): AuditRecord {
    if (this.closed) throw new Error('audit log is closed');
    if (this.failure) throw new Error(`audit log failed earlier: ${this.failure.message}`);
    const redacted: AuditEvent = { ...event, name: this.redactor.redactString(event.name), data: this.redactor.redact(event.data ?? {}) };
    const body = recordBody(redacted, this.seq, this.prevHash);
    const { hash, line } = encodeRecordLine(body);
    this.seq++;
    this.prevHash = hash;
    this.pending.push({ event: redacted, line });
    this.pendingChars += line.length;
    if (this.pendingChars >= this.maxBatchBytes) this.flushSync();
    else this.schedule();
    return { ...body, hash };
  }

  /**
   * Appends and resolves once the record's line is in the OS (survives a killed process), with
   * the record as written: when another process appended in between, its seq and hash differ
   * from what `append` would have returned.
   */
  appendAndWait(event: AuditEvent): Promise<AuditRecord> {
    const provisional = this.append(event);
    let final: AuditRecord = provisional;
    this.finalRecords.set(provisional.seq, (record) => (final = record));
    return this.flush().then(() => final);
  }

  /**
   * Calls `listener` with each batch of records once they are written, as stored (redacted,
   * chained): the live timeline. Returns the unsubscribe function.
   */
  onWritten(listener: (records: AuditRecord[]) => void): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  /** Resolves when everything appended so far is in the OS. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Writes everything appended so far, now. */
  flushSync(): void {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const pending = this.pending;
    const waiters = this.waiters;
    const finals = this.finalRecords;
    this.pending = [];
    this.pendingChars = 0;
    this.waiters = [];
    this.finalRecords = new Map();
    let unlock: (() => void) | undefined;
    try {
      unlock = lockLog(this.file);
      // Another process (a `flowgate run` beside the workbench) may have appended since our last
      // write: continue the chain from the file's real end, re-linking this batch onto it.
      const size = fstatSync(this.fd).size;
      if (size !== this.size) this.relink(pending, finals, readTail(this.fd));
      const bytes = Buffer.from(pending.map((p) => p.line).join(''), 'utf8');
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, this.size + off);
      if (this.fsync) fdatasyncSync(this.fd);
      this.size += bytes.length;
      this.written = this.seq - 1;
      writeHead(this.file, this.written, this.prevHash);
      if (this.writtenListeners.size) {
        const records = pending.map((p) => JSON.parse(p.line) as AuditRecord);
        for (const listener of this.writtenListeners) listener(records);
      }
    } catch (error) {
      // The chain in memory is now ahead of the file: refuse further appends rather than fork it.
      this.failure = error instanceof Error ? error : new Error(String(error));
      for (const w of waiters) w.reject(this.failure);
      throw this.failure;
    } finally {
      unlock?.();
    }
    for (const w of waiters) w.resolve();
  }

  /** Re-chains a batch onto the records another process wrote (`tail` = the file's end now). */
  private relink(pending: Array<{ event: AuditEvent; line: string }>, finals: Map<number, (record: AuditRecord) => void>, tail: Tail): void {
    const firstSeq = this.seq - pending.length;
    let seq = tail.nextSeq;
    let prevHash = tail.lastHash;
    for (let i = 0; i < pending.length; i++) {
      const body = recordBody(pending[i].event, seq, prevHash);
      const { hash, line } = encodeRecordLine(body);
      pending[i].line = line;
      finals.get(firstSeq + i)?.({ ...body, hash });
      seq++;
      prevHash = hash;
    }
    this.size = tail.size;
    this.seq = seq;
    this.prevHash = prevHash;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.flushSync();
    } finally {
      this.closed = true;
      openFiles.delete(this.file);
      closeSync(this.fd);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.closed) return;
      try {
        this.flushSync();
      } catch {
        // already recorded in `failure` and reported to the waiters
      }
    });
  }
}

interface Tail {
  size: number;
  nextSeq: number;
  lastHash: string;
  truncatedBytes: number;
}

/** Finds the last complete line from the end of the file, cutting off a torn one. */
function readTail(fd: number): Tail {
  let size = fstatSync(fd).size;
  if (size === 0) return { size: 0, nextSeq: 0, lastHash: GENESIS_HASH, truncatedBytes: 0 };
  // Search backwards for the last newline (end of the last complete line) and the one before it.
  let truncatedBytes = 0;
  const lastNl = findNewlineBefore(fd, size);
  if (lastNl !== size - 1) {
    const keep = lastNl + 1; // 0 when no newline at all
    truncatedBytes = size - keep;
    ftruncateSync(fd, keep);
    size = keep;
    if (size === 0) return { size: 0, nextSeq: 0, lastHash: GENESIS_HASH, truncatedBytes };
  }
  const start = findNewlineBefore(fd, size - 1) + 1;
  const line = Buffer.allocUnsafe(size - 1 - start);
  readSync(fd, line, 0, line.length, start);
  let record: Partial<AuditRecord>;
  try {
    record = JSON.parse(line.toString('utf8')) as Partial<AuditRecord>;
  } catch {
    throw new Error('audit log: the last line is not a record; run verify before appending');
  }
  if (typeof record.seq !== 'number' || typeof record.hash !== 'string' || !/^[0-9a-f]{64}$/.test(record.hash)) {
    throw new Error('audit log: the last line is not a record; run verify before appending');
  }
  return { size, nextSeq: record.seq + 1, lastHash: record.hash, truncatedBytes };
}

/** Offset of the last `\n` strictly before `end`, or -1. Reads backwards in small chunks. */
function findNewlineBefore(fd: number, end: number): number {
  const chunk = Buffer.allocUnsafe(TAIL_CHUNK);
  let hi = end;
  while (hi > 0) {
    const lo = Math.max(0, hi - TAIL_CHUNK);
    const n = readSync(fd, chunk, 0, hi - lo, lo);
    const at = chunk.subarray(0, n).lastIndexOf(10);
    if (at !== -1) return lo + at;
    hi = lo;
  }
  return -1;
}

/**
 * `<log>.head`: the seq and hash of the last record written, replaced after every batch. A log
 * cut short at the end (records removed after the last one an edit left intact) no longer
 * reaches its head, which `verifyLog` reports. It is written after the batch, so a crash leaves
 * it behind the log, never ahead. Whoever can rewrite both files can hide a truncation; anchor
 * the hash `flowgate verify` prints somewhere else to catch that too.
 */
/**
 * An exclusive lock on the log across processes, held only while a batch is written (or a log
 * opened): `<log>.lock` created with O_EXCL, holding the writer's pid. A lock whose process is
 * gone is taken over; a live one is waited for, up to 10 s.
 */
function lockLog(file: string): () => void {
  const lockFile = `${file}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: number;
    try {
      holder = Number(readFileSync(lockFile, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    if (holder > 0 && holder !== process.pid && !processAlive(holder)) {
      try {
        unlinkSync(lockFile);
      } catch {
        // someone else took it over first
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`audit log ${file} is locked by process ${holder || '?'} (${lockFile})`);
    Atomics.wait(SLEEPER, 0, 0, 2);
  }
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));


export function headPath(file: string): string {
  return `${file}.head`;
}

function writeHead(file: string, seq: number, hash: string): void {
  const temp = `${headPath(file)}.tmp`;
  writeFileSync(temp, JSON.stringify({ seq, hash }) + '\n');
  renameSync(temp, headPath(file));
}

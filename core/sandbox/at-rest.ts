/**
 * Labels at rest: what a run writes into a service (a message into a channel, a note into an
 * account) keeps its labels, and every later answer from that place (a read, or a write that
 * answers with the record) — in this run, a later run, or
 * another process sharing the data directory — carries them again.
 *
 * Stored append-only in `<data>/labels-at-rest.jsonl`, one record per write: the service, the
 * place (the values of the arguments that pick it — a channel, a record id — as SHA-256 hashes,
 * never in clear), the labels, the trace and the time. A read matches a record of its service
 * when, for every argument that picked the place, the read either names the same value or does
 * not name that argument at all (then it may return anything the service holds).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { choicesOf } from '../catalog/destinations.ts';
import type { Operation } from '../catalog/types.ts';

export interface AtRestRecord {
  at: string;
  traceId: string;
  service: string;
  operation: string;
  /** Argument name → SHA-256 of its value, for the arguments that pick the place written. */
  keys: Record<string, string>;
  labels: string[];
}

/** A label a read carries because of an earlier write, and where it came from. */
export interface LabelAtRest {
  label: string;
  traceId: string;
  at: string;
  operation: string;
}

/** Where what agents were handed is kept (not a service of any catalog: the name has a colon). */
const AGENT_SERVICE = 'flowgate:agent';

export function hashKey(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value ?? null)).digest('hex');
}

/** The arguments that pick where a write lands: its choices (destination, target record…). */
export function placeOf(op: Operation, args: Record<string, unknown>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const name of choicesOf(op).keys()) if (args[name] !== undefined) keys[name] = hashKey(args[name]);
  for (const p of op.params) if (p.in === 'path' && args[p.name] !== undefined) keys[p.name] = hashKey(args[p.name]);
  return keys;
}

export class AtRestStore {
  private readonly file: string | undefined;
  private readonly records: AtRestRecord[] = [];
  private offset = 0;
  private partial = '';

  /** `file` undefined: in memory only (tests of one run). */
  constructor(file?: string) {
    this.file = file;
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  static inDir(dir: string): AtRestStore {
    return new AtRestStore(join(dir, 'labels-at-rest.jsonl'));
  }

  /**
   * Records a write, with every label it carried — its own service's too: customer PII written
   * into an account's notes must come back as PII, not as the account's own label.
   */
  record(op: Operation, args: Record<string, unknown>, labels: Iterable<string>, traceId: string): AtRestRecord | undefined {
    const kept = [...new Set(labels)].sort();
    if (kept.length === 0) return undefined;
    const record: AtRestRecord = { at: new Date().toISOString(), traceId, service: op.service, operation: op.id, keys: placeOf(op, args), labels: kept };
    if (this.file) {
      // One write of one whole line; it is read back like another process's (catchUp), so the
      // offset never skips what others appended meanwhile.
      appendFileSync(this.file, JSON.stringify(record) + '\n');
      this.catchUp();
    } else this.records.push(record);
    return record;
  }

  /**
   * What a run handed back to an agent (its result, its console) is at rest with that agent: the
   * agent may pass it back as a later task's params, which then carry those labels.
   */
  recordAgent(agent: string, labels: Iterable<string>, traceId: string): void {
    const kept = [...new Set(labels)].sort();
    if (kept.length === 0) return;
    const record: AtRestRecord = { at: new Date().toISOString(), traceId, service: AGENT_SERVICE, operation: 'result', keys: { agent: hashKey(agent) }, labels: kept };
    if (this.file) {
      appendFileSync(this.file, JSON.stringify(record) + '\n');
      this.catchUp();
    } else this.records.push(record);
  }

  /** The labels of everything handed back to `agent` so far. */
  labelsForAgent(agent: string): LabelAtRest[] {
    this.catchUp();
    const key = hashKey(agent);
    const out = new Map<string, LabelAtRest>();
    for (const r of this.records) {
      if (r.service !== AGENT_SERVICE || r.keys.agent !== key) continue;
      for (const label of r.labels) if (!out.has(label)) out.set(label, { label, traceId: r.traceId, at: r.at, operation: r.operation });
    }
    return [...out.values()];
  }

  /** For the analysis: the labels at rest the answer of `op` may carry, given its known arguments. */
  lookup(): (op: Operation, constArgs: Record<string, unknown>) => string[] {
    return (op, constArgs) => this.labelsFor(op, constArgs).map((l) => l.label);
  }

  /** The labels the answer of `op` with `args` (a read's, or a write's) carries from earlier writes, oldest first. */
  labelsFor(op: Operation, args: Record<string, unknown>): LabelAtRest[] {
    this.catchUp();
    const out: LabelAtRest[] = [];
    const seen = new Set<string>();
    for (const r of this.records) {
      if (r.service !== op.service) continue;
      const matches = Object.entries(r.keys).every(([name, hash]) => args[name] === undefined || hashKey(args[name]) === hash);
      if (!matches) continue;
      for (const label of r.labels) {
        if (seen.has(label)) continue;
        seen.add(label);
        out.push({ label, traceId: r.traceId, at: r.at, operation: r.operation });
      }
    }
    return out;
  }

  /** Reads what other processes appended since the last look. */
  private catchUp(): void {
    if (!this.file) return;
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const text = this.partial + buffer.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          const r = JSON.parse(line) as AtRestRecord;
          if (typeof r.service === 'string' && Array.isArray(r.labels)) this.records.push(r);
        } catch {
          // A torn line from a crashed writer: skip it (the labels it held are lost, never invented).
        }
      }
    } finally {
      closeSync(fd);
    }
  }
}

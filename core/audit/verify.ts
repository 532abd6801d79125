/**
 * Verifies an audit log end to end, streaming (a million records never sit in memory at once).
 *
 * For each line, in order: it must be a record line (record-line.ts), its own hash must match its
 * bytes (an edited record fails here), its `seq` must be the next number (a deleted record shows
 * as a gap, an inserted or moved one as a repeat or a step back) and its `prevHash` must be the
 * previous line's hash. The file must end with a newline (a torn last line is reported;
 * `AuditLog.open` repairs it).
 */
import { readFileSync } from 'node:fs';
import { headPath } from './store.ts';
import { GENESIS_HASH } from './canonical.ts';
import { readLines } from './line-reader.ts';
import { checkLineHash } from './record-line.ts';

/** Where the chain first breaks. */
export interface FirstBad {
  /**
   * The sequence number a good record would have at the bad line: where the chain breaks.
   * Since every earlier line is good, this is also `line - 1`.
   */
  seq: number;
  /** 1-based line number in the file. */
  line: number;
  /** What is wrong, in words. */
  problem: string;
  /** The `seq` written on the bad line, when it could be read. */
  foundSeq?: number;
}

export type VerifyResult =
  | { ok: true; records: number; lastHash: string }
  | { ok: false; records: number; firstBad: FirstBad };

/** Checks lines one at a time; shared by `verifyLog` and anyone streaming records. */
export class ChainChecker {
  private expectedSeq = 0;
  private prevHash = GENESIS_HASH;

  /** Good records so far. */
  get records(): number {
    return this.expectedSeq;
  }

  get lastHash(): string {
    return this.prevHash;
  }

  /** Checks the next line (`[start, end)` of `buf`, without its newline). */
  check(buf: Buffer, start: number, end: number): Omit<FirstBad, 'line'> | undefined {
    const seq = this.expectedSeq;
    const own = checkLineHash(buf, start, end);
    let parsed: { seq?: unknown; prevHash?: unknown } | undefined;
    try {
      const value: unknown = JSON.parse(buf.toString('utf8', start, end));
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed = value as typeof parsed;
    } catch {
      parsed = undefined;
    }
    const foundSeq = typeof parsed?.seq === 'number' ? parsed.seq : undefined;
    if (!parsed) return { seq, problem: 'malformed line: not valid JSON' };
    if ('problem' in own) return { seq, foundSeq, problem: own.problem };
    if (foundSeq === undefined || typeof parsed.prevHash !== 'string') {
      return { seq, problem: 'malformed record: seq or prevHash missing' };
    }
    if (foundSeq > seq) {
      return { seq, foundSeq, problem: `records missing: expected seq ${seq}, found ${foundSeq} (deleted records)` };
    }
    if (foundSeq < seq) {
      return { seq, foundSeq, problem: `seq ${foundSeq} where ${seq} was expected (an inserted, duplicated or reordered record)` };
    }
    if (parsed.prevHash !== this.prevHash) {
      return { seq, foundSeq, problem: 'prevHash does not match the previous record\'s hash (a record before it was removed, replaced or moved)' };
    }
    this.prevHash = own.hash;
    this.expectedSeq++;
    return undefined;
  }
}

/** Verifies the whole log at `file`. */
export async function verifyLog(file: string): Promise<VerifyResult> {
  const checker = new ChainChecker();
  const head = readHead(file);
  let hashAtHead: string | undefined;
  let firstBad: FirstBad | undefined;
  let lineNo = 0;
  const scan = await readLines(file, (buf, start, end) => {
    lineNo++;
    const bad = checker.check(buf, start, end);
    if (bad) {
      firstBad = { ...bad, line: lineNo };
      return false;
    }
    if (head && checker.records - 1 === head.seq) hashAtHead = checker.lastHash;
    return true;
  });
  if (firstBad) return { ok: false, records: checker.records, firstBad };
  if (scan.trailingBytes > 0) {
    return {
      ok: false,
      records: checker.records,
      firstBad: {
        seq: checker.records,
        line: lineNo + 1,
        problem: `torn last line: ${scan.trailingBytes} bytes without a trailing newline (a write was cut off; opening the log repairs it)`,
      },
    };
  }
  if (head && checker.records <= head.seq) {
    return {
      ok: false,
      records: checker.records,
      firstBad: { seq: checker.records, line: lineNo + 1, problem: `the log ends at record ${checker.records - 1}, but its head file says record ${head.seq} was written: records were removed from the end` },
    };
  }
  if (head && hashAtHead !== head.hash) {
    return {
      ok: false,
      records: checker.records,
      firstBad: { seq: head.seq, line: head.seq + 1, problem: `record ${head.seq} does not have the hash its head file recorded: the log was rewritten` },
    };
  }
  return { ok: true, records: checker.records, lastHash: checker.lastHash };
}

/** The head file beside the log (store.ts), when there is a readable one. */
function readHead(file: string): { seq: number; hash: string } | undefined {
  try {
    const head = JSON.parse(readFileSync(headPath(file), 'utf8')) as { seq?: unknown; hash?: unknown };
    return typeof head.seq === 'number' && typeof head.hash === 'string' ? { seq: head.seq, hash: head.hash } : undefined;
  } catch {
    return undefined;
  }
}

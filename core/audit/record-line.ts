/**
 * How one record is laid out on its line of `audit.log`.
 *
 * The record's hash is SHA-256 over the canonical encoding of the record without `hash`
 * (canonical.ts). The line puts `hash` first and then the canonical encoding's members verbatim:
 *
 *     {"hash":"<64 hex>",<canonical encoding without its opening brace>\n
 *
 * so the hashed bytes are literally `{` + the rest of the line: a verifier hashes the bytes it
 * read without decoding and re-encoding them. The line is still one ordinary JSON object.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { AuditEvent, AuditRecord } from './types.ts';

/** `{"hash":"` */
const HEAD = '{"hash":"';
/** Bytes before the canonical members: `{"hash":"` + 64 hex + `",`. */
export const LINE_PREFIX_LENGTH = HEAD.length + 64 + 2;
const HEAD_BYTES = Buffer.from(HEAD, 'latin1');
const OPEN_BRACE = Buffer.from('{', 'latin1');

/** Copies only the known event fields (nothing unexpected rides along into storage). */
export function recordBody(event: AuditEvent, seq: number, prevHash: string): Omit<AuditRecord, 'hash'> {
  const body: Omit<AuditRecord, 'hash'> = {
    seq,
    prevHash,
    time: event.time,
    traceId: event.traceId,
    spanId: event.spanId,
    kind: event.kind,
    actor: event.actor,
    name: event.name,
    data: event.data,
  };
  if (event.parentSpanId !== undefined) body.parentSpanId = event.parentSpanId;
  if (event.durationMs !== undefined) body.durationMs = event.durationMs;
  return body;
}

/** Encodes a record body: its hash and its line (with the trailing newline). */
export function encodeRecordLine(body: Omit<AuditRecord, 'hash'>): { hash: string; line: string } {
  const canonical = canonicalJson(body);
  const hash = createHash('sha256').update(canonical).digest('hex');
  return { hash, line: `${HEAD}${hash}",${canonical.slice(1)}\n` };
}

/**
 * Checks a line's own hash from its raw bytes `[start, end)` (without the newline).
 * Returns the stored hash when the line is well-formed and its hash matches, or a problem string.
 */
export function checkLineHash(buf: Buffer, start: number, end: number): { hash: string } | { problem: string } {
  if (end - start < LINE_PREFIX_LENGTH + 2 || buf.compare(HEAD_BYTES, 0, HEAD_BYTES.length, start, start + HEAD_BYTES.length) !== 0
    || buf[start + LINE_PREFIX_LENGTH - 2] !== 0x22 /* " */ || buf[start + LINE_PREFIX_LENGTH - 1] !== 0x2c /* , */) {
    return { problem: 'malformed line: not an audit record (expected {"hash":"…",…})' };
  }
  const stored = buf.toString('latin1', start + HEAD.length, start + HEAD.length + 64);
  if (!/^[0-9a-f]{64}$/.test(stored)) return { problem: 'malformed line: hash is not 64 lower-case hex digits' };
  const computed = createHash('sha256').update(OPEN_BRACE).update(buf.subarray(start + LINE_PREFIX_LENGTH, end)).digest('hex');
  if (computed !== stored) return { problem: 'hash mismatch: the record was changed after it was written' };
  return { hash: stored };
}

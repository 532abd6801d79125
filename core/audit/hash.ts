/** SHA-256 helpers over the canonical encoding (canonical.ts). Node only. */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { AuditRecord } from './types.ts';

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The record's hash: hex SHA-256 over the canonical encoding of the record without `hash`. */
export function hashRecord(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

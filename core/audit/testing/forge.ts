/**
 * A forger's tool for the tests of `flowgate verify`: a copy of a log with one record changed
 * and the hash chain rebuilt around it (every later record re-linked), so the chain alone
 * cannot tell — only the decisions' signatures can.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GENESIS_HASH } from '../canonical.ts';
import { encodeRecordLine } from '../record-line.ts';
import type { AuditRecord } from '../types.ts';

/** Writes `to`: the log at `from` with the first record `pick` chooses changed by `edit`, re-chained. Returns the changed record's seq. */
export function forgeLog(from: string, to: string, pick: (record: AuditRecord) => boolean, edit: (record: AuditRecord) => void): number {
  let prevHash = GENESIS_HASH;
  let changed = -1;
  const lines = readFileSync(from, 'utf8').split('\n').filter(Boolean).map((line) => {
    const { hash: _hash, ...record } = JSON.parse(line) as AuditRecord;
    if (changed < 0 && pick(record as AuditRecord)) {
      edit(record as AuditRecord);
      changed = record.seq;
    }
    const encoded = encodeRecordLine({ ...record, prevHash });
    prevHash = encoded.hash;
    return encoded.line;
  });
  if (changed < 0) throw new Error(`forgeLog: no record of ${from} matched`);
  writeFileSync(to, lines.join(''));
  return changed;
}

/** Flips one bit of a passkey decision's signature. */
export function flipSignature(record: AuditRecord): void {
  const proof = record.data.proof as { signature: string };
  const bytes = Buffer.from(proof.signature, 'base64url');
  bytes[bytes.length - 1] ^= 0x01;
  proof.signature = bytes.toString('base64url');
}

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from './redact.ts';
import { AuditLog } from './store.ts';
import type { AuditRecord } from './types.ts';
import { verifyLog } from './verify.ts';

const child = fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the child until it has acknowledged `minAcks` records, then SIGKILLs it. */
function runAndKill(file: string, minAcks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const ls = text.split('\n');
      partial = ls.pop() ?? '';
      for (const l of ls) if (l.startsWith('ack ')) acked.push(Number(l.slice(4)));
      if (!killed && acked.length >= minAcks) {
        killed = true;
        proc.kill('SIGKILL'); // mid-stream: the child is busy appending the next batches
      }
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  it('loses no acknowledged record when the writer is killed, and the log verifies after open', async () => {
    for (const minAcks of [500, 2000]) {
      const dir = mkdtempSync(join(tmpdir(), 'flowgate-crash-'));
      dirs.push(dir);
      const file = join(dir, 'audit.log');
      const acked = await runAndKill(file, minAcks);
      expect(acked.length).toBeGreaterThanOrEqual(minAcks);

      // Before repair the file may end in a torn line; open cuts it off.
      const log = AuditLog.open(file, { redactor: new Redactor({ redactLabels: [] }) });
      const records = log.openReport.records;
      await log.close();
      const verified = await verifyLog(file);
      expect(verified).toMatchObject({ ok: true, records });

      const stored = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord);
      const seqs = new Set(stored.map((r) => r.seq));
      for (const seq of acked) expect(seqs.has(seq)).toBe(true);
      expect(records).toBeGreaterThanOrEqual(Math.max(...acked) + 1);
    }
  });
});

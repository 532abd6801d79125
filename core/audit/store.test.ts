import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from './canonical.ts';
import { hashRecord } from './hash.ts';
import { Redactor } from './redact.ts';
import { AuditLog, auditLogPath } from './store.ts';
import { event } from './testing/events.ts';
import type { AuditRecord } from './types.ts';
import { verifyLog } from './verify.ts';

let dir: string;
let file: string;
const noRedaction = () => new Redactor({ redactLabels: [] });
const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowgate-audit-'));
  file = auditLogPath(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AuditLog', () => {
  it('chains records from seq 0 and genesis hash; hashes are over the canonical encoding', async () => {
    const log = AuditLog.open(file, { redactor: noRedaction() });
    const a = log.append(event({ data: { b: 1, a: 2 } }));
    const b = log.append(event({ durationMs: 4, parentSpanId: 'c'.repeat(16) }));
    await log.close();
    expect(a.seq).toBe(0);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.prevHash).toBe(a.hash);
    const stored = lines(file);
    expect(stored).toEqual([a, b]);
    for (const r of stored) expect(hashRecord(r)).toBe(r.hash);
    expect(await verifyLog(file)).toEqual({ ok: true, records: 2, lastHash: b.hash });
  });

  it('continues the chain after reopening, reading only the tail', async () => {
    let log = AuditLog.open(file, { redactor: noRedaction() });
    for (let i = 0; i < 100; i++) log.append(event({ data: { i } }));
    await log.close();
    log = AuditLog.open(file, { redactor: noRedaction() });
    expect(log.openReport).toEqual({ records: 100, truncatedBytes: 0 });
    const next = log.append(event());
    expect(next.seq).toBe(100);
    await log.close();
    expect(await verifyLog(file)).toMatchObject({ ok: true, records: 101 });
  });

  it('acknowledges: appendAndWait and flush resolve once the bytes are in the file', async () => {
    const log = AuditLog.open(file, { redactor: noRedaction() });
    const r = await log.appendAndWait(event());
    expect(log.writtenSeq).toBe(0);
    expect(lines(file).map((x) => x.seq)).toEqual([r.seq]);
    log.append(event());
    expect(lines(file)).toHaveLength(1); // buffered: group commit
    await log.flush();
    expect(lines(file)).toHaveLength(2);
    await log.close();
  });

  it('writes big bursts in batches without waiting for the event loop', async () => {
    const log = AuditLog.open(file, { redactor: noRedaction(), maxBatchBytes: 10_000 });
    for (let i = 0; i < 1000; i++) log.append(event({ data: { i, pad: 'p'.repeat(50) } }));
    expect(log.writtenSeq).toBeGreaterThan(900); // most of it already went out in full batches
    await log.close();
    expect(await verifyLog(file)).toMatchObject({ ok: true, records: 1000 });
  });

  it('cuts a torn last line on open so the log verifies and the chain continues', async () => {
    let log = AuditLog.open(file, { redactor: noRedaction() });
    for (let i = 0; i < 5; i++) log.append(event({ data: { i } }));
    await log.close();
    const good = readFileSync(file, 'utf8');
    appendFileSync(file, good.split('\n')[2].slice(0, 40)); // a crash mid-write
    expect(await verifyLog(file)).toMatchObject({ ok: false, firstBad: { seq: 5, line: 6 } });
    log = AuditLog.open(file, { redactor: noRedaction() });
    expect(log.openReport).toEqual({ records: 5, truncatedBytes: 40 });
    expect(readFileSync(file, 'utf8')).toBe(good);
    expect(log.append(event()).seq).toBe(5);
    await log.close();
    expect(await verifyLog(file)).toMatchObject({ ok: true, records: 6 });
  });

  it('repairs a log whose only line is torn', async () => {
    writeFileSync(file, '{"hash":"00');
    const log = AuditLog.open(file, { redactor: noRedaction() });
    expect(log.openReport).toEqual({ records: 0, truncatedBytes: 11 });
    expect(log.append(event()).prevHash).toBe(GENESIS_HASH);
    await log.close();
  });

  it('refuses a second writer on the same file in this process', async () => {
    const log = AuditLog.open(file, { redactor: noRedaction() });
    expect(() => AuditLog.open(file, { redactor: noRedaction() })).toThrow(/already open/);
    await log.close();
    await AuditLog.open(file, { redactor: noRedaction() }).close();
  });

  it('refuses to open without a redactor, or on a damaged last line', () => {
    expect(() => AuditLog.open(file, {} as never)).toThrow(/Redactor/);
    writeFileSync(file, 'not json\n');
    expect(() => AuditLog.open(file, { redactor: noRedaction() })).toThrow(/verify/);
  });

  it('redacts before storage: no clear value anywhere in the data directory (story 11)', async () => {
    const redactor = new Redactor({ redactLabels: new Set(['salesforce.customerPII', 'workday.compensation']) });
    const log = AuditLog.openDir(dir, { redactor });
    redactor.register('ana.diaz@acme.example', 'salesforce.customerPII');
    redactor.register('+1-555-0100', 'salesforce.customerPII');
    redactor.register('123000', 'workday.compensation');
    redactor.register('sk_live_51Habc', 'vault.secret');
    log.append(event({ kind: 'api.call', name: 'salesforce.getAccount', data: {
      response: { contacts: [{ name: 'Ana', email: 'ana.diaz@acme.example', phone: '+1-555-0100' }] },
      labels: ['salesforce.customerPII'],
    } }));
    log.append(event({ kind: 'console', name: 'console', data: { level: 'log', text: 'Contact: ana.diaz@acme.example / +1-555-0100' } }));
    log.append(event({ kind: 'api.call', name: 'workday.getCompensation', data: { response: { base: 123000 }, note: 'Salary of Ana: 123000' } }));
    log.append(event({ kind: 'run.end', name: 'run', data: { error: 'auth failed for sk_live_51Habc' } }));
    await log.close();
    const text = readFileSync(file, 'utf8');
    for (const clear of ['ana.diaz@acme.example', '+1-555-0100', '123000', 'sk_live_51Habc']) expect(text).not.toContain(clear);
    expect(text).toContain('[REDACTED:salesforce.customerPII]');
    expect(text).toContain('Salary of Ana: [REDACTED:workday.compensation]');
    expect(text).toContain('"base":"[REDACTED:workday.compensation]"');
    expect(text).toContain('auth failed for [REDACTED:vault.secret]');
    expect(await verifyLog(file)).toMatchObject({ ok: true, records: 4 });
  });
});

describe('several processes writing one log', () => {
  it('keeps one unbroken chain with every record of every writer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-writers-'));
    try {
      const file = join(dir, 'audit.log');
      const child = join(import.meta.dirname, 'testing', 'append-child.ts');
      const writers = ['cli', 'workbench', 'mcp'];
      await Promise.all(writers.map((name) => new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, [child, file, name, '400'], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code}: ${err}`))));
      })));
      expect(await verifyLog(file)).toMatchObject({ ok: true, records: 1200 });
      const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      for (const name of writers) expect(records.filter((r) => r.data.writer === name).map((r) => r.data.i)).toEqual([...Array(400).keys()]);
      expect(existsSync(`${file}.lock`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

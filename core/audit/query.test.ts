import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetIndexes, listTraces, queryEvents, readTrace } from './query.ts';
import { Redactor } from './redact.ts';
import { AuditLog } from './store.ts';
import { syntheticEvent } from './testing/events.ts';
import { AuditIndex } from './trace-index.ts';

let dir: string;
let file: string;
const traceId = (t: number) => t.toString(16).padStart(32, '0').replace(/^0/, 'f');
const spanId = (s: number) => s.toString(16).padStart(16, '0').replace(/^0/, 'e');

async function writeEvents(from: number, to: number): Promise<void> {
  const log = AuditLog.open(file, { redactor: new Redactor({ redactLabels: [] }) });
  for (let i = from; i < to; i++) log.append(syntheticEvent(i, traceId, spanId));
  await log.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowgate-query-'));
  file = join(dir, 'audit.log');
  forgetIndexes();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('queries over the index', () => {
  it('reads one trace back in log order', async () => {
    await writeEvents(0, 500);
    const trace = await readTrace(file, traceId(7));
    expect(trace.map((r) => r.seq)).toEqual([70, 71, 72, 73, 74, 75, 76, 77, 78, 79]);
    expect(trace.every((r) => r.traceId === traceId(7))).toBe(true);
    expect(await readTrace(file, 'f'.repeat(32))).toEqual([]);
  });

  it('lists traces newest first with summaries', async () => {
    await writeEvents(0, 500);
    const traces = await listTraces(file, { limit: 3 });
    expect(traces.map((t) => t.traceId)).toEqual([traceId(49), traceId(48), traceId(47)]);
    expect(traces[0]).toMatchObject({ events: 10, firstSeq: 490, lastSeq: 499, actor: 'agent:bot-10', status: 'ended' });
    const all = await listTraces(file, { order: 'oldest' });
    expect(all).toHaveLength(50);
    expect(all[0].status).toBe('error'); // trace 0: run.end status error (t % 17 === 0)
    expect(all[0].startTime).toBe('2026-01-01T00:00:00.000Z');
  });

  it('filters by kind, service and label, with totals and paging', async () => {
    await writeEvents(0, 500);
    const calls = await queryEvents(file, { kind: 'api.call' });
    expect(calls.total).toBe(250); // steps 3, 4, 6, 7, 8 of every 10
    const slack = await queryEvents(file, { service: 'slack' }, { limit: 5 });
    expect(slack.records).toHaveLength(5);
    expect(slack.records.every((r) => r.name.startsWith('slack.'))).toBe(true);
    const pii = await queryEvents(file, { label: 'salesforce.customerPII' });
    expect(pii.total).toBeGreaterThan(0);
    expect(pii.records.every((r) => (r.data.labels as string[]).includes('salesforce.customerPII'))).toBe(true);
    const both = await queryEvents(file, { label: 'salesforce.customerPII', traceId: traceId(3) });
    expect(both.records.every((r) => r.traceId === traceId(3))).toBe(true);
    const page2 = await queryEvents(file, { kind: 'api.call' }, { offset: 10, limit: 10 });
    expect(page2.records.map((r) => r.seq)).toEqual(calls.records.slice(10, 20).map((r) => r.seq));
    expect((await queryEvents(file, { service: 'nope' })).total).toBe(0);
  });

  it('keeps a sidecar, reuses it, and catches up with appended records', async () => {
    await writeEvents(0, 300);
    const first = await AuditIndex.open(file);
    expect(first.stats).toMatchObject({ rebuilt: true, scannedRecords: 300, records: 300 });
    expect(existsSync(`${file}.idx`)).toBe(true);
    await writeEvents(300, 350);
    const second = await AuditIndex.open(file);
    expect(second.stats).toMatchObject({ rebuilt: false, scannedRecords: 50, records: 350 });
    expect(second.readTrace(traceId(32)).map((r) => r.seq)).toEqual([320, 321, 322, 323, 324, 325, 326, 327, 328, 329]);
    const third = await AuditIndex.open(file);
    expect(third.stats).toMatchObject({ rebuilt: false, scannedRecords: 0 });
    expect(third.find({ label: 'vault.secret' }).total).toBe(second.find({ label: 'vault.secret' }).total);
  });

  it('rebuilds when the sidecar is damaged or the log was replaced', async () => {
    await writeEvents(0, 100);
    await AuditIndex.open(file);
    writeFileSync(`${file}.idx`, 'garbage');
    expect((await AuditIndex.open(file)).stats).toMatchObject({ rebuilt: true, records: 100 });
    // Replace the log with a different one of the same length: the last-hash check notices.
    const other = join(dir, 'other.log');
    const log = AuditLog.open(other, { redactor: new Redactor({ redactLabels: [] }) });
    for (let i = 0; i < 100; i++) log.append(syntheticEvent(i + 5, traceId, spanId));
    await log.close();
    writeFileSync(file, readFileSync(other));
    const index = await AuditIndex.open(file);
    expect(index.stats.rebuilt).toBe(true);
  });

  it('sees records appended after the first query', async () => {
    await writeEvents(0, 100);
    expect((await listTraces(file)).length).toBe(10);
    await writeEvents(100, 120);
    expect((await listTraces(file)).length).toBe(12);
    expect(await readTrace(file, traceId(11))).toHaveLength(10);
  });

  it('answers queries that arrive together after an append, each with every record', async () => {
    await writeEvents(0, 100);
    expect((await listTraces(file)).length).toBe(10);
    await writeEvents(100, 200);
    // The workbench asks for the trace list and one trace at the same moment.
    const [traces, trace, again] = await Promise.all([listTraces(file), readTrace(file, traceId(15)), readTrace(file, traceId(19))]);
    expect(traces.length).toBe(20);
    expect(trace).toHaveLength(10);
    expect(again).toHaveLength(10);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from './redact.ts';
import { AuditLog } from './store.ts';
import { event } from './testing/events.ts';
import { verifyLog } from './verify.ts';

let dir: string;
let good: string[];
const N = 10;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowgate-verify-'));
  const log = AuditLog.open(join(dir, 'good.log'), { redactor: new Redactor({ redactLabels: [] }) });
  for (let i = 0; i < N; i++) log.append(event({ data: { i, who: `user ${i}` } }));
  await log.close();
  good = readFileSync(join(dir, 'good.log'), 'utf8').split('\n').slice(0, N);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verifyText(text: string) {
  const f = join(dir, `t-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(f, text);
  return verifyLog(f);
}
const joined = (ls: string[]) => ls.map((l) => `${l}\n`).join('');

describe('verifyLog', () => {
  it('accepts an intact log and an empty one', async () => {
    expect(await verifyText(joined(good))).toMatchObject({ ok: true, records: N });
    expect(await verifyText('')).toMatchObject({ ok: true, records: 0 });
  });

  it('finds an edited field', async () => {
    const ls = [...good];
    ls[4] = ls[4].replace('"who":"user 4"', '"who":"user 9"');
    expect(await verifyText(joined(ls))).toMatchObject({ ok: false, records: 4, firstBad: { seq: 4, line: 5, problem: expect.stringMatching(/hash mismatch/) } });
  });

  it('finds an edit whose own hash was recomputed, at the next record', async () => {
    // Re-hashing the edited line breaks the chain at the record after it.
    const { createHash } = await import('node:crypto');
    const ls = [...good];
    const body = '{' + ls[4].slice(75).replace('"who":"user 4"', '"who":"user 9"');
    const hash = createHash('sha256').update(body).digest('hex');
    ls[4] = `{"hash":"${hash}",${body.slice(1)}`;
    expect(await verifyText(joined(ls))).toMatchObject({ ok: false, firstBad: { seq: 5, line: 6, problem: expect.stringMatching(/prevHash/) } });
  });

  it('finds a deleted line', async () => {
    const ls = good.filter((_, i) => i !== 3);
    expect(await verifyText(joined(ls))).toMatchObject({ ok: false, records: 3, firstBad: { seq: 3, line: 4, foundSeq: 4, problem: expect.stringMatching(/missing/) } });
  });

  it('finds a deleted last line only as a shorter log (anchor the last hash to catch it)', async () => {
    const r = await verifyText(joined(good.slice(0, N - 1)));
    expect(r).toMatchObject({ ok: true, records: N - 1 });
  });

  it('finds an inserted line', async () => {
    const ls = [...good];
    ls.splice(6, 0, good[2]);
    expect(await verifyText(joined(ls))).toMatchObject({ ok: false, records: 6, firstBad: { seq: 6, line: 7, foundSeq: 2 } });
  });

  it('finds two swapped lines', async () => {
    const ls = [...good];
    [ls[5], ls[6]] = [ls[6], ls[5]];
    expect(await verifyText(joined(ls))).toMatchObject({ ok: false, records: 5, firstBad: { seq: 5, line: 6, foundSeq: 6 } });
  });

  it('finds a line truncated in the middle of the log and at its end', async () => {
    const ls = [...good];
    ls[7] = ls[7].slice(0, 100);
    expect(await verifyText(joined(ls))).toMatchObject({ ok: false, records: 7, firstBad: { seq: 7, line: 8, problem: expect.stringMatching(/malformed/) } });
    const torn = joined(good).slice(0, -30);
    expect(await verifyText(torn)).toMatchObject({ ok: false, records: N - 1, firstBad: { seq: N - 1, line: N, problem: expect.stringMatching(/torn/) } });
  });

  it('finds garbage and blank lines', async () => {
    expect(await verifyText(joined([good[0], 'hello', ...good.slice(1)]))).toMatchObject({ ok: false, firstBad: { seq: 1, line: 2 } });
    expect(await verifyText(joined([good[0], '', ...good.slice(1)]))).toMatchObject({ ok: false, firstBad: { seq: 1, line: 2 } });
  });

  it('streams lines longer than its read buffer', async () => {
    const f = join(dir, 'long.log');
    const log = AuditLog.open(f, { redactor: new Redactor({ redactLabels: [] }) });
    log.append(event({ data: { big: 'x'.repeat(9 << 20) } }));
    log.append(event());
    await log.close();
    expect(await verifyLog(f)).toMatchObject({ ok: true, records: 2 });
  });
});

describe('verifyLog against the head file the store keeps', () => {
  async function written(name: string): Promise<string> {
    const file = join(dir, name);
    const log = AuditLog.open(file, { redactor: new Redactor({ redactLabels: [] }) });
    for (let i = 0; i < N; i++) log.append(event({ data: { i } }));
    await log.close();
    return file;
  }

  it('accepts the log as written', async () => {
    expect(await verifyLog(await written('intact.log'))).toMatchObject({ ok: true, records: N });
  });

  it('finds records removed from the end', async () => {
    const file = await written('cut.log');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, lines.slice(0, N - 2).map((l) => `${l}\n`).join(''));
    expect(await verifyLog(file)).toMatchObject({ ok: false, records: N - 2, firstBad: { seq: N - 2, problem: expect.stringMatching(/removed from the end/) } });
  });

  it('finds a log rewritten from some record on, chain and all', async () => {
    const file = await written('forged.log');
    const forged = join(dir, 'forged-source.log');
    const log = AuditLog.open(forged, { redactor: new Redactor({ redactLabels: [] }) });
    for (let i = 0; i < N; i++) log.append(event({ data: { i: i === N - 1 ? 'forged' : i } }));
    await log.close();
    writeFileSync(file, readFileSync(forged, 'utf8'));
    expect(await verifyLog(file)).toMatchObject({ ok: false, firstBad: { seq: N - 1, problem: expect.stringMatching(/rewritten/) } });
  });
});

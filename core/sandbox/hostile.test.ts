/**
 * Hostile programs against the real bridge, the real isolate and the real demo servers, all in
 * one process lifetime: each ends with a clear outcome, touches nothing on the host, and the
 * core still answers afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles, startDemo, type DemoHandle } from '../demo/index.ts';
import { loadPolicy } from '../policy/index.ts';
import { newTraceContext } from '../audit/trace.ts';
import type { AuditEvent } from '../audit/types.ts';
import { readFixtures } from './fixture-harness.ts';
import { createHttpTransport } from './http-transport.ts';
import { runProgram } from './run.ts';

let demo: DemoHandle;
let catalog: Catalog;
const policy = loadPolicy('seed');

beforeAll(async () => {
  demo = await startDemo();
  catalog = await loadCatalog(demoCatalogFiles(1));
});
afterAll(async () => demo?.close());

function run(source: string, limits = {}, events: AuditEvent[] = []) {
  return runProgram({
    source, catalog, policy, limits,
    transport: createHttpTransport({ hostMap: demo.hostMap, credentials: demo.credentials }),
    trace: newTraceContext(),
    audit: { append: (e) => void events.push(e) },
  });
}

describe('hostile programs', () => {
  for (const fixture of readFixtures(join(import.meta.dirname, 'fixtures', 'hostile'))) {
    it(fixture.name, async () => {
      const e = fixture.expect;
      const heapBefore = process.memoryUsage().heapUsed;
      const result = await run(fixture.source, e.limits ? JSON.parse(e.limits) : {});
      const summary = JSON.stringify({ status: result.status, error: result.error, result: result.result }).slice(0, 500);
      if (e['expect-status']) expect(result.status, summary).toBe(e['expect-status']);
      if (e['expect-status-one-of']) expect(e['expect-status-one-of'].split(' '), summary).toContain(result.status);
      if (e['expect-code']) expect(result.error?.code, summary).toBe(e['expect-code']);
      if (e['expect-result']) expect(result.result, summary).toEqual(JSON.parse(e['expect-result']));
      if (e['expect-result-excludes']) expect(JSON.stringify(result.result)).not.toContain(e['expect-result-excludes']);
      if (e['expect-error']) expect(result.error?.message ?? '', summary).toContain(e['expect-error']);
      if (e['expect-console']) expect(result.console.map((l) => l.text).join('\n')).toContain(e['expect-console']);
      if (e['expect-console-max-chars']) expect(result.console.reduce((n, l) => n + l.text.length, 0)).toBeLessThanOrEqual(Number(e['expect-console-max-chars']));
      if (e['expect-calls']) expect(result.calls.length).toBe(Number(e['expect-calls']));
      // The host is untouched: a program can't grow the host heap without bound.
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
    });
  }

  it('leaves the core serving: a plain program still runs against the demo servers', async () => {
    const result = await run(`const a = await salesforce.getAccount({ accountId: 'acc_001' });\nreturn a.id;`);
    expect(result.status).toBe('ok');
    expect(result.result).toBe('acc_001');
    // …and the demo server answers a stranger (no token) with a refusal, not a hang.
    const response = await fetch(demo.hostMap['salesforce.com']);
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('the bridge', () => {
  it('never lets credentials into the isolate, and sends a traceparent with every call', async () => {
    const token = Object.values(demo.credentials['salesforce.com']).join(' ');
    const events: AuditEvent[] = [];
    const result = await run(`const a = await salesforce.getAccount({ accountId: 'acc_002' });\nreturn JSON.stringify(salesforce) + JSON.stringify(a);`, {}, events);
    expect(result.status).toBe('ok');
    expect(String(result.result)).not.toContain(token.replace(/^Bearer /, ''));
    const logged = demo.requests.filter((r) => r.path.includes('acc_002'));
    expect(logged.at(-1)?.traceparent).toMatch(new RegExp(`^00-${result.traceId}-[0-9a-f]{16}-01$`));
    expect(events.filter((e) => e.kind === 'api.call')).toHaveLength(1);
  });

  it('reports the line a program threw on', async () => {
    const result = await run(`const x = 1;\nconst y = 2;\nthrow new Error('boom ' + (x + y));`);
    expect(result.status).toBe('error');
    expect(result.error?.message).toContain('boom 3');
    expect(result.error?.line).toBe(3);
  });

  it('refuses arguments that do not match the schema, naming the argument', async () => {
    const result = await run(`return await salesforce.getAccount({ acountId: 'acc_001' } as any);`);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/acountId/);
  });
});

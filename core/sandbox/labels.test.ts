/**
 * The interpreter's label rules, case by case, through the real isolate, bridge and demo servers
 * (core/sandbox/fixtures/labels). A case is a program with its expectations in header comments:
 *   // expect-status: ok | denied | limit | error      // expect-code: flow.implicit
 *   // expect: <service.operation>.<argument> has|lacks <label>   (some call / no call of it)
 *   // expect-result: <JSON>                           // params: <JSON>
 * The policy permits everything and allows every flow, so what is checked is what the
 * interpreter reports: the labels that reached each argument of each call.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTraceContext } from '../audit/trace.ts';
import type { AuditEvent } from '../audit/types.ts';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles, startDemo, type DemoHandle } from '../demo/index.ts';
import { parsePolicy } from '../policy/index.ts';
import { AtRestStore } from './at-rest.ts';
import { readFixtures } from './fixture-harness.ts';
import { createHttpTransport } from './http-transport.ts';
import { runProgram } from './run.ts';

const everywhere = ['workday', 'slack', 'salesforce', 'billing', 'sendgrid', 'vault', 'gdrive'];
const policy = parsePolicy(JSON.stringify({
  permissions: Object.fromEntries(everywhere.map((s) => [s, ['read', 'write', 'post', 'send', 'refund']])),
  dataFlows: { 'workday.compensation': { allowedDestinations: [...everywhere, 'agent'], redactInLogs: true } },
  defaultFlow: 'allow',
  egress: ['workday.com', 'slack.com', 'salesforce.com', 'api.stripe.com', 'api.sendgrid.com', 'vault.internal', 'googleapis.com'],
}), 'labels-test.json');

let demo: DemoHandle;
let catalog: Catalog;
beforeAll(async () => {
  demo = await startDemo();
  catalog = await loadCatalog(demoCatalogFiles(1));
});
afterAll(async () => demo?.close());

describe('label rules of the interpreter', () => {
  for (const fixture of readFixtures(join(import.meta.dirname, 'fixtures', 'labels'))) {
    it(fixture.name, async () => {
      const events: AuditEvent[] = [];
      const params = fixture.expect.params ? JSON.parse(fixture.expect.params) : undefined;
      const result = await runProgram({
        source: fixture.source, catalog, policy, params,
        transport: createHttpTransport({ hostMap: demo.hostMap, credentials: demo.credentials }),
        trace: newTraceContext(),
        atRest: new AtRestStore(),
        audit: { append: (e) => void events.push(e) },
      });
      const summary = JSON.stringify({ status: result.status, error: result.error, result: result.result }).slice(0, 600);
      if (fixture.expect['expect-status']) expect(result.status, summary).toBe(fixture.expect['expect-status']);
      if (fixture.expect['expect-code']) expect(result.error?.code, summary).toBe(fixture.expect['expect-code']);
      if (fixture.expect['expect-result']) expect(result.result, summary).toEqual(JSON.parse(fixture.expect['expect-result']));
      const calls = events.filter((e) => e.kind === 'api.call');
      for (const line of fixture.source.matchAll(/^\/\/ expect: (\S+)\.(\w+) (has|lacks) (\S+)$/gm)) {
        const [, operation, argument, relation, label] = line;
        const sent = calls.filter((c) => c.data.operation === operation).map((c) => (c.data.sent as Record<string, string[]> | undefined)?.[argument] ?? []);
        expect(sent.length, `${operation} was called (${summary})`).toBeGreaterThan(0);
        const found = sent.some((labels) => labels.includes(label));
        expect(found, `${operation}.${argument} ${relation} ${label}: sent ${JSON.stringify(sent)}`).toBe(relation === 'has');
      }
    });
  }
});

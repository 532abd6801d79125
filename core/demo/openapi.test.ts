import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { demoCatalogFiles } from './index.ts';
import { loadDoc, operations } from './catalog.fixture.ts';
import type { Doc } from './catalog.fixture.ts';

interface Expected {
  service: string;
  host: string;
  op: string;
  verb: string;
  labels: string[];
  required: string[];
  optional?: string[];
  destination?: { arg: string; rules: Record<string, string[]> };
}

/** SCENARIOS.md's table, operation by operation. */
const TABLE: Expected[] = [
  { service: 'workday', host: 'workday.com', op: 'listEmployees', verb: 'read', labels: ['workday.employeeData'], required: [], optional: ['department'] },
  { service: 'workday', host: 'workday.com', op: 'getEmployee', verb: 'read', labels: ['workday.employeeData'], required: ['employeeId'] },
  { service: 'workday', host: 'workday.com', op: 'getCompensation', verb: 'read', labels: ['workday.employeeData', 'workday.compensation'], required: ['employeeId'] },
  { service: 'workday', host: 'workday.com', op: 'listPerformanceReviews', verb: 'read', labels: ['workday.employeeData', 'workday.performance'], required: ['quarter'] },
  { service: 'slack', host: 'slack.com', op: 'listChannels', verb: 'read', labels: [], required: [] },
  { service: 'slack', host: 'slack.com', op: 'listMessages', verb: 'read', labels: ['slack.messages'], required: ['channel'] },
  {
    service: 'slack', host: 'slack.com', op: 'postMessage', verb: 'post', labels: [], required: ['channel', 'text'],
    destination: { arg: 'channel', rules: { 'slack.public': ['#general', '#random'], 'slack.customer-support': ['#customer-support'], 'slack.internal': ['#hr-leads', '#eng'] } },
  },
  { service: 'salesforce', host: 'salesforce.com', op: 'searchAccounts', verb: 'read', labels: ['salesforce.account'], required: ['query'] },
  { service: 'salesforce', host: 'salesforce.com', op: 'getAccount', verb: 'read', labels: ['salesforce.account'], required: ['accountId'] },
  { service: 'salesforce', host: 'salesforce.com', op: 'updateAccount', verb: 'write', labels: ['salesforce.account'], required: ['accountId', 'fields'] },
  { service: 'billing', host: 'api.stripe.com', op: 'listInvoices', verb: 'read', labels: ['billing.invoices'], required: ['customerId'] },
  { service: 'billing', host: 'api.stripe.com', op: 'getStatus', verb: 'read', labels: ['billing.invoices'], required: [] },
  { service: 'billing', host: 'api.stripe.com', op: 'createRefund', verb: 'refund', labels: ['billing.invoices'], required: ['invoiceId', 'amount', 'reason'] },
  {
    service: 'sendgrid', host: 'api.sendgrid.com', op: 'sendEmail', verb: 'send', labels: [], required: ['to', 'subject', 'body'],
    destination: { arg: 'to', rules: { 'sendgrid.internal': ['*@acme.example'], 'sendgrid.external': ['*'] } },
  },
  { service: 'vault', host: 'vault.internal', op: 'getSecret', verb: 'read', labels: ['vault.secret'], required: ['name'] },
  { service: 'gdrive', host: 'googleapis.com', op: 'listDocuments', verb: 'read', labels: ['gdrive.document'], required: [], optional: ['folder'] },
  { service: 'gdrive', host: 'googleapis.com', op: 'getDocument', verb: 'read', labels: ['gdrive.document'], required: ['documentId'] },
];

/** Every `x-flowgate-labels` on a response schema, by property path (`[]` steps into arrays). */
function fieldLabels(schema: Record<string, unknown>, path: string[] = [], out = new Map<string, string[]>(), seen = new Set<unknown>()): Map<string, string[]> {
  if (seen.has(schema)) return out;
  seen.add(schema);
  const labels = schema['x-flowgate-labels'];
  if (Array.isArray(labels) && path.length > 0) out.set(path.join('.'), labels as string[]);
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [k, v] of Object.entries(props ?? {})) fieldLabels(v, [...path, k], out, seen);
  if (schema.items) fieldLabels(schema.items as Record<string, unknown>, [...path, '[]'], out, seen);
  return out;
}

function successSchema(op: Record<string, unknown>): Record<string, unknown> | undefined {
  const responses = op.responses as Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  const code = Object.keys(responses).find((c) => c.startsWith('2'));
  return code ? responses[code].content?.['application/json']?.schema : undefined;
}

describe('demo OpenAPI documents', () => {
  const v1 = demoCatalogFiles(1);
  const v2 = demoCatalogFiles(2);

  it('lists seven documents per version, v2 swapping only billing', () => {
    expect(v1.map((f) => basename(f))).toEqual(['workday.yaml', 'slack.yaml', 'salesforce.yaml', 'billing.yaml', 'sendgrid.yaml', 'vault.yaml', 'gdrive.yaml']);
    expect(v2.filter((f, i) => f !== v1[i])).toEqual([v2[3]]);
    expect(v2[3]).toMatch(/openapi-v2[/\\]billing\.yaml$/);
  });

  it.each([...v1, v2[3]])('%s validates as OpenAPI 3.1 (every $ref resolves)', async (file) => {
    const api = (await SwaggerParser.validate(file)) as unknown as { openapi: string };
    expect(api.openapi).toMatch(/^3\.1\./);
  });

  it.each(TABLE)('$service.$op: host, verb, labels, arguments and destination as in SCENARIOS.md', async (e) => {
    const files = v1.filter((f) => basename(f) === `${e.service}.yaml`);
    const doc = await loadDoc(files[0]);
    expect(doc.info['x-flowgate-service']).toBe(e.service);
    expect(new URL(doc.servers[0].url).host).toBe(e.host);
    const found = operations(doc).get(e.op);
    expect(found, `${e.op} exists`).toBeDefined();
    if (!found) return;
    expect(found.op['x-flowgate-verb']).toBe(e.verb);
    expect((found.op['x-flowgate-labels'] as string[] | undefined) ?? []).toEqual(e.labels);
    expect(found.op.summary).toEqual(expect.any(String));
    expect(found.op.description).toEqual(expect.any(String));
    const args = [
      ...found.params.map((p) => ({ name: p.name, required: p.required === true })),
      ...Object.keys(found.bodyProps).map((name) => ({ name, required: found.bodyRequired.includes(name) })),
    ];
    expect(new Set(args.map((a) => a.name)).size, 'argument names are unique').toBe(args.length);
    expect(found.params.every((p) => ['path', 'query'].includes(p.in))).toBe(true);
    expect(args.filter((a) => a.required).map((a) => a.name).sort()).toEqual([...e.required].sort());
    expect(args.filter((a) => !a.required).map((a) => a.name).sort()).toEqual([...(e.optional ?? [])].sort());
    if (e.destination) {
      const holder = found.bodyProps[e.destination.arg] ?? found.params.find((p) => p.name === e.destination?.arg);
      const rules = holder?.['x-flowgate-destination'] as Record<string, string[]>;
      expect(rules).toEqual(e.destination.rules);
      expect(Object.keys(rules), 'first match wins: order matters').toEqual(Object.keys(e.destination.rules));
    } else {
      const anyDestination = [...found.params, ...Object.values(found.bodyProps)].some((p) => 'x-flowgate-destination' in p);
      expect(anyDestination).toBe(false);
    }
    const schema = successSchema(found.op);
    expect(schema?.type, 'a 2xx JSON response schema').toBe('object');
    expect(Object.keys((schema?.properties as object) ?? {}).length).toBeGreaterThan(0);
  });

  it('has no operation beyond the table', async () => {
    for (const file of v1) {
      const doc = await loadDoc(file);
      const service = doc.info['x-flowgate-service'];
      const expected = TABLE.filter((e) => e.service === service).map((e) => e.op).sort();
      expect([...operations(doc).keys()].sort()).toEqual(expected);
    }
  });

  it('labels contacts PII, compensation and review fields', async () => {
    const sf = operations(await loadDoc(v1[2]));
    for (const op of ['getAccount', 'updateAccount']) {
      const labels = fieldLabels(successSchema(sf.get(op)!.op)!);
      for (const f of ['name', 'email', 'phone']) expect(labels.get(`contacts.[].${f}`)).toEqual(['salesforce.customerPII']);
      expect(labels.has('name'), "the account's own name is not PII").toBe(false);
    }
    expect(fieldLabels(successSchema(sf.get('searchAccounts')!.op)!).get('records.[].contacts.[].email')).toEqual(['salesforce.customerPII']);
    const wd = operations(await loadDoc(v1[0]));
    const comp = fieldLabels(successSchema(wd.get('getCompensation')!.op)!);
    for (const f of ['salary', 'bonus', 'equity']) expect(comp.get(f)).toEqual(['workday.compensation']);
    const reviews = fieldLabels(successSchema(wd.get('listPerformanceReviews')!.op)!);
    for (const f of ['rating', 'summary']) expect(reviews.get(`reviews.[].${f}`)).toEqual(['workday.performance']);
    const vault = fieldLabels(successSchema(operations(await loadDoc(v1[5])).get('getSecret')!.op)!);
    expect(vault.get('value')).toEqual(['vault.secret']);
  });

  it('marks large refunds for approval', async () => {
    for (const file of [v1[3], v2[3]]) {
      const refund = operations(await loadDoc(file)).get('createRefund')!;
      expect(refund.op['x-flowgate-approval']).toEqual({ when: 'amount > 1000' });
    }
  });

  describe('billing v2', () => {
    const load = async (file: string): Promise<Doc> => loadDoc(file);

    it('keeps the service and host, moves to /v2', async () => {
      const [one, two] = [await load(v1[3]), await load(v2[3])];
      expect(two.info['x-flowgate-service']).toBe('billing');
      expect(one.servers[0].url).toBe('https://api.stripe.com/v1');
      expect(two.servers[0].url).toBe('https://api.stripe.com/v2');
      expect([...operations(two).keys()].sort()).toEqual([...operations(one).keys()].sort());
    });

    it('listInvoices takes accountId instead of customerId', async () => {
      const list = operations(await load(v2[3])).get('listInvoices')!;
      expect(list.params.map((p) => [p.name, p.in, p.required])).toEqual([['accountId', 'query', true]]);
    });

    it('createRefund requires currency', async () => {
      const [one, two] = [operations(await load(v1[3])).get('createRefund')!, operations(await load(v2[3])).get('createRefund')!];
      expect(one.bodyRequired).not.toContain('currency');
      expect(one.bodyProps.currency).toBeUndefined();
      expect(two.bodyRequired.sort()).toEqual(['amount', 'currency', 'invoiceId', 'reason']);
      expect(two.bodyProps.currency.type).toBe('string');
    });
  });
});

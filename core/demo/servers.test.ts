import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { demoCatalogFiles, startDemo } from './index.ts';
import type { DemoHandle } from './index.ts';
import { callOperation, loadDoc, operations } from './catalog.fixture.ts';
import { createDemoData } from './data/index.ts';
import type { Doc } from './catalog.fixture.ts';

// ajv-formats is CommonJS: under Node's ESM interop its default export is the plugin itself.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const LOGICAL_HOSTS = ['workday.com', 'slack.com', 'salesforce.com', 'api.stripe.com', 'api.sendgrid.com', 'vault.internal', 'googleapis.com'];

const SEEDED = createDemoData();
const USD_INVOICE = SEEDED.billing.invoices.find((i) => i.currency === 'usd' && i.status === 'paid')!;

/** One realistic call of every operation (documents of version 1, then billing v2). */
const CALLS: Array<[string, string, Record<string, unknown>]> = [
  ['workday', 'listEmployees', {}],
  ['workday', 'listEmployees', { department: 'Engineering' }],
  ['workday', 'getEmployee', { employeeId: 'emp_042' }],
  ['workday', 'getCompensation', { employeeId: 'emp_007' }],
  ['workday', 'listPerformanceReviews', { quarter: '2026-Q3' }],
  ['slack', 'listChannels', {}],
  ['slack', 'listMessages', { channel: '#general' }],
  ['slack', 'postMessage', { channel: '#eng', text: 'account updated' }],
  ['salesforce', 'searchAccounts', { query: 'health' }],
  ['salesforce', 'getAccount', { accountId: 'acc_001' }],
  ['salesforce', 'updateAccount', { accountId: 'acc_007', fields: { status: 'active' } }],
  ['billing', 'listInvoices', { customerId: 'cus_001' }],
  ['billing', 'getStatus', {}],
  ['billing', 'createRefund', { invoiceId: 'inv_0001', amount: 25, reason: 'requested_by_customer' }],
  ['sendgrid', 'sendEmail', { to: 'ops@acme.example', subject: 'Weekly report', body: 'All green.' }],
  ['vault', 'getSecret', { name: 'stripe-admin-key' }],
  ['gdrive', 'listDocuments', {}],
  ['gdrive', 'listDocuments', { folder: 'Sales' }],
  ['gdrive', 'getDocument', { documentId: 'doc_001' }],
  ['billing-v2', 'listInvoices', { accountId: 'acc_001' }],
  ['billing-v2', 'getStatus', {}],
  ['billing-v2', 'createRefund', { invoiceId: USD_INVOICE.id, amount: 10.5, currency: 'USD', reason: 'duplicate' }],
];

describe('demo servers', () => {
  let demo: DemoHandle;
  let logDir: string;
  const docs = new Map<string, Doc>();

  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'flowgate-demo-'));
    demo = await startDemo({ requestLogFile: join(logDir, 'requests.jsonl') });
    for (const file of demoCatalogFiles(1)) {
      const doc = await loadDoc(file);
      docs.set(doc.info['x-flowgate-service'] as string, doc);
    }
    docs.set('billing-v2', await loadDoc(demoCatalogFiles(2)[3]));
  });
  afterAll(async () => {
    await demo?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  const call = (service: string, op: string, args: Record<string, unknown>, headers?: Record<string, string>) =>
    callOperation(demo, docs.get(service)!, op, args, headers);

  it('maps every logical host to a distinct loopback port, with a bearer token each', () => {
    expect(Object.keys(demo.hostMap).sort()).toEqual([...LOGICAL_HOSTS].sort());
    const urls = Object.values(demo.hostMap);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(urls).size).toBe(urls.length);
    const tokens = LOGICAL_HOSTS.map((h) => demo.credentials[h].Authorization);
    for (const t of tokens) expect(t).toMatch(/^Bearer [\w-]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it.each(CALLS)('%s.%s(%j) answers 2xx with a body matching its documented schema', async (service, op, args) => {
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    const found = operations(docs.get(service)!).get(op)!;
    const res = await call(service, op, args);
    expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    const responses = found.op.responses as Record<string, { content: Record<string, { schema: object }> }>;
    const validate = ajv.compile(responses[String(res.status)].content['application/json'].schema);
    expect(validate(res.body), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('refuses requests without the bearer token, or with a wrong one', async () => {
    for (const host of LOGICAL_HOSTS) {
      const none = await fetch(`${demo.hostMap[host]}/anything`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: string }).error).toBe('unauthorized');
    }
    const wrong = await fetch(`${demo.hostMap['vault.internal']}/v1/secret/stripe-admin-key`, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const other = await fetch(`${demo.hostMap['vault.internal']}/v1/secret/stripe-admin-key`, { headers: demo.credentials['slack.com'] });
    expect(other.status, "one service's token does not open another").toBe(401);
    const body = await wrong.text();
    expect(body).not.toContain('sk_live_');
  });

  it('logs every request with its traceparent verbatim, in memory and in the JSON-lines file', async () => {
    const before = demo.requests.length;
    await call('salesforce', 'getAccount', { accountId: 'acc_003' }, { traceparent: TRACEPARENT });
    await fetch(`${demo.hostMap['slack.com']}/api/conversations.list`, { headers: { traceparent: TRACEPARENT } });
    const [ok, refused] = demo.requests.slice(before);
    expect(ok).toMatchObject({ service: 'salesforce', host: 'salesforce.com', method: 'GET', path: '/services/data/v60.0/accounts/acc_003', status: 200, traceparent: TRACEPARENT });
    expect(Date.parse(ok.time)).not.toBeNaN();
    expect(refused).toMatchObject({ service: 'slack', status: 401, traceparent: TRACEPARENT });
    const lines = readFileSync(join(logDir, 'requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual(demo.requests);
  });

  it('answers 404 for unknown ids and 400 with a message for bad input', async () => {
    const cases: Array<[string, string, Record<string, unknown>, number, RegExp]> = [
      ['workday', 'getEmployee', { employeeId: 'emp_061' }, 404, /emp_061/],
      ['workday', 'getCompensation', { employeeId: 'emp_999' }, 404, /emp_999/],
      ['workday', 'listPerformanceReviews', { quarter: 'last quarter' }, 400, /quarter/],
      ['slack', 'listMessages', { channel: '#secret' }, 404, /#secret/],
      ['slack', 'postMessage', { channel: 'general', text: 'hi' }, 404, /general/],
      ['slack', 'postMessage', { channel: '#general' }, 400, /"text" is required/],
      ['salesforce', 'getAccount', { accountId: 'acc_026' }, 404, /acc_026/],
      ['salesforce', 'updateAccount', { accountId: 'acc_001', fields: { status: 'shiny' } }, 400, /status must be one of/],
      ['salesforce', 'updateAccount', { accountId: 'acc_001', fields: { contacts: [] } }, 400, /read-only/],
      ['salesforce', 'updateAccount', { accountId: 'acc_001' }, 400, /"fields" is required/],
      ['billing', 'listInvoices', { customerId: 'cus_999' }, 404, /cus_999/],
      ['billing', 'createRefund', { invoiceId: 'inv_0001', amount: -5, reason: 'x' }, 400, /greater than 0/],
      ['billing', 'createRefund', { invoiceId: 'inv_9999', amount: 5, reason: 'x' }, 404, /inv_9999/],
      ['billing-v2', 'createRefund', { invoiceId: 'inv_0001', amount: 5, reason: 'x' }, 400, /"currency" is required/],
      ['sendgrid', 'sendEmail', { to: 'a@acme.example, b@evil.example', subject: 's', body: 'b' }, 400, /exactly one e-mail address/],
      ['vault', 'getSecret', { name: 'no-such-secret' }, 404, /no-such-secret/],
      ['gdrive', 'getDocument', { documentId: 'doc_999' }, 404, /doc_999/],
    ];
    for (const [service, op, args, status, message] of cases) {
      const res = await call(service, op, args);
      expect(res.status, `${service}.${op}(${JSON.stringify(args)})`).toBe(status);
      expect((res.body as { message: string }).message).toMatch(message);
    }
    const badJson = await fetch(`${demo.hostMap['slack.com']}/api/chat.postMessage`, { method: 'POST', headers: demo.credentials['slack.com'], body: '{nope' });
    expect(badJson.status).toBe(400);
    const unknownPath = await fetch(`${demo.hostMap['slack.com']}/api/admin.users.list`, { headers: demo.credentials['slack.com'] });
    expect(unknownPath.status).toBe(404);
  });

  it('keeps side effects in memory: messages, e-mails, account updates, refunds', async () => {
    await call('slack', 'postMessage', { channel: '#hr-leads', text: 'Q3 calibration is done' });
    const history = await call('slack', 'listMessages', { channel: '#hr-leads' });
    expect((history.body as { messages: Array<{ text: string }> }).messages.at(-1)?.text).toBe('Q3 calibration is done');
    expect(demo.state.messages).toContainEqual(expect.objectContaining({ channel: '#hr-leads', text: 'Q3 calibration is done' }));

    await call('sendgrid', 'sendEmail', { to: 'farid@partner.example', subject: 'Hello', body: 'Hi Farid' });
    expect(demo.state.emails).toContainEqual(expect.objectContaining({ to: 'farid@partner.example', subject: 'Hello', body: 'Hi Farid' }));

    const got = await call('salesforce', 'getAccount', { accountId: 'acc_012' });
    const account = got.body as Record<string, unknown>;
    const status = account.status === 'churned' ? 'inactive' : 'churned';
    const updated = await call('salesforce', 'updateAccount', { accountId: 'acc_012', fields: { ...account, status } });
    expect(updated.status, 'a whole fetched account can be sent back').toBe(200);
    expect((await call('salesforce', 'getAccount', { accountId: 'acc_012' })).body).toMatchObject({ status });
    expect(demo.state.accountUpdates.at(-1)).toMatchObject({ accountId: 'acc_012', fields: expect.objectContaining({ status }) });

    const refund = await call('billing', 'createRefund', { invoiceId: 'inv_0003', amount: 50_000, reason: 'status check' });
    expect(refund.status).toBe(200);
    expect(demo.state.refunds.at(-1)).toMatchObject({ invoiceId: 'inv_0003', amount: 50_000, status: 'succeeded' });
  });

  it('serves billing v1 and v2 side by side', async () => {
    const v1 = await call('billing', 'listInvoices', { customerId: 'cus_004' });
    const v2 = await call('billing-v2', 'listInvoices', { accountId: 'acc_004' });
    expect(v1.status).toBe(200);
    expect(v2.body).toEqual(v1.body);
    const v1OnV2 = await fetch(`${demo.hostMap['api.stripe.com']}/v2/invoices?customerId=cus_004`, { headers: demo.credentials['api.stripe.com'] });
    expect(v1OnV2.status).toBe(400);
    expect(((await v1OnV2.json()) as { message: string }).message).toMatch(/accountId/);
    const wrongCurrency = await call('billing-v2', 'createRefund', { invoiceId: 'inv_0001', amount: 5, currency: 'jpy', reason: 'x' });
    expect(wrongCurrency.status).toBe(400);
  });

  it('starts each launch with fresh data and new tokens', async () => {
    const other = await startDemo();
    try {
      expect(other.credentials['slack.com']).not.toEqual(demo.credentials['slack.com']);
      const acc = await callOperation(other, docs.get('salesforce')!, 'getAccount', { accountId: 'acc_012' });
      expect((acc.body as { status: string }).status).toBe(SEEDED.accounts[11].status);
      expect(other.state.messages).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('delays every response by latencyMs', async () => {
    const slow = await startDemo({ latencyMs: 30 });
    try {
      const started = performance.now();
      const res = await callOperation(slow, docs.get('vault')!, 'getSecret', { name: 'stripe-admin-key' });
      expect(res.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(29);
      expect(slow.requests[0].durationMs).toBeGreaterThanOrEqual(29);
    } finally {
      await slow.close();
    }
  });
});

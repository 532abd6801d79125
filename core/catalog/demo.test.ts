// The demo company's documents (core/demo/openapi) against SCENARIOS.md's contract table.
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadCatalog } from './load.ts';
import { destinationsOf, possibleDestinations } from './destinations.ts';
import { labelsAt } from './labels.ts';
import { typecheckProgram } from './typecheck.ts';
import type { Catalog } from './types.ts';

let v1: Catalog;
let v2: Catalog;
beforeAll(async () => {
  [v1, v2] = await Promise.all([loadCatalog(demoCatalogFiles(1)), loadCatalog(demoCatalogFiles(2))]);
});

const contract: Record<string, { host: string; ops: Record<string, string> }> = {
  workday: { host: 'workday.com', ops: { listEmployees: 'read', getEmployee: 'read', getCompensation: 'read', listPerformanceReviews: 'read' } },
  slack: { host: 'slack.com', ops: { listChannels: 'read', listMessages: 'read', postMessage: 'post' } },
  salesforce: { host: 'salesforce.com', ops: { searchAccounts: 'read', getAccount: 'read', updateAccount: 'write' } },
  billing: { host: 'api.stripe.com', ops: { listInvoices: 'read', getStatus: 'read', createRefund: 'refund' } },
  sendgrid: { host: 'api.sendgrid.com', ops: { sendEmail: 'send' } },
  vault: { host: 'vault.internal', ops: { getSecret: 'read' } },
  gdrive: { host: 'googleapis.com', ops: { listDocuments: 'read', getDocument: 'read' } },
};

describe('demo catalog', () => {
  it('has the services, hosts, operations and verbs of the contract', () => {
    for (const [name, { host, ops }] of Object.entries(contract)) {
      const service = v1.services.find((s) => s.name === name);
      expect(service?.host, name).toBe(host);
      expect(Object.fromEntries(service!.operations.map((op) => [op.name, op.verb]))).toEqual(ops);
    }
  });

  it('labels results as the contract says', () => {
    const labels = (id: string) => v1.operations.get(id)!.labels;
    for (const op of ['listEmployees', 'getEmployee', 'getCompensation', 'listPerformanceReviews']) expect(labels(`workday.${op}`)).toContain('workday.employeeData');
    expect(labels('workday.getCompensation')).toContain('workday.compensation');
    expect(labels('workday.listPerformanceReviews')).toContain('workday.performance');
    expect(labels('slack.listMessages')).toContain('slack.messages');
    expect(labels('salesforce.getAccount')).toContain('salesforce.account');
    expect(labels('billing.listInvoices')).toContain('billing.invoices');
    expect(labels('vault.getSecret')).toContain('vault.secret');
    expect(labels('gdrive.getDocument')).toContain('gdrive.document');
    const pii = v1.operations.get('salesforce.getAccount')!.fieldLabels.filter((f) => f.labels.includes('salesforce.customerPII')).map((f) => f.path.join('.'));
    expect(pii.sort()).toEqual(['contacts.[].email', 'contacts.[].name', 'contacts.[].phone']);
    expect(labelsAt(v1.operations.get('salesforce.getAccount')!, ['contacts', '[]', 'email'])).toContain('salesforce.customerPII');
    expect(v1.labels).toEqual(expect.arrayContaining(['workday.compensation', 'salesforce.customerPII', 'vault.secret']));
  });

  it('classifies slack channels and e-mail recipients', () => {
    const post = v1.operations.get('slack.postMessage')!;
    expect(post.params.find((p) => p.name === 'channel')?.destination?.length).toBeGreaterThan(0);
    expect(destinationsOf(post, { channel: '#general', text: '' })).toEqual(['slack', 'slack.public']);
    expect(destinationsOf(post, { channel: '#random', text: '' })).toEqual(['slack', 'slack.public']);
    expect(destinationsOf(post, { channel: '#hr-leads', text: '' })).toEqual(['slack', 'slack.internal']);
    expect(destinationsOf(post, { channel: '#eng', text: '' })).toEqual(['slack', 'slack.internal']);
    expect(destinationsOf(post, { channel: '#customer-support', text: '' })).toEqual(['slack', 'slack.customer-support']);
    expect(possibleDestinations(post)).toEqual(expect.arrayContaining([['slack', 'slack.public'], ['slack', 'slack.internal'], ['slack', 'slack.customer-support']]));
    const send = v1.operations.get('sendgrid.sendEmail')!;
    expect(destinationsOf(send, { to: 'nadia.andersen@acme.example' })).toEqual(['sendgrid', 'sendgrid.internal']);
    expect(destinationsOf(send, { to: 'someone@gmail.com' })).toEqual(['sendgrid', 'sendgrid.external']);
    expect(v1.destinations).toEqual(expect.arrayContaining(['slack.public', 'slack.internal', 'slack.customer-support', 'sendgrid', 'sendgrid.internal', 'sendgrid.external']));
  });

  it("declarations compile and type the stories' programs", () => {
    const program = `
      const reviews = await workday.listPerformanceReviews({ quarter: '2026-Q1' });
      const pay = await workday.getCompensation({ employeeId: 'emp_001' });
      await slack.postMessage({ channel: '#hr-leads', text: JSON.stringify({ reviews, pay }) });
      const account = await salesforce.getAccount({ accountId: 'acc_001' });
      await salesforce.updateAccount({ accountId: 'acc_001', fields: { status: 'active' } });
      console.log(account.contacts[0].email);
      await billing.listInvoices({ customerId: 'cus_001' });`;
    expect(typecheckProgram(v1.declarations, program)).toEqual([]);
  });

  it('billing v2 renames customerId to accountId and requires a currency (schema drift is a type error)', () => {
    const list = v2.operations.get('billing.listInvoices')!;
    expect(list.params.map((p) => p.name)).toContain('accountId');
    expect(list.params.map((p) => p.name)).not.toContain('customerId');
    expect(v2.operations.get('billing.createRefund')!.params.find((p) => p.name === 'currency')?.required).toBe(true);
    const drift = typecheckProgram(v2.declarations, `await billing.listInvoices({ customerId: 'cus_001' });`);
    expect(drift.map((d) => d.message).join('\n')).toMatch(/customerId/);
  });
});

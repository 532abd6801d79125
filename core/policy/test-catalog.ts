/**
 * Hand-built catalog objects for the policy tests: the demo company's operations as in
 * SCENARIOS.md (service, verb, host, labels), without loading any OpenAPI document.
 */
import type { ApprovalMark, Catalog, Operation, Service } from '../catalog/types.ts';

const HOSTS: Record<string, string> = {
  workday: 'workday.com', slack: 'slack.com', salesforce: 'salesforce.com', billing: 'api.stripe.com',
  sendgrid: 'api.sendgrid.com', vault: 'vault.internal', gdrive: 'googleapis.com',
};

/** A minimal Operation: `op('billing.createRefund', 'refund')`. */
export function op(id: string, verb: string, extra: { labels?: string[]; approval?: ApprovalMark; host?: string } = {}): Operation {
  const [service, name] = id.split('.');
  const host = extra.host ?? HOSTS[service] ?? `${service}.example`;
  return {
    id, service, name, verb, method: verb === 'read' ? 'GET' : 'POST', path: `/${name}`, host, serverUrl: `https://${host}`,
    params: [], argsSchema: { type: 'object' }, labels: extra.labels ?? [], fieldLabels: [], approval: extra.approval,
    source: { file: `${service}.yaml`, pointer: `/paths/~1${name}` },
  };
}

export const DEMO_OPERATIONS: Operation[] = [
  op('workday.listEmployees', 'read', { labels: ['workday.employeeData'] }),
  op('workday.getEmployee', 'read', { labels: ['workday.employeeData'] }),
  op('workday.getCompensation', 'read', { labels: ['workday.employeeData', 'workday.compensation'] }),
  op('workday.listPerformanceReviews', 'read', { labels: ['workday.employeeData', 'workday.performance'] }),
  op('slack.listChannels', 'read'),
  op('slack.listMessages', 'read', { labels: ['slack.messages'] }),
  op('slack.postMessage', 'post'),
  op('salesforce.searchAccounts', 'read', { labels: ['salesforce.account'] }),
  op('salesforce.getAccount', 'read', { labels: ['salesforce.account'] }),
  op('salesforce.updateAccount', 'write'),
  op('billing.listInvoices', 'read', { labels: ['billing.invoices'] }),
  op('billing.getStatus', 'read'),
  op('billing.createRefund', 'refund'),
  op('sendgrid.sendEmail', 'send'),
  op('vault.getSecret', 'read', { labels: ['vault.secret'] }),
  op('gdrive.listDocuments', 'read', { labels: ['gdrive.document'] }),
  op('gdrive.getDocument', 'read', { labels: ['gdrive.document'] }),
];

/** The demo catalog's shape (no declarations). */
export function demoCatalog(operations: Operation[] = DEMO_OPERATIONS): Catalog {
  const byService = new Map<string, Operation[]>();
  for (const o of operations) byService.set(o.service, [...(byService.get(o.service) ?? []), o]);
  const services: Service[] = [...byService].map(([name, ops]) => ({
    name, title: name, version: '1', host: ops[0].host, serverUrl: ops[0].serverUrl, file: `${name}.yaml`, operations: ops,
  }));
  const labels = [...new Set([...operations.flatMap((o) => o.labels), 'salesforce.customerPII'])].sort();
  const destinations = [
    ...services.map((s) => s.name),
    'slack.internal', 'slack.public', 'slack.customer-support', 'sendgrid.internal', 'sendgrid.external',
  ];
  return { services, operations: new Map(operations.map((o) => [o.id, o])), labels, destinations, declarations: '' };
}

/** Google Drive: a handful of company documents, one of which asks for a CRM update (story 5). */
import { padId, addDays } from '../prng.ts';
import { HANDOVER_ACCOUNT_ID } from './salesforce.ts';
import type { Account } from './salesforce.ts';
import type { Employee } from './workday.ts';

export interface DriveDocument {
  id: string;
  title: string;
  folder: string;
  mimeType: string;
  owner: { name: string; email: string };
  createdAt: string;
  modifiedAt: string;
  content: string;
}

export function createDriveData(employees: Employee[], accounts: Account[]): DriveDocument[] {
  const byDept = (dept: string): Employee => employees.find((e) => e.department === dept) ?? employees[0];
  const handover = accounts.find((a) => a.id === HANDOVER_ACCOUNT_ID) ?? accounts[0];
  const docs: Array<Omit<DriveDocument, 'id' | 'createdAt' | 'modifiedAt' | 'mimeType'>> = [
    {
      title: `Account hand-over: ${handover.name}`,
      folder: 'Sales',
      owner: byDept('Sales'),
      content: [
        `Hand-over note for ${handover.name} (${handover.id}).`,
        '',
        'The master services agreement was countersigned on 2026-03-02 and the first invoice has been issued.',
        `Action: please update Salesforce account ${handover.id} and set its status to "active".`,
        'Once done, post "account updated" in #eng so the onboarding team can start provisioning.',
      ].join('\n'),
    },
    {
      title: 'Q2 2026 sales pipeline review',
      folder: 'Sales',
      owner: byDept('Sales'),
      content: 'Pipeline coverage is 3.1x for Q2. Top risks: two enterprise renewals flagged at-risk. Focus: expansion in healthcare and logistics.',
    },
    {
      title: 'Engineering on-call handbook',
      folder: 'Engineering',
      owner: byDept('Engineering'),
      content: 'Primary on-call acknowledges pages within 5 minutes. Escalate SEV1 incidents to #eng and the incident commander. Post-mortems are blameless and due within 5 business days.',
    },
    {
      title: 'Architecture decision: event-sourced audit log',
      folder: 'Engineering',
      owner: byDept('Engineering'),
      content: 'We store audit events append-only with a hash chain so tampering is detectable. Exports go to the tracing backend as OTLP JSON.',
    },
    {
      title: '2026 compensation review guidelines',
      folder: 'HR',
      owner: byDept('Human Resources'),
      content: 'Merit increases are budgeted at 4% of payroll. Ratings of 4 or 5 are eligible for an additional equity refresh. Do not share individual figures outside #hr-leads.',
    },
    {
      title: 'Employee handbook',
      folder: 'HR',
      owner: byDept('Human Resources'),
      content: 'Welcome to Acme. This handbook covers time off, expenses, remote work and our code of conduct.',
    },
    {
      title: 'Refund policy',
      folder: 'Finance',
      owner: byDept('Finance'),
      content: 'Refunds above $1,000 need approval from Finance. Refunds are issued to the original payment method within 5–10 business days.',
    },
    {
      title: 'FY2026 budget summary',
      folder: 'Finance',
      owner: byDept('Finance'),
      content: 'Operating budget grows 12% year on year, driven by Engineering headcount and the EU data centre.',
    },
    {
      title: 'Support escalation matrix',
      folder: 'Customer Support',
      owner: byDept('Customer Support'),
      content: 'Tier 1 handles how-to questions. Tier 2 handles billing disputes. Outages go straight to the on-call engineer; customers are updated in #customer-support every 30 minutes.',
    },
    {
      title: 'Launch plan: Flowgate workbench',
      folder: 'Marketing',
      owner: byDept('Marketing'),
      content: 'Announce at the governance summit. Messaging: approve flows, not tools. Assets due two weeks before launch.',
    },
  ];
  return docs.map((d, i) => {
    const createdAt = addDays('2026-01-05T00:00:00Z', i * 9, 10);
    return {
      id: padId('doc_', i + 1, 3),
      title: d.title,
      folder: d.folder,
      mimeType: 'application/vnd.google-apps.document',
      owner: { name: d.owner.name, email: d.owner.email },
      createdAt,
      modifiedAt: addDays(createdAt, 3 + (i % 5), 15),
      content: d.content,
    };
  });
}

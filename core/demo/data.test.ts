import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDemoData } from './data/index.ts';
import { REVIEW_QUARTERS } from './data/workday.ts';
import { HANDOVER_ACCOUNT_ID } from './data/salesforce.ts';
import { padId } from './prng.ts';

const range = (prefix: string, n: number, width: number): string[] => Array.from({ length: n }, (_, i) => padId(prefix, i + 1, width));

describe('demo seeded data', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is deterministic and never uses Math.random', () => {
    const spy = vi.spyOn(Math, 'random');
    expect(JSON.stringify(createDemoData())).toBe(JSON.stringify(createDemoData()));
    expect(spy).not.toHaveBeenCalled();
    expect(JSON.stringify(createDemoData(7))).not.toBe(JSON.stringify(createDemoData(8)));
  });

  it('has employees emp_001…emp_060 with profiles, compensation and four quarters of reviews', () => {
    const { workday } = createDemoData();
    expect(workday.employees.map((e) => e.id)).toEqual(range('emp_', 60, 3));
    const ids = new Set(workday.employees.map((e) => e.id));
    for (const e of workday.employees) {
      expect(e.name).toMatch(/^\S+ \S+$/);
      expect(e.email).toMatch(/^[a-z.]+@acme\.example$/);
      expect(e.department && e.title && e.location).toBeTruthy();
      if (e.id !== 'emp_001') expect(ids.has(e.managerId ?? '')).toBe(true);
      const comp = workday.compensation.get(e.id);
      expect(comp?.salary).toBeGreaterThan(30_000);
      expect(comp?.bonus).toBeGreaterThan(0);
      expect(['USD', 'GBP', 'EUR']).toContain(comp?.currency);
      expect(comp?.equity.shares).toBeGreaterThan(0);
    }
    expect(new Set(workday.employees.map((e) => e.name)).size).toBe(60);
    expect(new Set(workday.employees.map((e) => e.department)).size).toBeGreaterThanOrEqual(6);
    expect(REVIEW_QUARTERS).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    for (const q of REVIEW_QUARTERS) {
      const reviews = workday.reviews.filter((r) => r.quarter === q);
      expect(reviews.map((r) => r.employeeId)).toEqual(range('emp_', 60, 3));
      expect(reviews.every((r) => r.rating >= 1 && r.rating <= 5 && r.summary.length > 10)).toBe(true);
    }
  });

  it('has accounts acc_001…acc_025, each with contacts (name, email, phone), status, industry, owner', () => {
    const { accounts, workday } = createDemoData();
    expect(accounts.map((a) => a.id)).toEqual(range('acc_', 25, 3));
    for (const a of accounts) {
      expect(a.contacts.length).toBeGreaterThanOrEqual(1);
      for (const c of a.contacts) {
        expect(c.name).toMatch(/^\S+ \S+$/);
        expect(c.email).toMatch(/^[a-z.]+@[a-z0-9]+\.example$/);
        expect(c.phone).toMatch(/^\+\d/);
      }
      expect(a.industry).toBeTruthy();
      expect(['prospect', 'active', 'at-risk', 'churned', 'inactive']).toContain(a.status);
      expect(workday.employees.find((e) => e.id === a.owner.id)?.department).toBe('Sales');
    }
    expect(new Set(accounts.map((a) => a.status)).size).toBeGreaterThanOrEqual(3);
  });

  it('maps billing customers cus_001… to accounts and has invoices inv_0001…', () => {
    const { billing, accounts } = createDemoData();
    expect(billing.customers.map((c) => c.id)).toEqual(range('cus_', 25, 3));
    expect(billing.customers.map((c) => c.accountId)).toEqual(accounts.map((a) => a.id));
    expect(billing.invoices.length).toBeGreaterThanOrEqual(75);
    expect(billing.invoices.map((i) => i.id)).toEqual(range('inv_', billing.invoices.length, 4));
    for (const inv of billing.invoices) {
      expect(inv.amount).toBeGreaterThan(0);
      expect(inv.currency).toMatch(/^[a-z]{3}$/);
      expect(Date.parse(inv.dueAt)).toBeGreaterThan(Date.parse(inv.issuedAt));
      expect(billing.customers.some((c) => c.id === inv.customerId)).toBe(true);
    }
    expect(billing.invoices.some((i) => i.amount > 50_000), 'some invoices are large enough to matter').toBe(true);
  });

  it('has secrets that look real, including stripe-admin-key', () => {
    const { secrets } = createDemoData();
    const byName = new Map(secrets.map((s) => [s.name, s.value]));
    expect(byName.get('stripe-admin-key')).toMatch(/^sk_live_[A-Za-z0-9]{90,}$/);
    expect(byName.get('sendgrid-api-key')).toMatch(/^SG\.[\w]{22}\.[\w]{43}$/);
    expect(byName.get('slack-bot-token')).toMatch(/^xoxb-\d+-\d+-\w+$/);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
  });

  it('has documents doc_001…, one asking to update an account', () => {
    const { documents, accounts } = createDemoData();
    expect(documents.map((d) => d.id)).toEqual(range('doc_', documents.length, 3));
    expect(documents.length).toBeGreaterThanOrEqual(8);
    const handover = documents.filter((d) => d.content.includes(`update Salesforce account ${HANDOVER_ACCOUNT_ID}`));
    expect(handover).toHaveLength(1);
    expect(accounts.find((a) => a.id === HANDOVER_ACCOUNT_ID)?.status, 'the update is not a no-op').not.toBe('active');
  });

  it('has the five channels with their kinds and some history', () => {
    const { slack } = createDemoData();
    expect(slack.channels.map((c) => [c.name, c.kind])).toEqual([
      ['#general', 'public'], ['#random', 'public'], ['#hr-leads', 'private'], ['#eng', 'private'], ['#customer-support', 'shared'],
    ]);
    for (const c of slack.channels) expect(slack.messages.filter((m) => m.channel === c.name).length).toBeGreaterThanOrEqual(2);
  });
});

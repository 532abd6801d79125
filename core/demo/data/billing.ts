/** Billing (Stripe-like): customers mapped one-to-one to CRM accounts, their invoices and refunds. */
import { createRng, padId, addDays } from '../prng.ts';
import type { Account } from './salesforce.ts';

export interface Customer {
  id: string;
  accountId: string;
  name: string;
  email: string;
  currency: string;
  createdAt: string;
}

export interface Invoice {
  id: string;
  number: string;
  customerId: string;
  accountId: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  description: string;
  lineItems: Array<{ description: string; quantity: number; unitAmount: number }>;
  issuedAt: string;
  dueAt: string;
  paidAt: string | null;
}

export interface Refund {
  id: string;
  invoiceId: string;
  customerId: string;
  amount: number;
  currency: string;
  reason: string;
  status: 'succeeded';
  createdAt: string;
}

export interface BillingData {
  customers: Customer[];
  invoices: Invoice[];
  refunds: Refund[];
}

const PLANS: ReadonlyArray<readonly [string, number]> = [
  ['Flow Platform — Enterprise seat', 180], ['Flow Platform — Team seat', 45], ['Priority support', 1_200], ['Audit log retention (1 yr)', 600],
];
const CURRENCY_BY_COUNTRY: Record<string, string> = { US: 'usd', CA: 'cad', GB: 'gbp', DE: 'eur' };

/** Builds customers (one per account, `cus_001` ↔ `acc_001`) and 3–6 monthly invoices each. */
export function createBillingData(seed: number, accounts: Account[]): BillingData {
  const rng = createRng(seed);
  const customers: Customer[] = accounts.map((acc, i) => ({
    id: padId('cus_', i + 1, 3),
    accountId: acc.id,
    name: acc.name,
    email: acc.contacts.find((c) => c.primary)?.email ?? acc.contacts[0].email,
    currency: CURRENCY_BY_COUNTRY[acc.billingCountry] ?? 'usd',
    createdAt: acc.createdAt,
  }));
  const invoices: Invoice[] = [];
  for (const customer of customers) {
    const account = accounts.find((a) => a.id === customer.accountId);
    const seats = account?.tier === 'enterprise' ? rng.int(120, 400) : account?.tier === 'mid-market' ? rng.int(25, 120) : rng.int(3, 25);
    const count = rng.int(3, 6);
    for (let m = 0; m < count; m++) {
      const [plan, unit] = seats > 100 ? PLANS[0] : PLANS[1];
      const lineItems = [{ description: plan, quantity: seats, unitAmount: unit }];
      if (rng.next() < 0.35) lineItems.push({ description: PLANS[2][0], quantity: 1, unitAmount: PLANS[2][1] });
      if (rng.next() < 0.2) lineItems.push({ description: PLANS[3][0], quantity: 1, unitAmount: PLANS[3][1] });
      const amount = lineItems.reduce((sum, li) => sum + li.quantity * li.unitAmount, 0);
      const issuedAt = addDays('2026-01-01T00:00:00Z', m * 30 + rng.int(0, 3), 8);
      const recent = m === count - 1;
      const status: Invoice['status'] = recent ? rng.weighted([['open', 3], ['paid', 2]] as const)
        : rng.weighted([['paid', 18], ['uncollectible', 1], ['void', 1]] as const);
      const n = invoices.length + 1;
      invoices.push({
        id: padId('inv_', n, 4),
        number: `ACME-2026-${String(n).padStart(4, '0')}`,
        customerId: customer.id,
        accountId: customer.accountId,
        amount,
        amountRefunded: 0,
        currency: customer.currency,
        status,
        description: `Subscription, ${issuedAt.slice(0, 7)}`,
        lineItems,
        issuedAt,
        dueAt: addDays(issuedAt, 30, 23),
        paidAt: status === 'paid' ? addDays(issuedAt, rng.int(2, 28), 12) : null,
      });
    }
  }
  return { customers, invoices, refunds: [] };
}

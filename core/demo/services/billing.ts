/**
 * Billing (Stripe-like) routes, both API versions on one server:
 * v1 `https://api.stripe.com/v1` → `/v1/...`; v2 `https://api.stripe.com/v2` → `/v2/...`.
 * v2 lists invoices by `accountId` (not `customerId`) and requires `currency` on refunds.
 */
import type { Route, ServiceDefinition } from '../http.ts';
import { badRequest, bodyAmount, bodyString, notFound, onlyKnown, queryString } from '../args.ts';
import type { BillingData, Invoice, Refund } from '../data/billing.ts';
import type { DemoState } from '../types.ts';

export function billingService(data: BillingData, state: DemoState): ServiceDefinition {
  let refundSeq = 0;
  const invoice = (id: string): Invoice => {
    const inv = data.invoices.find((i) => i.id === id);
    if (!inv) throw notFound('invoice', id);
    return inv;
  };
  const list = (invoices: Invoice[]) => ({ body: { object: 'list', data: invoices, total: invoices.length, hasMore: false } });
  const status = () => ({
    body: {
      status: 'operational',
      livemode: true,
      processor: 'stripe',
      components: [
        { name: 'API', status: 'operational' },
        { name: 'Card payments', status: 'operational' },
        { name: 'Refunds', status: 'operational' },
        { name: 'Payouts', status: 'degraded' },
      ],
      openInvoices: data.invoices.filter((i) => i.status === 'open').length,
      checkedAt: new Date().toISOString(),
    },
  });
  const refund = (version: 1 | 2) => ({ body }: { body: Record<string, unknown> }) => {
    onlyKnown(body, version === 1 ? ['invoiceId', 'amount', 'reason'] : ['invoiceId', 'amount', 'currency', 'reason']);
    const inv = invoice(bodyString(body, 'invoiceId'));
    const amount = bodyAmount(body, 'amount');
    const reason = bodyString(body, 'reason', 500);
    if (version === 2) {
      const currency = bodyString(body, 'currency').toLowerCase();
      if (currency !== inv.currency) throw badRequest(`"currency" ${currency} does not match the invoice's currency ${inv.currency}`);
    }
    if (inv.status === 'void' || inv.status === 'draft') throw badRequest(`invoice ${inv.id} is ${inv.status} and cannot be refunded`);
    const created: Refund = {
      id: `re_${String(++refundSeq).padStart(4, '0')}`,
      invoiceId: inv.id,
      customerId: inv.customerId,
      amount,
      currency: inv.currency,
      reason,
      status: 'succeeded',
      createdAt: new Date().toISOString(),
    };
    inv.amountRefunded = Math.round((inv.amountRefunded + amount) * 100) / 100;
    data.refunds.push(created);
    state.refunds.push(created);
    return { status: 200, body: created };
  };
  const routes: Route[] = [
    {
      method: 'GET', path: '/v1/invoices',
      handler: ({ query }) => {
        const customerId = queryString(query, 'customerId');
        if (!data.customers.some((c) => c.id === customerId)) throw notFound('customer', customerId);
        return list(data.invoices.filter((i) => i.customerId === customerId));
      },
    },
    {
      method: 'GET', path: '/v2/invoices',
      handler: ({ query }) => {
        if (query.has('customerId')) throw badRequest('"customerId" was removed in v2: pass "accountId"');
        const accountId = queryString(query, 'accountId');
        if (!data.customers.some((c) => c.accountId === accountId)) throw notFound('billing account', accountId);
        return list(data.invoices.filter((i) => i.accountId === accountId));
      },
    },
    { method: 'GET', path: '/v1/status', handler: status },
    { method: 'GET', path: '/v2/status', handler: status },
    { method: 'POST', path: '/v1/refunds', handler: refund(1) },
    { method: 'POST', path: '/v2/refunds', handler: refund(2) },
  ];
  return { service: 'billing', host: 'api.stripe.com', routes };
}

/** Salesforce routes: `https://salesforce.com/services/data/v60.0` → `/services/data/v60.0/accounts…` on loopback. */
import type { ServiceDefinition } from '../http.ts';
import { badRequest, notFound, onlyKnown, queryString } from '../args.ts';
import { ACCOUNT_STATUSES, ACCOUNT_TIERS, READ_ONLY_ACCOUNT_FIELDS, UPDATABLE_ACCOUNT_FIELDS } from '../data/salesforce.ts';
import type { Account } from '../data/salesforce.ts';
import type { Employee } from '../data/workday.ts';
import type { DemoState } from '../types.ts';

const P = '/services/data/v60.0';

/** Validates `fields` and applies it to `account`; returns the fields that were applied. */
function applyFields(account: Account, fields: Record<string, unknown>, employees: Employee[]): Record<string, unknown> {
  onlyKnown(fields, [...UPDATABLE_ACCOUNT_FIELDS, ...READ_ONLY_ACCOUNT_FIELDS], '"fields"');
  for (const key of READ_ONLY_ACCOUNT_FIELDS) {
    if (key in fields && JSON.stringify(fields[key]) !== JSON.stringify(account[key])) throw badRequest(`fields.${key} is read-only`);
  }
  const applied = Object.fromEntries(Object.entries(fields).filter(([k]) => (UPDATABLE_ACCOUNT_FIELDS as readonly string[]).includes(k)));
  if (Object.keys(applied).length === 0) throw badRequest(`"fields" must name at least one field to change (${UPDATABLE_ACCOUNT_FIELDS.join(', ')})`);
  const str = (name: string): string => {
    const v = applied[name];
    if (typeof v !== 'string') throw badRequest(`fields.${name} must be a string`);
    return v;
  };
  const num = (name: string): number => {
    const v = applied[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest(`fields.${name} must be a non-negative number`);
    return v;
  };
  const next = { ...account };
  for (const key of Object.keys(applied)) {
    switch (key) {
      case 'status': {
        const v = str('status');
        if (!(ACCOUNT_STATUSES as readonly string[]).includes(v)) throw badRequest(`fields.status must be one of ${ACCOUNT_STATUSES.join(', ')}; got "${v}"`);
        next.status = v as Account['status'];
        break;
      }
      case 'tier': {
        const v = str('tier');
        if (!(ACCOUNT_TIERS as readonly string[]).includes(v)) throw badRequest(`fields.tier must be one of ${ACCOUNT_TIERS.join(', ')}; got "${v}"`);
        next.tier = v as Account['tier'];
        break;
      }
      case 'ownerId': {
        const v = str('ownerId');
        const owner = employees.find((e) => e.id === v);
        if (!owner) throw badRequest(`fields.ownerId: no employee with id "${v}"`);
        next.owner = { id: owner.id, name: owner.name, email: owner.email };
        break;
      }
      case 'name': {
        const v = str('name');
        if (v.trim() === '') throw badRequest('fields.name must not be empty');
        next.name = v;
        break;
      }
      case 'billingCountry': {
        const v = str('billingCountry');
        if (!/^[A-Z]{2}$/.test(v)) throw badRequest('fields.billingCountry must be a two-letter country code');
        next.billingCountry = v;
        break;
      }
      case 'annualRevenue': next.annualRevenue = num('annualRevenue'); break;
      case 'employeeCount': next.employeeCount = Math.round(num('employeeCount')); break;
      case 'industry': next.industry = str('industry'); break;
      case 'website': next.website = str('website'); break;
      case 'notes': next.notes = str('notes'); break;
    }
  }
  // Applied only once every field has passed its check: a bad request changes nothing.
  Object.assign(account, next, { updatedAt: new Date().toISOString() });
  return applied;
}

export function salesforceService(accounts: Account[], employees: Employee[], state: DemoState): ServiceDefinition {
  const account = (id: string) => {
    const acc = accounts.find((a) => a.id === id);
    if (!acc) throw notFound('account', id);
    return acc;
  };
  return {
    service: 'salesforce',
    host: 'salesforce.com',
    routes: [
      {
        method: 'GET', path: `${P}/accounts`,
        handler: ({ query }) => {
          const q = queryString(query, 'query').trim().toLowerCase();
          const records = accounts.filter((a) => q === '' || [a.id, a.name, a.industry, a.website, a.status].some((f) => f.toLowerCase().includes(q)));
          return { body: { totalSize: records.length, records } };
        },
      },
      { method: 'GET', path: `${P}/accounts/{accountId}`, handler: ({ params }) => ({ body: account(params.accountId) }) },
      {
        method: 'PATCH', path: `${P}/accounts/{accountId}`,
        handler: ({ params, body }) => {
          const acc = account(params.accountId);
          onlyKnown(body, ['fields']);
          const fields = body.fields;
          if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw badRequest('"fields" is required and must be an object');
          const applied = applyFields(acc, fields as Record<string, unknown>, employees);
          state.accountUpdates.push({ accountId: acc.id, fields: applied, time: acc.updatedAt });
          return { body: acc };
        },
      },
    ],
  };
}

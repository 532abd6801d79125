/** Salesforce: customer accounts and their contacts (the contacts are customer PII). */
import { createRng, padId, addDays } from '../prng.ts';
import { FIRST_NAMES, LAST_NAMES, emailLocal } from './names.ts';
import type { Employee } from './workday.ts';

export const ACCOUNT_COUNT = 25;
export const ACCOUNT_STATUSES = ['prospect', 'active', 'at-risk', 'churned', 'inactive'] as const;
export const ACCOUNT_TIERS = ['enterprise', 'mid-market', 'smb'] as const;
/** Account fields a caller may change with `updateAccount`. */
export const UPDATABLE_ACCOUNT_FIELDS = ['name', 'status', 'industry', 'tier', 'website', 'ownerId', 'annualRevenue', 'employeeCount', 'billingCountry', 'notes'] as const;
/** Account properties `updateAccount` accepts only unchanged (so a whole fetched account can be sent back). */
export const READ_ONLY_ACCOUNT_FIELDS = ['id', 'owner', 'contacts', 'createdAt', 'updatedAt'] as const;

/** The account the Drive hand-over note asks to update (story 5), and the status it asks for. */
export const HANDOVER_ACCOUNT_ID = 'acc_007';

export interface Contact {
  id: string;
  name: string;
  title: string;
  email: string;
  phone: string;
  primary: boolean;
}

export interface Account {
  id: string;
  name: string;
  website: string;
  industry: string;
  status: (typeof ACCOUNT_STATUSES)[number];
  tier: (typeof ACCOUNT_TIERS)[number];
  annualRevenue: number;
  employeeCount: number;
  billingCountry: string;
  owner: { id: string; name: string; email: string };
  contacts: Contact[];
  notes: string;
  createdAt: string;
  updatedAt: string;
}

const COMPANIES: ReadonlyArray<readonly [string, string]> = [
  ['Brightwater Logistics', 'Logistics'], ['Cobalt Ridge Bank', 'Financial Services'], ['Dunmore Health', 'Healthcare'],
  ['Evergreen Grocers', 'Retail'], ['Fjordline Shipping', 'Logistics'], ['Granite Peak Insurance', 'Insurance'],
  ['Northwind Traders', 'Wholesale'], ['Halcyon Biotech', 'Life Sciences'], ['Ironbark Construction', 'Construction'],
  ['Juniper Learning', 'Education'], ['Kestrel Aerospace', 'Manufacturing'], ['Lumen Energy', 'Energy'],
  ['Meridian Hotels', 'Hospitality'], ['Nimbus Media', 'Media'], ['Orchard Foods', 'Food & Beverage'],
  ['Pinecrest Realty', 'Real Estate'], ['Quarry Lane Studios', 'Media'], ['Redwood Legal Partners', 'Professional Services'],
  ['Saltmarsh Fisheries', 'Food & Beverage'], ['Tidewater Utilities', 'Utilities'], ['Umbra Security', 'Technology'],
  ['Vantage Robotics', 'Manufacturing'], ['Willowbrook Clinics', 'Healthcare'], ['Xenon Telecom', 'Telecommunications'],
  ['Yellowfin Travel', 'Hospitality'],
];
const CONTACT_TITLES = ['Chief Operating Officer', 'Head of Procurement', 'IT Director', 'VP Finance', 'Operations Manager', 'Accounts Payable Lead'];
const COUNTRIES: ReadonlyArray<readonly [string, string]> = [['US', '+1'], ['US', '+1'], ['US', '+1'], ['GB', '+44'], ['DE', '+49'], ['CA', '+1']];

function slug(name: string): string {
  return name.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '');
}

function phoneFor(prefix: string, rng: ReturnType<typeof createRng>): string {
  if (prefix === '+1') return `+1-${rng.pick(['415', '212', '512', '416'])}-555-${String(rng.int(100, 199)).padStart(4, '0')}`;
  if (prefix === '+44') return `+44 20 7946 ${String(rng.int(0, 999)).padStart(4, '0')}`;
  return `+49 30 1234 ${String(rng.int(1000, 9999))}`;
}

/** Builds the CRM accounts; owners are drawn from the Sales department of `employees`. */
export function createSalesforceData(seed: number, employees: Employee[]): Account[] {
  const rng = createRng(seed);
  const sales = employees.filter((e) => e.department === 'Sales');
  const owners = sales.length > 0 ? sales : employees;
  const taken = new Set(employees.map((e) => e.name));
  let contactSeq = 0;
  return COMPANIES.slice(0, ACCOUNT_COUNT).map(([name, industry], i) => {
    const domain = `${slug(name)}.example`;
    const [country, phonePrefix] = rng.pick(COUNTRIES);
    const contacts: Contact[] = [];
    const contactCount = rng.weighted([[1, 3], [2, 4], [3, 2]] as const);
    while (contacts.length < contactCount) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      if (taken.has(`${first} ${last}`)) continue;
      taken.add(`${first} ${last}`);
      contacts.push({
        id: padId('con_', ++contactSeq, 3),
        name: `${first} ${last}`,
        title: rng.pick(CONTACT_TITLES),
        email: `${emailLocal(first, last)}@${domain}`,
        phone: phoneFor(phonePrefix, rng),
        primary: contacts.length === 0,
      });
    }
    const owner = owners[i % owners.length];
    const tier = rng.weighted([['enterprise', 2], ['mid-market', 3], ['smb', 3]] as const);
    const createdAt = addDays('2022-01-10T00:00:00Z', rng.int(0, 1200), 14);
    const id = padId('acc_', i + 1, 3);
    const status = id === HANDOVER_ACCOUNT_ID ? 'prospect' : rng.weighted([['active', 12], ['prospect', 4], ['at-risk', 3], ['churned', 2], ['inactive', 1]] as const);
    return {
      id,
      name,
      website: `https://www.${domain}`,
      industry,
      status,
      tier,
      annualRevenue: (tier === 'enterprise' ? rng.int(200, 2000) : tier === 'mid-market' ? rng.int(20, 200) : rng.int(1, 20)) * 1_000_000,
      employeeCount: tier === 'enterprise' ? rng.int(2_000, 40_000) : tier === 'mid-market' ? rng.int(200, 2_000) : rng.int(10, 200),
      billingCountry: country,
      owner: { id: owner.id, name: owner.name, email: owner.email },
      contacts,
      notes: status === 'at-risk' ? 'Usage dropped last quarter; renewal conversation scheduled.' : '',
      createdAt,
      updatedAt: addDays(createdAt, rng.int(30, 600), 16),
    };
  });
}

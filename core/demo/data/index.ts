/**
 * The demo company's seeded data, built fresh for each launch so one run's side effects
 * (updated accounts, refunds, posted messages) never leak into the next.
 */
import { createWorkdayData } from './workday.ts';
import { createSalesforceData } from './salesforce.ts';
import { createBillingData } from './billing.ts';
import { createVaultData } from './vault.ts';
import { createDriveData } from './gdrive.ts';
import { createSlackData } from './slack.ts';
import type { WorkdayData } from './workday.ts';
import type { Account } from './salesforce.ts';
import type { BillingData } from './billing.ts';
import type { Secret } from './vault.ts';
import type { DriveDocument } from './gdrive.ts';
import type { SlackData } from './slack.ts';

/** The seed of the embedded demo company. */
export const DEMO_SEED = 20260301;

export interface DemoData {
  workday: WorkdayData;
  accounts: Account[];
  billing: BillingData;
  secrets: Secret[];
  documents: DriveDocument[];
  slack: SlackData;
}

export function createDemoData(seed: number = DEMO_SEED): DemoData {
  const workday = createWorkdayData(seed);
  const accounts = createSalesforceData(seed + 1, workday.employees);
  return {
    workday,
    accounts,
    billing: createBillingData(seed + 2, accounts),
    secrets: createVaultData(seed + 3),
    documents: createDriveData(workday.employees, accounts),
    slack: createSlackData(seed + 4, workday.employees),
  };
}

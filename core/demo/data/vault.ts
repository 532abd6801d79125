/** Vault: the demo company's secrets. Values are generated (never real) but shaped like real ones. */
import { createRng, addDays } from '../prng.ts';

export interface Secret {
  name: string;
  value: string;
  version: number;
  description: string;
  owner: string;
  createdAt: string;
  updatedAt: string;
  rotationDays: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';

export function createVaultData(seed: number): Secret[] {
  const rng = createRng(seed);
  const make = (name: string, description: string, owner: string, value: string, rotationDays: number): Secret => {
    const createdAt = addDays('2024-06-01T00:00:00Z', rng.int(0, 400), 11);
    return { name, value, version: rng.int(1, 9), description, owner, createdAt, updatedAt: addDays(createdAt, rng.int(10, 300), 15), rotationDays };
  };
  return [
    make('stripe-admin-key', 'Stripe secret key with full admin access (refunds, payouts).', 'finance-platform', `sk_live_51${rng.chars(ALNUM, 22)}${rng.chars(ALNUM, 74)}`, 90),
    make('stripe-publishable-key', 'Stripe publishable key used by the checkout page.', 'finance-platform', `pk_live_51${rng.chars(ALNUM, 96)}`, 365),
    make('sendgrid-api-key', 'SendGrid API key for transactional mail.', 'growth', `SG.${rng.chars(ALNUM, 22)}.${rng.chars(ALNUM, 43)}`, 180),
    make('slack-bot-token', 'Slack bot token of the internal assistant.', 'it-ops', `xoxb-${rng.int(1e11, 9e11)}-${rng.int(1e12, 9e12)}-${rng.chars(ALNUM, 24)}`, 365),
    make('salesforce-client-secret', 'OAuth client secret of the Salesforce integration user.', 'revops', rng.chars(HEX, 64).toUpperCase(), 180),
    make('workday-integration-password', 'Password of the Workday integration system user.', 'people-ops', `${rng.chars(ALNUM, 12)}!${rng.chars(ALNUM, 8)}#`, 90),
    make('aws-access-key', 'AWS access key of the data-export job (id:secret).', 'platform', `AKIA${rng.chars(UPPER_NUM, 16)}:${rng.chars(ALNUM + '/+', 40)}`, 90),
    make('postgres-url', 'Connection string of the production database.', 'platform', `postgres://app_rw:${rng.chars(ALNUM, 24)}@db-prod-1.internal.acme.example:5432/flowgate`, 30),
    make('github-deploy-token', 'Fine-grained GitHub token used by the deploy pipeline.', 'platform', `github_pat_11${rng.chars(UPPER_NUM, 20)}_${rng.chars(ALNUM, 59)}`, 90),
  ];
}

import { describe, expect, it } from 'vitest';
import { decideCall, decideChoice, decideEgress, decideFlow, decideOperationApproval, decidePermission, worst } from './decide.ts';
import { loadPolicy, parsePolicy } from './load.ts';
import type { Policy, PolicyDocument } from './types.ts';
import { op } from './test-catalog.ts';

const seed = loadPolicy('seed');
const hr = loadPolicy('hr-assistant');
const policy = (doc: Partial<PolicyDocument>): Policy => parsePolicy(JSON.stringify({ permissions: {}, egress: [], ...doc }), 'test.json');

const postMessage = op('slack.postMessage', 'post');
const createRefund = op('billing.createRefund', 'refund');
const getSecret = op('vault.getSecret', 'read', { labels: ['vault.secret'] });

describe('worst', () => {
  it('orders deny > needs-approval > allow', () => {
    expect(worst()).toBe('allow');
    expect(worst('allow', 'needs-approval')).toBe('needs-approval');
    expect(worst('needs-approval', 'deny', 'allow')).toBe('deny');
  });
});

describe('decidePermission', () => {
  it('allows listed verbs and denies others, with the allowed ones named', () => {
    expect(decidePermission(seed, op('billing.listInvoices', 'read')).verdict).toBe('allow');
    const d = decidePermission(seed, createRefund);
    expect(d).toMatchObject({ verdict: 'deny', code: 'permission' });
    expect(d.message).toContain('billing has no "refund" permission under this policy (allowed: read)');
  });
  it('denies a service not listed (default deny) and one with no verbs', () => {
    expect(decidePermission(seed, getSecret)).toMatchObject({ verdict: 'deny', code: 'permission' });
    expect(decidePermission(seed, getSecret).message).toMatch(/vault is not permitted/);
    expect(decidePermission(seed, op('admin.reset', 'write')).message).toMatch(/allowed: nothing/);
  });
});

describe('decideEgress', () => {
  it('allows exact hosts and *.domain entries', () => {
    expect(decideEgress(seed, createRefund).verdict).toBe('allow');
    expect(decideEgress(seed, postMessage)).toMatchObject({ verdict: 'deny', code: 'egress' });
    const wild = policy({ egress: ['*.example.com', 'localhost'] });
    expect(decideEgress(wild, op('x.a', 'read', { host: 'api.example.com' })).verdict).toBe('allow');
    expect(decideEgress(wild, op('x.a', 'read', { host: 'a.b.example.com' })).verdict).toBe('allow');
    expect(decideEgress(wild, op('x.a', 'read', { host: 'example.com' })).verdict).toBe('deny');
    expect(decideEgress(wild, op('x.a', 'read', { host: 'evilexample.com' })).verdict).toBe('deny');
    expect(decideEgress(wild, op('x.a', 'read', { host: 'LOCALHOST:8080' })).verdict).toBe('allow');
  });
});

describe('decideFlow', () => {
  it('story 1: compensation → slack.public is blocked under hr-assistant', () => {
    const d = decideFlow(hr, 'workday.compensation', ['slack', 'slack.public']);
    expect(d).toMatchObject({ verdict: 'deny', code: 'flow.blocked', label: 'workday.compensation', destination: 'slack.public' });
    expect(d.message).toContain('workday.compensation → slack.public');
  });

  it('story 2: compensation → slack.internal needs approval with the rule\'s reason', () => {
    const d = decideFlow(hr, 'workday.compensation', ['slack', 'slack.internal']);
    expect(d).toMatchObject({ verdict: 'needs-approval', code: 'approval', destination: 'slack.internal' });
    expect(d.approvalReason).toBe('Compensation and review data leave HR only with a human\'s approval');
    expect(d.message).toContain('workday.compensation → slack.internal');
    expect(decideFlow(hr, 'workday.performance', ['slack', 'slack.internal']).verdict).toBe('needs-approval');
    expect(decideFlow(hr, 'workday.employeeData', ['slack', 'slack.internal']).verdict).toBe('allow');
  });

  it('story 3: vault.secret flows nowhere under seed, even to a permitted refund', () => {
    const d = decideFlow(seed, 'vault.secret', ['billing']);
    expect(d).toMatchObject({ verdict: 'deny', code: 'flow.secret', destination: 'billing' });
    expect(d.message).toContain('vault.secret → billing');
    const permitsVault = policy({ permissions: { vault: ['read'], billing: ['read', 'refund'] }, egress: ['vault.internal', 'api.stripe.com'] });
    expect(decideFlow(permitsVault, 'vault.secret', ['billing']).code).toBe('flow.secret');
    const r = decideCall(permitsVault, createRefund, { labels: ['vault.secret'], destinations: ['billing'], args: { amount: 50000 } });
    expect(r.verdict).toBe('deny');
    expect(r.decisions.map((x) => x.code)).toEqual(['flow.secret']);
  });

  it('story 6: salesforce.customerPII → slack.customer-support is denied under seed (named rule, no allowed list: stays home)', () => {
    const d = decideFlow(seed, 'salesforce.customerPII', ['slack', 'slack.customer-support']);
    expect(d).toMatchObject({ verdict: 'deny', code: 'flow.not-allowed', destination: 'slack.customer-support' });
    expect(d.message).toContain('salesforce.customerPII → slack.customer-support');
    expect(decideFlow(seed, 'salesforce.customerPII', ['salesforce']).verdict).toBe('allow');
  });

  it('blocked wins over allowed, and a blocked service covers its targets', () => {
    expect(decideFlow(seed, 'workday.employeeData', ['sendgrid', 'sendgrid.internal'])).toMatchObject({ verdict: 'deny', code: 'flow.blocked', destination: 'sendgrid.internal' });
    const p = policy({ dataFlows: { 'a.b': { allowedDestinations: ['slack'], blockedDestinations: ['slack.public'] } } });
    expect(decideFlow(p, 'a.b', ['slack', 'slack.public']).code).toBe('flow.blocked');
    expect(decideFlow(p, 'a.b', ['slack', 'slack.internal']).verdict).toBe('allow');
  });

  it('allowedDestinations: a matching entry allows, none denies', () => {
    expect(decideFlow(seed, 'workday.employeeData', ['slack', 'slack.internal']).verdict).toBe('allow');
    const d = decideFlow(seed, 'workday.employeeData', ['slack', 'slack.public']);
    expect(d).toMatchObject({ verdict: 'deny', code: 'flow.not-allowed', destination: 'slack.public' });
    expect(d.message).toMatch(/may go only to slack\.internal/);
    // "slack.internal" does not cover the bare service "slack"
    expect(decideFlow(seed, 'workday.employeeData', ['slack']).verdict).toBe('deny');
  });

  it('no rule: a label stays home freely; leaving needs a human (defaultFlow), secrets go nowhere', () => {
    expect(decideFlow(seed, 'gdrive.document', ['gdrive']).verdict).toBe('allow');
    expect(decideFlow(seed, 'gdrive.document', ['salesforce'])).toMatchObject({ verdict: 'needs-approval', code: 'flow.default', destination: 'salesforce' });
    expect(decideFlow(policy({ defaultFlow: 'deny' }), 'gdrive.document', ['salesforce'])).toMatchObject({ verdict: 'deny', code: 'flow.default' });
    expect(decideFlow(policy({ defaultFlow: 'allow' }), 'gdrive.document', ['salesforce']).verdict).toBe('allow');
    expect(decideFlow(policy({ defaultFlow: 'allow' }), 'aws.secret.key', ['slack']).code).toBe('flow.secret');
    expect(decideFlow(seed, 'aws.secret.key', ['slack']).code).toBe('flow.secret');
    const p = policy({ dataFlows: { 'vault.secret': { allowedDestinations: ['billing'] } } });
    expect(decideFlow(p, 'vault.secret', ['billing']).verdict).toBe('allow');
  });

  it('integrity: untrusted data choosing a destination, recipient, amount or record needs a human (or is denied)', () => {
    const sendEmail = op('sendgrid.sendEmail', 'send');
    const p = policy({ integrity: { untrusted: ['gdrive'] } });
    expect(decideChoice(p, 'gdrive.document', sendEmail, 'to', 'destination')).toMatchObject({ verdict: 'needs-approval', code: 'integrity' });
    expect(decideChoice(p, 'workday.employeeData', sendEmail, 'to', 'destination')).toBeUndefined();
    const strict = policy({ integrity: { untrusted: ['gdrive.document'], choices: 'deny' } });
    expect(decideChoice(strict, 'gdrive.document', createRefund, 'amount', 'amount')).toMatchObject({ verdict: 'deny', code: 'integrity' });
    expect(decideChoice(seed, 'gdrive.document', sendEmail, 'to', 'destination')).toBeUndefined();
  });

  it('an empty destination set moves nothing', () => {
    expect(decideFlow(seed, 'vault.secret', []).verdict).toBe('allow');
  });

  it('flow approvals can carry a when on the call arguments', () => {
    const p = policy({
      defaultFlow: 'allow',
      approvals: [{ flow: { from: 'gdrive.document', to: ['sendgrid.external'] }, when: 'attachments > 0', reason: 'files leaving' }],
    });
    expect(decideFlow(p, 'gdrive.document', ['sendgrid', 'sendgrid.external'], { attachments: 0 }).verdict).toBe('allow');
    expect(decideFlow(p, 'gdrive.document', ['sendgrid', 'sendgrid.external'], { attachments: 2 }).verdict).toBe('needs-approval');
    expect(decideFlow(p, 'gdrive.document', ['sendgrid', 'sendgrid.external']).verdict).toBe('needs-approval');
    expect(decideFlow(p, 'gdrive.document', ['sendgrid', 'sendgrid.internal']).verdict).toBe('allow');
  });
});

describe('decideOperationApproval', () => {
  it('createRefund over 1000 needs approval under hr-assistant; 500 does not; unknown does', () => {
    const big = decideOperationApproval(hr, createRefund, { invoiceId: 'inv_0001', amount: 50000, reason: 'x' });
    expect(big).toMatchObject({ verdict: 'needs-approval', code: 'approval', approvalReason: 'Large refunds need a second pair of eyes' });
    expect(big!.message).toContain('amount is 50000');
    expect(decideOperationApproval(hr, createRefund, { amount: 500 })).toBeUndefined();
    const unknown = decideOperationApproval(hr, createRefund, { invoiceId: 'inv_0001' });
    expect(unknown?.verdict).toBe('needs-approval');
    expect(unknown!.message).toContain('amount is not known before running');
    expect(decideOperationApproval(hr, createRefund, undefined)?.verdict).toBe('needs-approval');
    expect(decideOperationApproval(hr, createRefund, { amount: '50000' })?.verdict).toBe('needs-approval');
  });

  it('includes the operation\'s own x-flowgate-approval mark', () => {
    expect(decideOperationApproval(seed, createRefund, { amount: 5 })).toBeUndefined();
    const always = op('billing.createRefund', 'refund', { approval: { kind: 'always' } });
    expect(decideOperationApproval(seed, always, {})?.message).toMatch(/by its API description/);
    const when = op('billing.createRefund', 'refund', { approval: { kind: 'when', when: 'amount > 100' } });
    expect(decideOperationApproval(seed, when, { amount: 5 })).toBeUndefined();
    expect(decideOperationApproval(seed, when, { amount: 500 })?.verdict).toBe('needs-approval');
    const broken = op('billing.createRefund', 'refund', { approval: { kind: 'when', when: 'amount >' } });
    expect(decideOperationApproval(seed, broken, { amount: 5 })?.message).toMatch(/could not be read/);
  });
});

describe('decideCall', () => {
  it('story 1 as one call: deny, naming the flow', () => {
    const r = decideCall(hr, postMessage, { labels: ['workday.employeeData', 'workday.performance', 'workday.compensation'], destinations: ['slack', 'slack.public'] });
    expect(r.verdict).toBe('deny');
    expect(r.decisions.map((d) => `${d.code} ${d.label}`)).toEqual(['flow.blocked workday.performance', 'flow.blocked workday.compensation']);
    expect(r.decisions.every((d) => d.verdict !== 'allow')).toBe(true);
  });

  it('story 2 as one call: needs approval', () => {
    const r = decideCall(hr, postMessage, { labels: ['workday.compensation', 'workday.employeeData'], destinations: ['slack', 'slack.internal'] });
    expect(r.verdict).toBe('needs-approval');
    expect(r.decisions).toHaveLength(1);
  });

  it('story 3: the refund call is denied for permission, egress-free reasons and the secret', () => {
    const read = decideCall(seed, getSecret, { labels: [], destinations: ['vault'], args: { name: 'stripe-admin-key' } });
    expect(read.verdict).toBe('deny');
    expect(read.decisions.map((d) => d.code)).toEqual(['permission', 'egress']);
    const refund = decideCall(seed, createRefund, { labels: ['vault.secret'], destinations: ['billing'], args: { amount: 50000 } });
    expect(refund.verdict).toBe('deny');
    expect(refund.decisions.map((d) => d.code)).toEqual(['permission', 'flow.secret']);
  });

  it('story 6 as one call: deny', () => {
    const seedWithSlack = { ...seed, document: { ...seed.document, egress: [...seed.document.egress, 'slack.com'] } };
    const r = decideCall(seedWithSlack, postMessage, { labels: ['salesforce.account', 'salesforce.customerPII'], destinations: ['slack', 'slack.customer-support'] });
    expect(r.verdict).toBe('deny');
    expect(r.decisions.map((d) => d.code)).toEqual(['flow.default', 'flow.not-allowed']);
  });

  it('allows a clean call with no findings', () => {
    const r = decideCall(seed, op('salesforce.updateAccount', 'write'), { labels: ['salesforce.account'], destinations: ['salesforce'], args: { status: 'active' } });
    expect(r).toEqual({ verdict: 'allow', decisions: [] });
  });

  it('adds operation approvals', () => {
    const p = policy({ permissions: { billing: ['refund'] }, egress: ['api.stripe.com'], approvals: [{ operation: 'billing.createRefund', when: 'amount > 1000' }] });
    expect(decideCall(p, createRefund, { labels: [], destinations: ['billing'], args: { amount: 50000 } }).verdict).toBe('needs-approval');
    expect(decideCall(p, createRefund, { labels: [], destinations: ['billing'], args: { amount: 5 } }).verdict).toBe('allow');
    expect(decideCall(p, createRefund, { labels: [], destinations: ['billing'] }).verdict).toBe('needs-approval');
  });

  describe('unknown destinations (story 10)', () => {
    const alternatives = [['slack', 'slack.public'], ['slack', 'slack.internal'], ['slack', 'slack.customer-support']];
    const hrEgress = hr;

    it('a mix of deny and not-deny becomes unprovenFlows (needs-approval under hr-assistant), never allow', () => {
      const r = decideCall(hrEgress, postMessage, { labels: ['workday.compensation'], destinations: 'unknown', possibleDestinations: alternatives });
      expect(r.verdict).toBe('needs-approval');
      expect(r.decisions).toHaveLength(1);
      expect(r.decisions[0].code).toBe('flow.unknown-destination');
      expect(r.decisions[0].message).toMatch(/^UNPROVEN FLOW: the destination of slack\.postMessage is not known before running/);
      expect(r.decisions[0].message).toContain('slack.public (denied)');
    });

    it('unprovenFlows: deny makes it deny', () => {
      const strict = { ...hr, document: { ...hr.document, unprovenFlows: 'deny' as const } };
      expect(decideCall(strict, postMessage, { labels: ['workday.compensation'], destinations: 'unknown', possibleDestinations: alternatives }).verdict).toBe('deny');
    });

    it('all alternatives deny → deny; all allow → allow; none deny → their approvals', () => {
      const allDeny = decideCall(hr, postMessage, { labels: ['workday.compensation'], destinations: 'unknown', possibleDestinations: [['slack', 'slack.public'], ['slack', 'slack.customer-support']] });
      expect(allDeny.verdict).toBe('deny');
      expect(allDeny.decisions.map((d) => d.destination)).toEqual(['slack.public', 'slack.customer-support']);
      const allAllow = decideCall(hr, postMessage, { labels: ['workday.employeeData'], destinations: 'unknown', possibleDestinations: [['slack', 'slack.public'], ['slack', 'slack.internal']] });
      expect(allAllow).toEqual({ verdict: 'allow', decisions: [] });
      const approvals = decideCall(hr, postMessage, { labels: ['workday.compensation'], destinations: 'unknown', possibleDestinations: [['slack', 'slack.internal']] });
      expect(approvals.verdict).toBe('needs-approval');
      expect(approvals.decisions[0].code).toBe('approval');
    });

    it('no alternatives with labelled data → unprovenFlows; no labels → nothing to prove', () => {
      expect(decideCall(hr, postMessage, { labels: ['workday.compensation'], destinations: 'unknown' }).decisions[0].code).toBe('flow.unknown-destination');
      expect(decideCall(hr, postMessage, { labels: [], destinations: 'unknown' }).verdict).toBe('allow');
    });

    it('the seed (no unprovenFlows) defaults to needs-approval', () => {
      const p = policy({ permissions: { slack: ['post'] }, egress: ['slack.com'], dataFlows: { 'a.b': { allowedDestinations: ['slack.internal'] } } });
      expect(decideCall(p, postMessage, { labels: ['a.b'], destinations: 'unknown', possibleDestinations: alternatives }).verdict).toBe('needs-approval');
    });
  });
});

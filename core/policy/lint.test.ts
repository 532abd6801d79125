import { describe, expect, it } from 'vitest';
import { lintPolicy } from './lint.ts';
import { loadPolicy, parsePolicy } from './load.ts';
import { demoCatalog } from './test-catalog.ts';

const catalog = demoCatalog();

describe('lintPolicy', () => {
  it('story 12: the seed warns that slack has post but slack.com is not in egress', () => {
    const findings = lintPolicy(loadPolicy('seed'), catalog);
    const egress = findings.filter((f) => f.code === 'egress.missing');
    expect(egress).toHaveLength(1);
    expect(egress[0]).toMatchObject({ severity: 'warning', pointer: '/permissions/slack' });
    expect(egress[0].message).toBe('`slack` has `post` but `slack.com` is not in `egress`, so every slack call will be refused');
    // admin: [] permits nothing, so its absence from the catalog is fine
    expect(findings.some((f) => f.pointer.startsWith('/permissions/admin'))).toBe(false);
    // salesforce.customerPII is a field label of the catalog
    expect(findings.filter((f) => f.code === 'label.unknown')).toEqual([]);
  });

  it('hr-assistant lints clean against the demo catalog, and says which label follows defaultFlow', () => {
    const findings = lintPolicy(loadPolicy('hr-assistant'), catalog);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ severity: 'info', code: 'label.default' })]);
    expect(findings[0].message).toContain('`slack.messages` has no rule');
    expect(findings[0].message).toContain('needs a human\'s approval');
  });

  it('finds unknown services, unused verbs and hosts, unknown labels, destinations and operations', () => {
    const p = parsePolicy(JSON.stringify({
      permissions: { slak: ['post'], billing: ['read', 'delete'], admin: [] },
      dataFlows: { 'workday.salary': {}, 'workday.compensation': { allowedDestinations: ['slack.internal', 'slack.privat'], blockedDestinations: ['slack'] } },
      approvals: [{ operation: 'billing.refund' }, { flow: { from: ['workday.bonus'], to: 'chat.public' } }],
      egress: ['api.stripe.com', 'example.org'],
    }), 'p.json');
    const found = lintPolicy(p, catalog).filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.pointer}`);
    expect(found).toEqual([
      'service.unknown /permissions/slak',
      'verb.unused /permissions/billing/1',
      'egress.unused /egress/1',
      'label.unknown /dataFlows/workday.salary',
      'destination.unknown /dataFlows/workday.compensation/allowedDestinations/1',
      'destination.both /dataFlows/workday.compensation/allowedDestinations/0',
      'destination.both /dataFlows/workday.compensation/allowedDestinations/1',
      'approval.unknown-operation /approvals/0/operation',
      'label.unknown /approvals/1/flow/from/0',
      'destination.unknown /approvals/1/flow/to',
    ]);
  });
});

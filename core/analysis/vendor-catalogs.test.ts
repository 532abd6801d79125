/**
 * The vendors' own API descriptions at full size (GitHub 1,223 operations, Stripe 452, Slack
 * 174; from npm at pinned versions, see scripts/vendor-docs.ts): they load, their operations get
 * predictable method names, recursive schemas terminate, a program written against them checks,
 * and a second load comes from the content-hash cache.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendorDocument } from '../../scripts/vendor-docs.ts';
import { analyzeProgram } from './index.ts';
import { lintPolicy } from '../policy/lint.ts';
import { parsePolicy } from '../policy/load.ts';
import { buildCatalog } from '../catalog/build.ts';
import { loadServiceDocument } from '../catalog/load.ts';
import { searchDocs } from '../catalog/search.ts';
import { declarationsFor } from '../catalog/select.ts';
import type { Catalog, Service } from '../catalog/types.ts';
import { CatalogError } from '../catalog/types.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'flowgate-catalog-cache-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const services: Record<string, Service> = {};
let catalog: Catalog;

beforeAll(async () => {
  for (const name of ['github', 'stripe', 'slack'] as const) {
    services[name] = await loadServiceDocument({ file: await vendorDocument(name), options: { name, credentialParams: name === 'slack' ? ['token'] : [] } }, { cacheDir });
  }
  catalog = buildCatalog(Object.values(services));
}, 300_000);

const policy = parsePolicy(JSON.stringify({
  permissions: { github: ['read', 'write'], stripe: ['read', 'write'], slack: ['read', 'write'] },
  egress: ['api.github.com', 'api.stripe.com', 'slack.com'],
}), 'vendor.json');

describe('vendor documents at full size', { timeout: 120_000 }, () => {
  it('maps every operation, with method names made from their operationIds', () => {
    expect(services.github.operations).toHaveLength(1223);
    expect(services.stripe.operations).toHaveLength(452);
    expect(services.slack.operations).toHaveLength(174);
    const names = (s: Service) => new Map(s.operations.map((o) => [o.operationId ?? o.name, o.name]));
    expect(names(services.github).get('meta/root')).toBe('metaRoot');
    expect(names(services.github).get('repos/create-for-authenticated-user')).toBe('reposCreateForAuthenticatedUser');
    expect(names(services.stripe).get('GetCustomersCustomer')).toBe('GetCustomersCustomer');
    expect(names(services.slack).get('chat_postMessage')).toBe('chat_postMessage');
  });

  it('hides Slack\'s token parameter from programs and knows each operation\'s security', () => {
    const post = catalog.operations.get('slack.chat_postMessage');
    expect(post?.params.map((p) => p.name)).toEqual(expect.arrayContaining(['channel', 'text']));
    expect(post?.params.some((p) => p.name === 'token')).toBe(false);
    expect(post?.credentialParams).toEqual([{ name: 'token', in: 'header' }]);
    expect(post?.security).toEqual([['slackAuth']]);
    expect(post?.bodyEncoding).toBe('form');
    expect(services.stripe.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(declarationsFor(catalog, 'await slack.chat_postMessage({ channel: "#a", text: "b" });')).not.toMatch(/\btoken\??:/);
  });

  it('search_docs finds what a program needs among 1,849 operations, in the top 3', () => {
    const top = (query: string) => searchDocs(catalog, query, { limit: 3 }).results.map((r) => r.operation);
    expect(top('list issues of a repository')).toContain('github.issuesListForRepo');
    expect(top('list comments on an issue')).toContain('github.issuesListComments');
    expect(top('create a comment on an issue')).toContain('github.issuesCreateComment');
    expect(top('post a message to a channel')).toContain('slack.chat_postMessage');
    expect(top('retrieve a customer')).toContain('stripe.GetCustomersCustomer');
  });

  it('labels unannotated operations <service>.data and the lint lists them', () => {
    expect(catalog.operations.get('stripe.GetCustomersCustomer')).toMatchObject({ labels: ['stripe.data'], unannotated: true });
    const finding = lintPolicy(policy, catalog).find((f) => f.code === 'operations.unannotated' && f.pointer === '/permissions/github');
    expect(finding?.message).toContain('1223 of 1223 `github` operations have no x-flowgate annotations');
  });

  it('a program against each document checks, with only the declarations it names', () => {
    const source = [
      "const issues = await github.issuesListForRepo({ owner: 'octo', repo: 'hello', state: 'open', per_page: 20 });",
      'const open = issues.filter((i) => !i.pull_request);',
      'const first = open[0];',
      'if (first) {',
      "  await github.issuesCreateComment({ owner: 'octo', repo: 'hello', issue_number: first.number, body: 'Triaged' });",
      '}',
      "const customer = await stripe.GetCustomersCustomer({ customer: 'cus_123' });",
      "const email = 'email' in customer ? customer.email : null;",
      "const history = await slack.conversations_history({ channel: 'C123', limit: 10 });",
      'const lines = (history.messages ?? []).map((m) => m.text);',
      "await slack.chat_postMessage({ channel: '#triage', text: `${open.length} open; ${lines.length} messages; ${email ?? 'no email'}` });",
      'return { open: open.length };',
    ].join('\n');
    const declarations = declarationsFor(catalog, source);
    // GitHub's two operations bring ~20 named types; Stripe's customer, whose expandable fields
    // reach most of its schemas, ~480. Nothing else of the 1,849 operations is declared.
    expect(declarationsFor(catalog, source.split('\n').slice(0, 6).join('\n')).length).toBeLessThan(50_000);
    expect(declarations.length).toBeLessThan(1_000_000);
    expect(declarations).toContain('issuesCreateComment(');
    expect(declarations).not.toContain('reposCreateForAuthenticatedUser(');
    const analysis = analyzeProgram(source, catalog, policy);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.calls.map((c) => `${c.service}.${c.operation}`)).toEqual(['github.issuesListForRepo', 'github.issuesCreateComment', 'stripe.GetCustomersCustomer', 'slack.conversations_history', 'slack.chat_postMessage']);
    // Unannotated documents run on safe defaults: their data leaving its service needs a human
    // (defaultFlow) until the policy says where `<service>.data` may go.
    expect(analysis.verdict).toBe('needs-approval');
    expect(analysis.reasons.map((r) => r.message)).toEqual([
      expect.stringContaining('github.data → slack needs a human\'s approval'),
      expect.stringContaining('stripe.data → slack needs a human\'s approval'),
    ]);
    const named = parsePolicy(JSON.stringify({
      ...policy.document,
      dataFlows: { 'github.data': { allowedDestinations: ['slack'] }, 'stripe.data': { allowedDestinations: ['slack'] } },
    }), 'vendor-named.json');
    expect(analyzeProgram(source, catalog, named).verdict).toBe('allow');
  });

  it('a second load comes from the cache (same services, no parsing)', async () => {
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('catalog-'))).toHaveLength(3);
    const started = performance.now();
    const again = await loadServiceDocument({ file: await vendorDocument('github'), options: { name: 'github', credentialParams: [] } }, { cacheDir });
    const ms = performance.now() - started;
    expect(again.operations.map((o) => o.id)).toEqual(services.github.operations.map((o) => o.id));
    // Parsing takes several seconds; a cached load is a file read and a JSON parse (generous for a loaded machine).
    expect(ms).toBeLessThan(5_000);
  });

  it('a document programs cannot call as written is refused with the pointer to fix (SendGrid: one argument name in two places)', async () => {
    const error = await loadServiceDocument({ file: await vendorDocument('sendgrid'), options: { name: 'sendgrid' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as CatalogError).pointer).toBe('/paths/~1contactdb~1lists~1{list_id}/get/parameters/0');
    expect((error as CatalogError).message).toContain('argument "list_id" is defined twice');
  });
});

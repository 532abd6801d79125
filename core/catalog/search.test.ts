import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from './load.ts';
import { searchDocs } from './search.ts';
import { synthesizeCatalog } from './synthesize.ts';
import { typecheckProgram } from './typecheck.ts';
import { tokenize } from './tokenize.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import type { Catalog } from './types.ts';

let demo: Catalog;
beforeAll(async () => {
  demo = await loadCatalog(demoCatalogFiles(1));
});

describe('tokenize', () => {
  it('splits camelCase and prose, folds plurals, drops stop words', () => {
    expect(tokenize('listPerformanceReviews')).toEqual(['list', 'performance', 'review']);
    expect(tokenize('Post a message to the #general channel')).toEqual(['post', 'message', 'general', 'channel']);
    expect(tokenize('getHTTPStatus entries')).toEqual(['get', 'http', 'status', 'entry']);
  });
});

describe('searchDocs', () => {
  const cases: Array<[string, string]> = [
    ['post a message to a channel', 'slack.postMessage'],
    ['salesforce account update', 'salesforce.updateAccount'],
    ['employee salary', 'workday.getCompensation'],
    ['refund an invoice', 'billing.createRefund'],
    ['send an email', 'sendgrid.sendEmail'],
    ['read a secret', 'vault.getSecret'],
    ['performance reviews', 'workday.listPerformanceReviews'],
  ];
  for (const [query, expected] of cases) {
    it(`ranks ${expected} first for "${query}"`, () => {
      expect(searchDocs(demo, query).results[0]?.operation).toBe(expected);
    });
  }

  it('returns only the matched declarations, grouped per service, and they compile', () => {
    const { results, declarations } = searchDocs(demo, 'post a message to a channel', { limit: 2 });
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ operation: 'slack.postMessage', summary: expect.any(String) });
    expect(declarations).toContain('postMessage(');
    expect(declarations).not.toContain('getCompensation(');
    expect(declarations.match(/declare const slack/g)).toHaveLength(1);
    expect(typecheckProgram(declarations, `await slack.postMessage({ channel: '#eng', text: 'hi' });`)).toEqual([]);
  });

  it('returns nothing for an unrelated query', () => {
    expect(searchDocs(demo, 'zebra xylophone')).toEqual({ results: [], declarations: '' });
  });
});

describe('synthesizeCatalog', () => {
  it('reaches the requested size with unique, varied operations and regenerated declarations', () => {
    const big = synthesizeCatalog(demo, 1000);
    expect(big.operations.size).toBe(1000);
    const names = [...big.operations.keys()];
    expect(new Set(names).size).toBe(1000);
    expect(big.services.map((s) => s.name).sort()).toEqual(demo.services.map((s) => s.name).sort());
    expect(big.declarations.length).toBeGreaterThan(demo.declarations.length * 20);
    expect(synthesizeCatalog(demo, 3).operations.size).toBe(3);
  });

  it('searches 1,000 operations, still finding the original first', () => {
    const big = synthesizeCatalog(demo, 1000);
    const { results, declarations } = searchDocs(big, 'employee salary');
    expect(results[0].operation).toBe('workday.getCompensation');
    expect(results).toHaveLength(5);
    expect(declarations.length).toBeLessThan(big.declarations.length / 50);
  });
});

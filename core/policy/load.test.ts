import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy, parseDuration, parsePolicy, listPolicies } from './load.ts';
import { parseMemory } from './units.ts';
import { DEFAULT_LIMITS, PolicyError } from './types.ts';

const SHARED = ['seed', 'hr-assistant'];

function errorOf(doc: unknown, file = 'hr.json'): PolicyError {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2);
  try {
    parsePolicy(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return err as PolicyError;
  }
  throw new Error('expected a PolicyError');
}

const base = { permissions: { slack: ['read', 'post'] }, egress: ['slack.com'] };

describe('the shared policies', () => {
  // The shared originals live outside the repository; compare when they are there.
  it.skipIf(!existsSync('/work/shared/seed-policy.json'))('are the shared files byte for byte', () => {
    expect(readFileSync(new URL('../../policies/seed.json', import.meta.url), 'utf8'))
      .toBe(readFileSync('/work/shared/seed-policy.json', 'utf8'));
    expect(readFileSync(new URL('../../policies/hr-assistant.json', import.meta.url), 'utf8'))
      .toBe(readFileSync('/work/shared/hr-assistant-policy.json', 'utf8'));
  });

  it('are listed by name', () => {
    for (const name of SHARED) expect(listPolicies()).toContain(name);
    expect(listPolicies()).not.toContain('policy.schema');
  });

  it('loads seed by name with its limits', () => {
    const seed = loadPolicy('seed');
    expect(seed.name).toBe('seed');
    expect(seed.document.permissions.billing).toEqual(['read']);
    expect(seed.limits).toEqual({ maxDurationMs: 30_000, maxMemoryMb: 256, maxApiCalls: 50 });
  });

  it('loads hr-assistant by name and by path', () => {
    const hr = loadPolicy('hr-assistant');
    expect(hr.document.unprovenFlows).toBe('needs-approval');
    expect(hr.document.approvals).toHaveLength(2);
    expect(hr.limits).toEqual({ maxDurationMs: 30_000, maxMemoryMb: 128, maxApiCalls: 100 });
    const byPath = loadPolicy(new URL('../../policies/hr-assistant.json', import.meta.url).pathname);
    expect(byPath.name).toBe('hr-assistant');
    expect(byPath.document).toEqual(hr.document);
  });

  it('says which policies exist when a name is unknown', () => {
    expect(() => loadPolicy('nope')).toThrow(/no policy named "nope"; known policies: .*hr-assistant.*seed/);
    expect(() => loadPolicy('./missing.json')).toThrow(/cannot read the policy: no such file/);
  });
});

describe('parsePolicy errors', () => {
  it('gives line and column for JSON syntax errors', () => {
    const e = errorOf('{\n  "permissions": {},\n  "egress": [],\n}');
    expect(e.pointer).toBe('');
    expect(e.message).toMatch(/^hr\.json: invalid JSON at line 4, column 1: remove the trailing comma/);
    expect([e.line, e.column]).toEqual([4, 1]);
    expect(errorOf('{\n  // hi\n  "egress": []\n}').message).toMatch(/line 2, column 3: JSON has no comments/);
    expect(errorOf('{"egress": [').message).toMatch(/ends too early/);
  });

  it('suggests the nearest field for a typo', () => {
    const e = errorOf({ ...base, egres: [] });
    expect(e.pointer).toBe('/egres');
    expect(e.message).toBe('hr.json at /egres: "egres" is not a policy field; did you mean "egress"?');
    const nested = errorOf({ ...base, dataFlows: { 'workday.compensation': { allowDestinations: ['slack.internal'] } } });
    expect(nested.pointer).toBe('/dataFlows/workday.compensation/allowDestinations');
    expect(nested.message).toMatch(/did you mean "allowedDestinations"\?/);
  });

  it('prefers the typo over the missing field it causes', () => {
    const e = errorOf({ permisions: {}, egress: [] });
    expect(e.pointer).toBe('/permisions');
    expect(e.message).toMatch(/did you mean "permissions"/);
    expect(errorOf({ egress: [] }).message).toBe('hr.json: a policy needs "permissions"');
  });

  it('names wrong types', () => {
    const e = errorOf({ ...base, maxApiCalls: '50' });
    expect(e.pointer).toBe('/maxApiCalls');
    expect(e.message).toMatch(/maxApiCalls must be a whole number, not a string \("50"\)/);
    expect(errorOf({ ...base, auditLog: 'yes' }).pointer).toBe('/auditLog');
    expect(errorOf([]).message).toMatch(/a policy must be an object, not an array/);
  });

  it('rejects bad verb lists', () => {
    const typo = errorOf({ permissions: { slack: ['read', 'pst'] }, egress: [] });
    expect(typo.pointer).toBe('/permissions/slack/1');
    expect(typo.message).toBe('hr.json at /permissions/slack/1: "pst" is not a verb; did you mean "post"?');
    const notList = errorOf({ permissions: { slack: 'post' }, egress: [] });
    expect(notList.pointer).toBe('/permissions/slack');
    expect(notList.message).toMatch(/the verbs of "slack" must be an array, not a string/);
    const notWord = errorOf({ permissions: { slack: ['read', 'Post it'] }, egress: [] });
    expect(notWord.pointer).toBe('/permissions/slack/1');
    expect(notWord.message).toMatch(/"Post it" is not a verb/);
  });

  it('accepts custom verbs that are not typos of known ones', () => {
    expect(parsePolicy(JSON.stringify({ permissions: { github: ['merge', 'approve'] }, egress: [] }), 'x.json').document.permissions.github).toEqual(['merge', 'approve']);
  });

  it('rejects bad durations and memory sizes', () => {
    const e = errorOf({ ...base, maxDuration: '30 sec' });
    expect(e.pointer).toBe('/maxDuration');
    expect(e.message).toMatch(/"30 sec" is not a duration: write e\.g\. "30s", "500ms" or "2m"/);
    expect(errorOf({ ...base, maxDuration: '0s' }).pointer).toBe('/maxDuration');
    expect(errorOf({ ...base, maxDuration: -1 }).message).toMatch(/maxDuration must be more than 0/);
    expect(errorOf({ ...base, maxMemory: '1TB' }).message).toMatch(/"1TB" is not a memory size/);
  });

  it('rejects a bad when condition with its pointer', () => {
    const e = errorOf({ ...base, approvals: [{ operation: 'billing.createRefund', when: 'amount >' }] });
    expect(e.pointer).toBe('/approvals/0/when');
    expect(e.message).toMatch(/"amount >" is not a valid condition: expected a value, found the end of the condition at column 9/);
  });

  it('explains approvals, labels, destinations, hosts and choices', () => {
    expect(errorOf({ ...base, approvals: [{ reason: 'x' }] }).message).toMatch(/approval 0 must name either an "operation" or a "flow", but names neither/);
    expect(errorOf({ ...base, approvals: [{ operation: 'a.b', flow: { from: 'a.b', to: 'c' } }] }).message).toMatch(/not both/);
    expect(errorOf({ ...base, approvals: [{ operation: 'createRefund' }] }).pointer).toBe('/approvals/0/operation');
    const label = errorOf({ ...base, dataFlows: { compensation: {} } });
    expect(label.pointer).toBe('/dataFlows/compensation');
    expect(label.message).toMatch(/"compensation" is not a label/);
    const dest = errorOf({ ...base, dataFlows: { 'a.b': { blockedDestinations: ['slack public'] } } });
    expect(dest.pointer).toBe('/dataFlows/a.b/blockedDestinations/0');
    expect(errorOf({ ...base, egress: ['https://slack.com/'] }).message).toMatch(/at \/egress\/0: "https:\/\/slack.com\/" is not a host/);
    expect(errorOf({ ...base, unprovenFlows: 'allow' }).message).toMatch(/"allow" is not a choice for unprovenFlows; use "needs-approval" or "deny"/);
  });

  it('allows a $schema key', () => {
    expect(parsePolicy(JSON.stringify({ $schema: './policy.schema.json', ...base }), 'x.json').name).toBe('x');
  });
});

describe('limits', () => {
  it('parses durations and memory sizes', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration('2000')).toBe(2000);
    expect(() => parseDuration('2 seconds')).toThrow(/not a duration/);
    expect(parseMemory('256MB')).toBe(256);
    expect(parseMemory('1GB')).toBe(1024);
    expect(parseMemory(64)).toBe(64);
  });

  it('fills missing limits with the defaults', () => {
    expect(parsePolicy(JSON.stringify(base), 'x.json').limits).toEqual(DEFAULT_LIMITS);
    expect(parsePolicy(JSON.stringify({ ...base, maxDuration: 2000, maxMemory: '1GB' }), 'x.json').limits)
      .toEqual({ ...DEFAULT_LIMITS, maxDurationMs: 2000, maxMemoryMb: 1024 });
  });
});

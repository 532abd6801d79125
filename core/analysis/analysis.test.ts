import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadPolicy, parsePolicy } from '../policy/index.ts';
import type { Policy } from '../policy/types.ts';
import { analyzeProgram, createAnalyzer } from './index.ts';
import { sha256Hex } from './sha256.ts';

let catalog: Catalog;
let hr: Policy;

beforeAll(async () => {
  catalog = await loadCatalog(demoCatalogFiles(1));
  hr = loadPolicy('hr-assistant');
});

describe('sha256', () => {
  it('matches node:crypto', () => {
    for (const s of ['', 'abc', 'é€😀', 'x'.repeat(1000), 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64)]) {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
    }
  });
});

describe('analyzeProgram', () => {
  it('gives call sites in source order with ranges in the user\'s source', () => {
    const source = `const emp = await workday.getEmployee({ employeeId: 'emp_001' });\nconst { postMessage } = slack;\n  await postMessage({ channel: '#eng', text: emp.name });\n`;
    const r = analyzeProgram(source, catalog, hr);
    expect(r.calls.map((c) => [c.id, `${c.service}.${c.operation}`, c.line])).toEqual([[1, 'workday.getEmployee', 1], [2, 'slack.postMessage', 3]]);
    const post = r.calls[1];
    expect(source.slice(post.start, post.end)).toBe(`postMessage({ channel: '#eng', text: emp.name })`);
    expect(post.column).toBe(9);
    expect(post.destinations).toEqual(['slack', 'slack.internal']);
    expect(post.constArgs).toEqual({ channel: '#eng' });
    expect(post.labels).toEqual(['workday.employeeData']);
    expect(r.verdict).toBe('allow');
    expect(r.complete).toBe(true);
    expect(r.sourceHash).toBe(createHash('sha256').update(source).digest('hex'));
  });

  it('reads field labels through constant paths, and the whole object carries them all', () => {
    const seed = loadPolicy('seed');
    const base = `const a = await salesforce.getAccount({ accountId: 'acc_001' });\n`;
    const title = analyzeProgram(base + `await sendgrid.sendEmail({ to: 'x@y.example', subject: 's', body: a.contacts[0].title });`, catalog, seed);
    expect(title.calls[1].labels).toEqual(['salesforce.account']);
    const email = analyzeProgram(base + `await sendgrid.sendEmail({ to: 'x@y.example', subject: 's', body: a.contacts[0].email });`, catalog, seed);
    expect(email.calls[1].labels).toEqual(['salesforce.account', 'salesforce.customerPII']);
    const whole = analyzeProgram(base + `await sendgrid.sendEmail({ to: 'x@y.example', subject: 's', body: JSON.stringify(a) });`, catalog, seed);
    expect(whole.calls[1].labels).toContain('salesforce.customerPII');
    expect(whole.verdict).toBe('deny');
  });

  it('says an unknown destination is unknown, never allowed', () => {
    const source = `const pay = await workday.getCompensation({ employeeId: 'emp_001' });\nconst ch = await slack.listChannels();\nawait slack.postMessage({ channel: ch.channels[0].name, text: String(pay.salary) });`;
    const r = analyzeProgram(source, catalog, hr);
    expect(r.calls[2].destinations).toBe('unknown');
    expect(r.verdict).not.toBe('allow');
  });

  it('carries control dependence to a call made under a labelled condition', () => {
    const source = `const pay = await workday.getCompensation({ employeeId: 'emp_001' });\nif (pay.salary > 100000) await slack.postMessage({ channel: '#general', text: 'yes' });`;
    const r = analyzeProgram(source, catalog, hr);
    expect(r.calls[1].labels).toContain('workday.compensation');
    const reason = r.reasons.find((x) => x.code === 'flow.blocked');
    expect(reason?.line).toBe(2);
    expect(reason?.label).toBe('workday.compensation');
    expect(reason?.destination).toBe('slack.public');
  });

  it('refuses constructs outside the subset before the run, naming the construct and its line', () => {
    const source = `const x = 1;\nconst f = eval;\nf('1');\nawait slack.postMessage({ channel: '#eng', text: 'hi' });`;
    const r = analyzeProgram(source, catalog, hr);
    expect(r.verdict).toBe('deny');
    const subset = r.diagnostics.filter((d) => d.code === 'subset');
    expect(subset).toHaveLength(1);
    expect(subset[0]).toMatchObject({ line: 2, blocking: true });
    expect(subset[0].message).toMatch(/`eval` is not available/);
    const getter = analyzeProgram(`const o = { get x() { return 1; } };\nreturn o.x;`, catalog, hr);
    expect(getter.verdict).toBe('deny');
    expect(getter.diagnostics.find((d) => d.code === 'subset')?.message).toMatch(/getter or setter/);
  });

  it('an unproven part (a computed destination) is never allow, and deny when the policy says so', () => {
    const source = `await slack.postMessage({ channel: params.channel, text: 'hi' });\nconst pay = await workday.getCompensation({ employeeId: 'emp_001' });\nawait slack.postMessage({ channel: params.channel, text: String(pay.salary) });`;
    const r = analyzeProgram(source, catalog, hr);
    expect(r.verdict).toBe('needs-approval');
    const strict: Policy = { ...hr, document: { ...hr.document, unprovenFlows: 'deny' } };
    expect(analyzeProgram(source, catalog, strict).verdict).toBe('deny');
  });

  it('treats a computed operation name on a service as an unknown sink', () => {
    const r = analyzeProgram(`const n = ['post', 'Message'].join('') as 'postMessage';\nawait slack[n]({ channel: '#eng', text: 'x' });`, catalog, hr);
    expect(r.complete).toBe(false);
    expect(r.verdict).not.toBe('allow');
  });

  it('flags the reserved __flowgate prefix', () => {
    const r = analyzeProgram(`const __flowgateX = 1;\nreturn __flowgateX;`, catalog, hr);
    expect(r.complete).toBe(false);
  });
});

describe('diagnostics in the API\'s words', () => {
  it('names an unknown operation and suggests the closest', () => {
    const r = analyzeProgram(`await slack.postMsg({ channel: '#eng', text: 'x' });`, catalog, hr);
    expect(r.diagnostics[0].message).toMatch(/^slack has no operation "postMsg"; did you mean postMessage\?/);
    expect(r.diagnostics[0].line).toBe(1);
    expect(r.verdict).toBe('deny');
    expect(r.reasons[0].code).toBe('diagnostic');
  });

  it('names a missing required argument', () => {
    const r = analyzeProgram(`await slack.postMessage({ channel: '#eng' });`, catalog, hr);
    expect(r.diagnostics.map((d) => d.message)).toContain('slack.postMessage needs the argument text (text: string)');
  });

  it('keeps other TypeScript errors as they are, at the user\'s line', () => {
    const r = analyzeProgram(`const x: number = 'a';\nreturn x;`, catalog, hr);
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 7, code: 'TS2322' });
  });

  it('refuses a source that closes the function body early', () => {
    const r = analyzeProgram(`return 1;\n}\nslack.postMessage({ channel: '#general', text: 'x' });\n{`, catalog, hr);
    expect(r.verdict).toBe('deny');
    expect(r.complete).toBe(false);
    expect(r.diagnostics.some((d) => d.code === 'program-form')).toBe(true);
  });
});

describe('createAnalyzer', () => {
  it('re-analyses an edited program and accepts a hash function (how fast: npm run bench)', () => {
    const a = createAnalyzer(catalog, hr, { hash: (s) => `len:${s.length}` });
    const source = `const e = await workday.getEmployee({ employeeId: 'emp_001' });\nreturn e.name;`;
    expect(a.analyze(source).sourceHash).toBe(`len:${source.length}`);
    const r = a.analyze(source + '\n// edited');
    expect(r.calls).toHaveLength(1);
  });
});

describe('hostile input', () => {
  it('denies a program nested too deeply to analyse, and keeps analysing the next one', () => {
    const analyzer = createAnalyzer(catalog, hr);
    const deep = `const x = ${'('.repeat(20_000)}1${')'.repeat(20_000)};`;
    const denied = analyzer.analyze(deep);
    expect(denied.verdict).toBe('deny');
    expect(denied.diagnostics).toMatchObject([{ code: 'too-deep', blocking: true, line: 1 }]);
    const next = analyzer.analyze(`const e = await workday.getEmployee({ employeeId: 'emp_001' });\nreturn e.name;`);
    expect(next.verdict).toBe('allow');
  });
});

describe('data going back into its own service', () => {
  it('is still checked against the policy: a blocked destination inside the same service wins', () => {
    const policy = parsePolicy(JSON.stringify({
      permissions: { slack: ['read', 'post'] },
      egress: ['slack.com'],
      dataFlows: { 'slack.messages': { allowedDestinations: ['slack.internal'], blockedDestinations: ['slack.public'] } },
    }), 'quiet-channels.json', 'quiet-channels');
    const repost = `const h = await slack.listMessages({ channel: '#hr-leads' });\nawait slack.postMessage({ channel: '#general', text: h.messages[0].text });`;
    const r = analyzeProgram(repost, catalog, policy);
    expect(r.verdict).toBe('deny');
    expect(r.reasons).toContainEqual(expect.objectContaining({ code: 'flow.blocked', label: 'slack.messages', destination: 'slack.public', line: 2 }));
    const internal = analyzeProgram(repost.replace('#general', '#eng'), catalog, policy);
    expect(internal.verdict).toBe('allow');
  });
});

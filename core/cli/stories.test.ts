/**
 * The stories of SCENARIOS.md through the command line exactly as outside tests drive it:
 * `bin/flowgate.cjs check|run` as child processes, real demo servers, a temp data directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemo } from '../demo/index.ts';

const root = join(import.meta.dirname, '..', '..');
const stories = join(root, 'core', 'demo', 'stories');
const data = mkdtempSync(join(tmpdir(), 'flowgate-cli-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

function story(n: number): string {
  const file = readdirSync(stories).find((f) => f.startsWith(String(n).padStart(2, '0') + '-'));
  if (!file) throw new Error(`no story ${n}`);
  return join(stories, file);
}

function flowgate(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'flowgate.cjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLOWGATE_DATA: data, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(out: { stdout: string; stderr: string }) {
  try {
    return JSON.parse(out.stdout);
  } catch {
    throw new Error(`not JSON: ${out.stdout}\n${out.stderr}`);
  }
}

function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('flowgate check / run: the stories', () => {
  it('story 1: salaries to #general are denied before running, at the postMessage line', () => {
    const out = flowgate(['check', story(1), '--policy', 'hr-assistant', '--json']);
    expect(out.code, out.stderr).toBe(2);
    const report = json(out);
    expect(report.verdict).toBe('deny');
    const reason = report.reasons.find((r: { label?: string; destination?: string }) => r.label === 'workday.compensation' && r.destination === 'slack.public');
    expect(reason, JSON.stringify(report.reasons)).toBeDefined();
    expect(reason.line).toBe(lineOf(story(1), 'slack.postMessage'));
    expect(reason.message).toContain('workday.compensation → slack.public');
  });

  it('story 2: salaries to #hr-leads need approval, and run once approved', () => {
    const checked = flowgate(['check', story(2), '--policy', 'hr-assistant', '--json']);
    expect(checked.code, checked.stderr).toBe(3);
    const refused = flowgate(['run', story(2), '--policy', 'hr-assistant', '--json']);
    expect(refused.code).toBe(2);
    const ran = flowgate(['run', story(2), '--policy', 'hr-assistant', '--approve', '--json']);
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    const result = json(ran);
    expect(result.status).toBe('ok');
    expect(result.calls.at(-1)).toMatchObject({ service: 'slack', operation: 'postMessage' });
    const log = readFileSync(join(data, 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const approval = log.find((r) => r.traceId === result.traceId && r.kind === 'decision');
    expect(approval?.data).toMatchObject({ decision: 'approve', who: 'cli --approve' });
  });

  it('story 3: the vault key and the refund are denied for every reason at once', () => {
    const report = json(flowgate(['check', story(3), '--policy', 'seed', '--json']));
    expect(report.verdict).toBe('deny');
    const codes = report.reasons.map((r: { code: string }) => r.code);
    expect(codes).toContain('permission');
    expect(report.reasons.some((r: { label?: string }) => r.label === 'vault.secret')).toBe(true);
    const messages = report.reasons.map((r: { message: string }) => r.message).join('\n');
    expect(messages).toMatch(/vault/);
    expect(messages).toMatch(/refund/);
  });

  it('story 4: activating an account is allowed and makes two calls', () => {
    expect(flowgate(['check', story(4), '--policy', 'seed']).code).toBe(0);
    const out = flowgate(['run', story(4), '--policy', 'seed', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const result = json(out);
    expect(result).toMatchObject({ status: 'ok', result: { status: 'active' } });
    expect(result.calls.map((c: { operation: string }) => c.operation)).toEqual(['getAccount', 'updateAccount']);
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    // The API's own request log joins the trace: each traceparent names an api.call span of this run.
    const spans = readFileSync(join(data, 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
      .filter((r) => r.traceId === result.traceId && r.kind === 'api.call').map((r) => r.spanId);
    const served = readFileSync(join(data, 'demo-requests.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
      .filter((r) => r.traceparent?.includes(result.traceId)).map((r) => r.traceparent.split('-')[2]);
    expect(spans).toHaveLength(2);
    expect(served.sort()).toEqual([...spans].sort());
  });

  it('story 5: Drive → Salesforce → Slack is allowed once the policy has the egress', () => {
    const out = flowgate(['run', story(5), '--policy', join(root, 'policies', 'seed-workspace.json'), '--json']);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const under = json(flowgate(['check', story(5), '--policy', 'seed', '--json']));
    expect(under.verdict).not.toBe('allow');
  });

  it('story 6: customer PII to the shared support channel is denied', () => {
    const report = json(flowgate(['check', story(6), '--policy', 'seed', '--json']));
    expect(report.verdict).toBe('deny');
    expect(report.reasons.some((r: { label?: string; destination?: string }) => r.label === 'salesforce.customerPII' && r.destination === 'slack.customer-support')).toBe(true);
  });

  it('story 7: no fetch, require or process; a host outside egress is refused', () => {
    // A program names only its services, console, params and the built-ins Flowgate implements:
    // anything else is refused before it runs, with the line — never a silent fallback.
    for (const [name, text] of [['fetch', `await fetch('https://evil.example/');\n`], ['require', `const cp = require('child_process');\n`], ['process', `return process.env;\n`], ['globalThis', `const g = globalThis as Record<string, unknown>;\nreturn typeof g.fetch;\n`]]) {
      const program = join(data, `${name}.ts`);
      writeFileSync(program, text);
      const checked = json(flowgate(['check', program, '--policy', 'seed', '--json']));
      expect(checked.verdict, name).toBe('deny');
      expect(checked.diagnostics.some((d: { code: string; message: string; line: number }) => d.code === 'subset' && d.message.includes(`\`${name}\` is not available`) && d.line >= 1), name).toBe(true);
      if (name === 'fetch') expect(flowgate(['run', program, '--policy', 'seed', '--approve', '--json']).code).toBe(2);
    }
    const vault = flowgate(['run', story(7), '--policy', 'seed', '--json']);
    expect(vault.code).toBe(2);
    expect(vault.stdout).toMatch(/vault\.internal.*egress|egress.*vault\.internal/);
  }, 180_000);

  it('story 8: a runaway loop is stopped at maxDuration and the trace says why', () => {
    const out = flowgate(['run', story(8), '--policy', 'seed', '--max-duration', '1s', '--json']);
    expect(out.code).toBe(4);
    expect(json(out).error).toMatchObject({ code: 'maxDuration' });
  });

  it('story 9: schema drift is a diagnostic in the API\'s words before running', () => {
    const out = flowgate(['check', story(9), '--policy', 'seed', '--catalog', 'demo-v2', '--json']);
    expect(out.code).toBe(2);
    const text = JSON.stringify(json(out).diagnostics);
    expect(text).toContain('customerId');
    expect(text).toContain('accountId');
    expect(flowgate(['check', story(9), '--policy', 'seed', '--catalog', 'demo']).code).toBe(0);
  });

  it('story 10: a channel built at run time is never allowed, and --approve does not unlock it', () => {
    const checked = flowgate(['check', story(10), '--policy', 'hr-assistant']);
    expect([2, 3]).toContain(checked.code);
    const out = flowgate(['run', story(10), '--policy', 'hr-assistant', '--approve', '--json']);
    expect(out.code).toBe(2);
    expect(json(out).status).toBe('denied');
  });

  it('story 11: contact details never reach the disk in clear', async () => {
    const demo = await startDemo();
    const response = await fetch(`${demo.hostMap['salesforce.com']}/services/data/v60.0/accounts/acc_005`, { headers: demo.credentials['salesforce.com'] });
    const contacts = ((await response.json()) as { contacts: Array<{ name: string; email: string; phone: string }> }).contacts;
    await demo.close();
    const clear = contacts.flatMap((c) => [c.name, c.email, c.phone]);
    expect(clear.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-pii-'));
    try {
      const out = flowgate(['run', story(11), '--policy', 'seed', '--json'], { FLOWGATE_DATA: dir });
      expect(out.code, out.stderr).toBe(0);
      const printed = json(out).console.map((l: { text: string }) => l.text).join('\n');
      expect(printed).toContain('[REDACTED:salesforce.customerPII]');
      const stored = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
      expect(stored).toContain('[REDACTED:salesforce.customerPII]');
      for (const value of clear) expect(stored).not.toContain(value);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('story 12: the seed policy loads and the lint says slack.com is missing from egress', () => {
    const out = flowgate(['check', story(4), '--policy', 'seed', '--json']);
    expect(json(out).lint.map((f: { message: string }) => f.message).join('\n')).toMatch(/slack.*slack\.com.*egress/);
  });

  it('bad input exits 1 with a message naming the problem', () => {
    const notTs = join(data, 'python.ts');
    writeFileSync(notTs, 'def main():\n    print("hi")\n');
    const syntax = flowgate(['run', notTs, '--policy', 'seed']);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/python\.ts:1/);
    const badPolicy = join(data, 'bad-policy.json');
    writeFileSync(badPolicy, JSON.stringify({ permissions: {}, egres: [] }));
    const policy = flowgate(['check', story(4), '--policy', badPolicy]);
    expect(policy.code).toBe(1);
    expect(policy.stderr).toContain('did you mean "egress"');
    expect(flowgate(['check', join(data, 'missing.ts')]).code).toBe(1);
  });

  it('export writes one trace as OTLP/JSON, with a span per API call', () => {
    // A data directory of its own: the runs above left labels at rest on acc_007 (story 5 wrote
    // a Drive document into it), and under seed story 4 moving them needs a human's approval.
    const dir = mkdtempSync(join(tmpdir(), 'flowgate-export-'));
    const env = { FLOWGATE_DATA: dir };
    try {
      const run = json(flowgate(['run', story(4), '--policy', 'seed', '--json'], env));
      expect(run.status).toBe('ok');
      const out = flowgate(['export', '--otlp', run.traceId], env);
      expect(out.code, out.stderr).toBe(0);
      const spans = JSON.parse(out.stdout).resourceSpans.flatMap((r: { scopeSpans: Array<{ spans: unknown[] }> }) => r.scopeSpans.flatMap((s) => s.spans));
      expect(spans.every((s: { traceId: string }) => s.traceId === run.traceId)).toBe(true);
      const names = spans.map((s: { name: string }) => s.name);
      expect(names).toContain('salesforce.getAccount');
      expect(names).toContain('salesforce.updateAccount');
      expect(flowgate(['export', '--otlp', 'not-a-trace'], env).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify finds the log intact after the runs above, and names a tampered record', () => {
    expect(flowgate(['verify']).code).toBe(0);
    const file = join(data, 'audit.log');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1].replace(/"actor":"[^"]*"/, '"actor":"user:mallory"');
    writeFileSync(file, lines.join('\n'));
    const out = flowgate(['verify']);
    expect(out.code).toBe(2);
    expect(out.stdout).toMatch(/record 1\b/);
  });
});

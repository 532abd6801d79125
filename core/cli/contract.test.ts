/**
 * The command line's contract beyond the stories: README.md and the usage text say the same as
 * core/cli/spec.ts, one situation has one exit code in every command, `--json` carries what the
 * text shows, trace ids are accepted as people copy them, and a reader that stops early is not
 * an error. Every command runs as a child process through bin/flowgate.cjs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, auditLogPath } from '../audit/store.ts';
import { Redactor } from '../audit/redact.ts';
import { lintPolicy, loadPolicy } from '../policy/index.ts';
import { resolveCatalog } from '../service/environment.ts';
import { COMMANDS, OPTIONS, readmeTable, usage } from './spec.ts';
import { DEFAULT_SERVED_POLICY } from './common.ts';

const root = join(import.meta.dirname, '..', '..');
const stories = join(root, 'core', 'demo', 'stories');
const work = mkdtempSync(join(tmpdir(), 'flowgate-contract-'));
const data = join(work, 'data');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TEST_MS = 180_000;

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
    timeout: 150_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function program(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

describe('README.md and the usage text say what core/cli/spec.ts says', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('the README\'s table of commands is the one the spec generates (node scripts/cli-readme.ts rewrites it)', () => {
    const section = /<!-- cli:begin -->\n([\s\S]*?)\n<!-- cli:end -->/.exec(readme);
    expect(section, 'README.md needs a <!-- cli:begin --> … <!-- cli:end --> section').not.toBeNull();
    expect(section?.[1]).toBe(readmeTable());
  });

  it('every command and option the README documents is in `flowgate --help`, with its exit codes', () => {
    const out = flowgate(['--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(usage() + '\n');
    const table = /<!-- cli:begin -->\n([\s\S]*?)\n<!-- cli:end -->/.exec(readme)?.[1] ?? '';
    const documented = [...table.matchAll(/`(--[a-z-]+)/g)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThanOrEqual(new Set(OPTIONS.map((o) => o.name)).size);
    for (const option of documented) expect(out.stdout).toContain(option);
    for (const command of COMMANDS) {
      expect(out.stdout).toContain(`flowgate ${command.name}`);
      for (const [, meaning] of command.exits) expect(out.stdout).toContain(meaning);
    }
    // Anywhere in the README, not just the table: an option named in the prose is a real one.
    const NOT_FLOWGATE = new Set(['--prefix', '--loglevel', '--disable-gpu', '--noEmit', '--cli', '--method', '--tool-name', '--tool-args-json']); // npx, npm, Chromium, tsc, the MCP Inspector
    for (const [option] of readme.matchAll(/--[a-zA-Z][a-zA-Z-]*/g)) {
      if (!NOT_FLOWGATE.has(option)) expect(out.stdout, `README mentions ${option}`).toContain(option);
    }
  }, TEST_MS);

  it('`<command> --help` prints that command alone, exit 0; unknown options and commands are bad input', () => {
    const help = flowgate(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^flowgate check <program\.ts> --policy <file\|name>/);
    expect(help.stdout).not.toContain('flowgate run');
    const unknown = flowgate(['check', story(4), '--policy', 'seed', '--polcy', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown option --polcy');
    const command = flowgate(['chek', story(4)]);
    expect(command.code).toBe(1);
    expect(command.stderr).toContain('unknown command "chek"');
    const extra = flowgate(['check', story(4), story(5), '--policy', 'seed']);
    expect(extra.code).toBe(1);
    expect(extra.stderr).toContain('unexpected argument');
  }, TEST_MS);

  it('serve and mcp default to a policy whose lint finds nothing it refuses', async () => {
    const { catalog } = await resolveCatalog('demo');
    const defaults = new Set([DEFAULT_SERVED_POLICY]);
    expect(OPTIONS.filter((o) => o.name === 'policy' && o.fallback?.includes(DEFAULT_SERVED_POLICY)).length).toBeGreaterThan(0);
    // `info` findings describe defaults (what a label without a rule may do); warnings and errors are problems.
    for (const name of defaults) expect(lintPolicy(loadPolicy(name), catalog).filter((f) => f.severity !== 'info')).toEqual([]);
    // The seed itself loads unchanged and its lint still says what it refuses (story 12).
    expect(lintPolicy(loadPolicy('seed'), catalog).map((f) => f.message).join('\n')).toMatch(/slack.*slack\.com.*egress/);
  });
});

describe('one situation, one exit code', () => {
  it('a syntax error or a file that is not TypeScript is bad input in check and run alike, at file:line:col', () => {
    const python = program('python.ts', 'def main():\n    print("hi")\n');
    const braces = program('braces.ts', 'const a = 1;\nif (a) {\n  return a;\n');
    for (const command of ['check', 'run']) {
      for (const file of [python, braces]) {
        const out = flowgate([command, file, '--policy', 'seed', '--json']);
        expect(out.code, `${command} ${file}: ${out.stdout}${out.stderr}`).toBe(1);
        expect(out.stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:\\d+:\\d+: `));
        expect(out.stdout).toBe('');
      }
    }
  }, TEST_MS);

  it('an empty program is a clear error, not an allowed one', () => {
    for (const text of ['', '  \n\n', '// nothing here\n/* at all */\n']) {
      const file = program('empty.ts', text);
      for (const command of ['check', 'run']) {
        const out = flowgate([command, file, '--policy', 'seed']);
        expect(out.code, `${command} ${JSON.stringify(text)}`).toBe(1);
        expect(out.stderr).toContain('the program is empty');
      }
    }
  }, TEST_MS);

  it('a missing --policy is bad input naming the demo policies, in check and run', () => {
    for (const command of ['check', 'run']) {
      const out = flowgate([command, story(4)]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('--policy is required');
      for (const name of ['seed', 'hr-assistant', 'seed-workspace']) expect(out.stderr).toContain(name);
    }
    const unknown = flowgate(['check', story(4), '--policy', 'no-such-policy']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no policy named "no-such-policy"');
  }, TEST_MS);
});

describe('check: the text and --json say the same', () => {
  it('every flow, with its verdict, and the policy\'s lint are in both', () => {
    const text = flowgate(['check', story(2), '--policy', 'hr-assistant']);
    const json = flowgate(['check', story(2), '--policy', 'hr-assistant', '--json']);
    expect(text.code).toBe(3);
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout) as {
      verdict: string;
      flows: Array<{ label: string; destination: string; line: number; verdict: string }>;
      reasons: Array<{ message: string; line: number; verdict: string }>;
      calls: Array<{ service: string; operation: string; line: number }>;
      lint: Array<{ message: string }>;
      policy: string;
      catalog: string;
    };
    expect(report).toMatchObject({ verdict: 'needs-approval', policy: 'hr-assistant', catalog: 'demo' });
    expect(report.flows.length).toBeGreaterThan(0);
    for (const f of report.flows) expect(text.stdout).toContain(`${f.label} → ${f.destination} (line ${f.line}): ${f.verdict}`);
    for (const r of report.reasons) expect(text.stdout).toContain(`:${r.line}:`);
    for (const c of report.calls) expect(text.stdout).toContain(`${c.service}.${c.operation} (line ${c.line})`);
    for (const l of report.lint) expect(text.stdout).toContain(l.message);
    const seed = flowgate(['check', story(4), '--policy', 'seed']);
    expect(seed.stdout).toMatch(/policy seed lint:\n.*slack\.com/);
    expect(seed.stderr).toBe('');
  }, TEST_MS);
});

describe('trace ids and pipes', () => {
  const log = auditLogPath(join(work, 'traces'));
  const shared = 'abcdef01';
  const ids = [`${shared}${'1'.repeat(24)}`, `${shared}${'2'.repeat(24)}`, `${'9'.repeat(8)}${'3'.repeat(24)}`];

  beforeAll(async () => {
    // Three traces, two sharing their first 8 characters; big enough (~0.5 MB of OTLP) to overflow a pipe.
    const audit = AuditLog.open(log, { redactor: new Redactor({ redactLabels: [] }) });
    for (const traceId of ids) {
      for (let i = 0; i < 400; i++) {
        audit.append({ time: new Date().toISOString(), traceId, spanId: (i + 1).toString(16).padStart(16, '0'), kind: 'console', actor: 'agent:test', name: 'console', data: { i, padding: 'x'.repeat(200) } });
      }
    }
    await audit.close();
  });

  it('accepts a trace id in upper case, or its first 8 characters when no other trace starts with them', () => {
    const spansOf = (stdout: string) => (JSON.parse(stdout) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string }> }> }> })
      .resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

    const upper = flowgate(['export', '--otlp', ids[2].toUpperCase(), log]);
    expect(upper.code, upper.stderr).toBe(0);
    expect(spansOf(upper.stdout).every((s) => s.traceId === ids[2])).toBe(true);
    const short = flowgate(['export', '--otlp', ids[2].slice(0, 8), log]);
    expect(short.code, short.stderr).toBe(0);
    expect(spansOf(short.stdout).length).toBe(spansOf(upper.stdout).length);

    const ambiguous = flowgate(['export', '--otlp', shared.toUpperCase(), log]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(`${shared} is ambiguous`);
    for (const id of ids.slice(0, 2)) expect(ambiguous.stderr).toContain(id);
    const longer = flowgate(['export', '--otlp', ids[1].slice(0, 10), log]);
    expect(longer.code, longer.stderr).toBe(0);

    const unknown = flowgate(['export', '--otlp', 'fedcba98', log]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no trace starting with fedcba98');
    const tooShort = flowgate(['export', '--otlp', 'abc', log]);
    expect(tooShort.code).toBe(1);
    expect(tooShort.stderr).toContain('not a trace id');
  }, TEST_MS);

  it('a reader that stops early (export … | head) ends the export quietly, exit 0', async () => {
    const child = spawn(process.execPath, [join(root, 'bin', 'flowgate.cjs'), 'export', '--otlp', 'all', log], { cwd: root, env: { ...process.env, FLOWGATE_DATA: data } });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    // Like `head -c`: take the first chunk, then close the pipe with most of the output unread.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, TEST_MS);
});

describe('the start-up cache', () => {
  it('serves a catalog folder from the cache only while its documents are unchanged', () => {
    const catalog = join(work, 'catalog');
    cpSync(join(root, 'core', 'demo', 'openapi'), catalog, { recursive: true });
    const cache = { FLOWGATE_CACHE: join(work, 'cache') };
    const file = program('refund.ts', `return await billing.listInvoices({ customerId: 'cus_001' });\n`);
    const before = flowgate(['check', file, '--policy', 'seed', '--catalog', catalog, '--json'], cache);
    expect(before.code, before.stderr).toBe(0);
    expect(readdirSync(join(work, 'cache')).some((f) => f.startsWith('catalog-'))).toBe(true);
    // Rename the parameter (billing v2's drift) in place: the next check must see it.
    const billing = join(catalog, 'billing.yaml');
    cpSync(join(root, 'core', 'demo', 'openapi-v2', 'billing.yaml'), billing);
    const after = flowgate(['check', file, '--policy', 'seed', '--catalog', catalog, '--json'], cache);
    expect(after.code).toBe(2);
    expect(JSON.stringify(JSON.parse(after.stdout).diagnostics)).toContain('accountId');
  }, TEST_MS);
});

/**
 * The red team's corpus through the surfaces outside agents use: `bin/flowgate.cjs run --approve
 * --json` as child processes (a representative subset), and `flowgate mcp` driven by the official
 * MCP SDK client, with a reviewer who approves everything that needs approval (over the
 * workbench's own protocol): a cross-run pair over ONE long-lived server, hostile programs after
 * which the same server still answers, and a program that keeps the server's event loop busy.
 *
 * What reached the demo servers is read back from the data directory (audit log ∩ the demo
 * servers' request log). Tests named `[hole: …]` fail because of a hole the red team found.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { analyzeProgram } from '../analysis/index.ts';
import { loadPolicy } from '../policy/index.ts';
import { resolveCatalog } from '../service/environment.ts';
import { connectRemoteCore, type RemoteCore } from '../service/remote-core.ts';
import type { CoreEvent } from '../service/protocol.ts';
import { decideWith, registerReviewer, SoftPasskey } from '../service/testing/soft-passkey.ts';
import { ATTACKS_DIR, demoTruths, PROMISE, observedInDataDir, receivedLogFor, paramsFor, readAttackCase, violations, type AttackCase } from '../service/testing/attacks.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const truths = demoTruths();
const CLI_TIMEOUT = 180_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `bin/flowgate.cjs …` as a child process (asynchronously: the test's own event loop stays free). */
function flowgate(args: string[], data: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'flowgate.cjs'), ...args], { cwd: ROOT, env: { ...process.env, FLOWGATE_DATA: data, FLOWGATE_DEMO_RECEIVED_LOG: receivedLogFor(data) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function parse(out: CliRun): { status: string; traceId: string; error?: { code: string } } {
  try {
    return JSON.parse(out.stdout);
  } catch {
    throw new Error(`not JSON (exit ${out.code}): ${out.stdout.slice(0, 400)}\n${out.stderr.slice(0, 400)}`);
  }
}


/** One of each technique that completes at run time, and some the runtime holds. */
const CLI_SUBSET = [
  'implicit-flow-01-some-early-exit.ts',
  'implicit-call-01-sort-comparator.ts',
  'implicit-call-10-replacer-returns-object.ts',
  'implicit-exception-01-tdz-early-return.ts',
  'implicit-exception-04-string-overflow-in-callback.ts',
  'continuation-01-api-fulfilment.ts',
  'indirect-builtin-04-some-through-call.ts',
  'per-argument-05-document-chooses-channel-tdz.ts',
  'laundering-01-account-notes-same-run.ts',
  'laundering-04-hr-leads-same-run.ts',
  'parser-01-html-open-comment.ts',
  'forged-metadata-01-proto-key.ts',
].map((f) => readAttackCase(f));

// The analysis masks a runtime hole it denies (a denied program never runs): mark only the others.
const demoCatalog = (await resolveCatalog('demo')).catalog;
function marked(c: AttackCase): string {
  return c.hole && analyzeProgram(c.source, demoCatalog, loadPolicy(c.policy)).verdict !== 'deny' ? `[hole: ${c.hole}] ` : '';
}

describe('attacks through the command line (flowgate run --approve --json)', () => {
  const data = mkdtempSync(join(tmpdir(), 'flowgate-cli-attacks-'));
  afterAll(() => {
    rmSync(data, { recursive: true, force: true });
    rmSync(receivedLogFor(data), { force: true });
  });

  for (const c of CLI_SUBSET) {
    it(`${marked(c)}${c.name}: ${PROMISE[c.target]}`, async () => {
      const out = await flowgate(['run', join(ATTACKS_DIR, c.file), '--policy', c.policy, '--approve', '--json'], data);
      const report = parse(out);
      expect([0, 2, 4, 5]).toContain(out.code);
      expect(violations(c, observedInDataDir(data, report.traceId), truths), `exit ${out.code}, status ${report.status}`).toEqual([]);
    }, CLI_TIMEOUT);
  }

  it('benign twins of the subset run (exit 0)', async () => {
    for (const file of ['implicit-flow-01-some-early-exit.benign.ts', 'parser-06-template-nesting.benign.ts', 'per-argument-05-document-chooses-channel-tdz.benign.ts']) {
      const c = readAttackCase(file);
      const out = await flowgate(['run', join(ATTACKS_DIR, file), '--policy', c.policy, '--approve', '--json'], data);
      expect(out.code, `${file}: ${out.stdout.slice(0, 300)} ${out.stderr.slice(0, 300)}`).toBe(0);
      expect(parse(out).status).toBe('ok');
    }
  }, 3 * CLI_TIMEOUT);

  it('host attacks end with a status and run.end on the trace; the next run still works', async () => {
    for (const [file, extra] of [['resource-03-redos.ts', ['--max-duration', '3s']], ['resource-05-console-flood.ts', []], ['resource-02-huge-string.ts', []]] as const) {
      const out = await flowgate(['run', join(ATTACKS_DIR, file), '--policy', 'seed', '--approve', '--json', ...extra], data);
      const report = parse(out);
      expect(['ok', 'denied', 'limit', 'error'], file).toContain(report.status);
      const records = readFileSync(join(data, 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; traceId: string });
      expect(records.filter((r) => r.traceId === report.traceId).at(-1)?.kind, file).toBe('run.end');
    }
    const plain = await flowgate(['run', join(ATTACKS_DIR, 'resource-04-call-storm.benign.ts'), '--policy', 'seed', '--json'], data);
    expect(plain.code, plain.stderr).toBe(0);
  }, 4 * CLI_TIMEOUT);

  const inFlight = readAttackCase('resource-09-calls-in-flight-at-end.ts');
  it(`${inFlight.hole ? `[hole: ${inFlight.hole}] ` : ''}a run that ends with calls in flight: the CLI exits with the run's status, and the trace ends with run.end`, async () => {
    const out = await flowgate(['run', join(ATTACKS_DIR, inFlight.file), '--policy', 'seed', '--approve', '--json'], data);
    const report = parse(out);
    expect(out.stderr).not.toMatch(/audit log is closed|Error:/);
    expect(out.code, out.stderr.slice(0, 400)).toBe(0);
    const records = readFileSync(join(data, 'audit.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; traceId: string });
    expect(records.filter((r) => r.traceId === report.traceId).at(-1)?.kind).toBe('run.end');
  }, CLI_TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// flowgate mcp

interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  data: string;
  reviewer?: RemoteCore;
  close(): Promise<void>;
}

async function startMcp(policy: string, clientName = 'red-team-agent'): Promise<McpSession> {
  const data = mkdtempSync(join(tmpdir(), 'flowgate-mcp-attacks-'));
  const transport = new StdioClientTransport({
    command: NODE,
    args: ['--no-node-snapshot', join(ROOT, 'core', 'cli.ts'), 'mcp', '--policy', policy, '--no-attach'],
    cwd: ROOT,
    env: { FLOWGATE_DATA: data, FLOWGATE_DEMO_RECEIVED_LOG: receivedLogFor(data) },
    stderr: 'pipe',
  });
  const client = new Client({ name: clientName, version: '1.0.0' });
  await client.connect(transport);
  const session: McpSession = {
    client,
    transport,
    data,
    async close() {
      await session.reviewer?.close().catch(() => undefined);
      // A server whose event loop is stuck answers nothing and does not exit on SIGTERM: kill it
      // first, then close the client (which then has nothing to wait for).
      const pid = transport.pid;
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await client.close().catch(() => undefined);
      rmSync(data, { recursive: true, force: true });
      rmSync(receivedLogFor(data), { force: true });
    },
  };
  session.reviewer = await approveEverything(data);
  return session;
}

/**
 * A reviewer on the workbench's protocol who approves every submission that needs approval and
 * every runtime prompt, as soon as the core announces it (event-driven, no polling).
 */
async function approveEverything(data: string): Promise<RemoteCore> {
  const { url, token } = JSON.parse(readFileSync(join(data, 'workbench.json'), 'utf8')) as { url: string; token: string };
  const core = await connectRemoteCore(url, token);
  // A registered reviewer's passkey decides (the protocol refuses anything else).
  const passkey = new SoftPasskey(new URL(url).origin);
  await registerReviewer(core, passkey, 'red team');
  const decided = new Set<string>();
  const answered = new Set<string>();
  const reason = 'approve everything that needs approval';
  const review = async (id: string) => {
    const view = await core.call('submission.get', { id });
    if (view.status === 'pending-review' && view.verdict !== 'deny' && !decided.has(id)) {
      decided.add(id);
      await decideWith(core, passkey, { id, decision: 'approve', reason });
    }
    for (const p of view.prompts) {
      if (answered.has(p.id)) continue;
      answered.add(p.id);
      const { options } = await core.call('prompt.request', { promptId: p.id, approve: true, reason });
      await core.call('prompt.answer', { promptId: p.id, approve: true, reason, assertion: passkey.assert(options) });
    }
  };
  core.onEvent((event: CoreEvent) => {
    if (event.type === 'submission') void review(event.submission.id).catch(() => undefined);
  });
  return core;
}

function textOf(result: unknown): string {
  return ((result as CallToolResult).content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** execute_code with a program of the corpus; the answer is whatever the tool said. */
async function execute(session: McpSession, c: AttackCase | string, timeout = CLI_TIMEOUT, params?: Record<string, unknown>): Promise<{ isError: boolean; text: string }> {
  const code = typeof c === 'string' ? c : c.source;
  const intent = typeof c === 'string' ? 'a plain program' : `red team: ${c.file}`;
  const result = await session.client.callTool({ name: 'execute_code', arguments: { code, intent, ...(params ? { params } : {}) } }, undefined, { timeout, resetTimeoutOnProgress: true });
  return { isError: Boolean(result.isError), text: textOf(result) };
}

const PLAIN = "const a = await salesforce.getAccount({ accountId: 'acc_002' });\nreturn a.id;";

describe('flowgate mcp --policy hr-assistant: one long-lived server', () => {
  let session: McpSession;
  beforeAll(async () => {
    session = await startMcp('hr-assistant');
  }, CLI_TIMEOUT);
  afterAll(async () => session?.close(), CLI_TIMEOUT);

  it('cross-run pair: run A stages the salary in #hr-leads (approved); run B reads it back and cannot post it to #general', async () => {
    const stage = readAttackCase('laundering-05-hr-leads-later-run.stage.ts');
    const a = await execute(session, stage);
    expect(a.isError, a.text).toBe(false);
    const staged = observedInDataDir(session.data).messages.filter((m) => m.channel === '#hr-leads' && m.text.startsWith('LEAK:'));
    expect(staged.length, `run A posted to #hr-leads: ${a.text}`).toBe(1);

    const caseB = readAttackCase('laundering-05-hr-leads-later-run.ts');
    const b = await execute(session, caseB);
    expect(b.isError, b.text).toBe(true);
    expect(violations(caseB, observedInDataDir(session.data), truths)).toEqual([]);
  }, 2 * CLI_TIMEOUT);

  const relay = readAttackCase('laundering-08-through-the-agent.ts');
  it(`${relay.hole ? `[hole: ${relay.hole}] ` : ''}through the agent: run A returns a performance review; run B gets it back as params and cannot post it to #general`, async () => {
    const a = await execute(session, readAttackCase(relay.stage!));
    expect(a.isError, a.text).toBe(false);
    const review = (JSON.parse(a.text) as { result: unknown }).result;
    await execute(session, relay, CLI_TIMEOUT, paramsFor(relay, { result: review }));
    expect(violations(relay, observedInDataDir(session.data), truths)).toEqual([]);
  }, 2 * CLI_TIMEOUT);

  const callList = readAttackCase('laundering-10-through-the-call-list.ts');
  it(`${callList.hole ? `[hole: ${callList.hole}] ` : ''}through the agent: run A's list of calls spells the salary; run B gets it back as params and cannot post it to #general`, async () => {
    const a = await execute(session, readAttackCase(callList.stage!));
    expect(a.isError, a.text).toBe(false);
    const operations = (JSON.parse(a.text) as { calls: Array<{ operation: string }> }).calls.map((c) => c.operation);
    await execute(session, callList, CLI_TIMEOUT, paramsFor(callList, { operations }));
    expect(violations(callList, observedInDataDir(session.data), truths)).toEqual([]);
  }, 2 * CLI_TIMEOUT);

  const markers = readAttackCase('laundering-11-through-console-markers.ts');
  it(`${markers.hole ? `[hole: ${markers.hole}] ` : ''}through the agent: where run A's withheld console lines sit spells the salary; run B gets it back as params and cannot post it to #general`, async () => {
    const a = await execute(session, readAttackCase(markers.stage!));
    expect(a.isError, a.text).toBe(false);
    const lines = (JSON.parse(a.text) as { console: string[] }).console;
    await execute(session, markers, CLI_TIMEOUT, paramsFor(markers, { console: lines }));
    expect(violations(markers, observedInDataDir(session.data), truths)).toEqual([]);
  }, 2 * CLI_TIMEOUT);

  const early = readAttackCase('implicit-flow-01-some-early-exit.ts');
  it(`${marked(early)}the same server after the pair: ${early.name} never gets the salary to #general`, async () => {
    await execute(session, early);
    expect(violations(early, observedInDataDir(session.data), truths)).toEqual([]);
  }, CLI_TIMEOUT);
});

describe('flowgate mcp --policy hr-untrusted: params from an agent whose MCP client calls itself "test"', () => {
  // The agent's identity for labels at rest is the name its MCP client reports; some names
  // ('cli', 'workbench', 'corpus', 'test') count as a person at a terminal.
  let session: McpSession;
  beforeAll(async () => {
    session = await startMcp('hr-untrusted', 'test');
  }, CLI_TIMEOUT);
  afterAll(async () => session?.close(), CLI_TIMEOUT);

  it('the document choosing the channel inside one run is held', async () => {
    const c = readAttackCase('per-argument-02-document-chooses-channel.ts');
    const answer = await execute(session, c);
    expect(answer.isError).toBe(true);
    expect(violations(c, observedInDataDir(session.data), truths)).toEqual([]);
  }, CLI_TIMEOUT);

  const relay = readAttackCase('per-argument-07-agent-relays-channel.ts');
  // Found by the red team (fixed in c269ce7): a client named like a person (cli, workbench) was trusted as one.
  it('an MCP client that names itself like a person is still an agent: run A returns the channel a document names; run B posts there with it as params.channel, and is stopped', async () => {
    const a = await execute(session, readAttackCase(relay.stage!));
    expect(a.isError, a.text).toBe(false);
    const channel = (JSON.parse(a.text) as { result: unknown }).result;
    await execute(session, relay, CLI_TIMEOUT, paramsFor(relay, { result: channel }));
    expect(violations(relay, observedInDataDir(session.data), truths)).toEqual([]);
  }, 2 * CLI_TIMEOUT);
});

describe('flowgate mcp --policy seed: one long-lived server', () => {
  let session: McpSession;
  beforeAll(async () => {
    session = await startMcp('seed');
  }, CLI_TIMEOUT);
  afterAll(async () => session?.close(), CLI_TIMEOUT);

  it('cross-run pair: run A writes a contact\'s e-mail into notes; run B reads them and cannot mail them out', async () => {
    const a = await execute(session, readAttackCase('laundering-02-account-notes-later-run.stage.ts'));
    expect(a.isError, a.text).toBe(false);
    const caseB = readAttackCase('laundering-02-account-notes-later-run.ts');
    await execute(session, caseB);
    expect(violations(caseB, observedInDataDir(session.data), truths)).toEqual([]);
  }, 2 * CLI_TIMEOUT);

  it('hostile programs end with an answer, and the same server still answers search_docs and runs a plain program', async () => {
    for (const file of ['resource-01-deep-nesting.ts', 'resource-02-huge-string.ts', 'resource-04-call-storm.ts', 'resource-05-console-flood.ts', 'resource-07-memory-bomb.ts', 'resource-08-deep-data.ts', 'resource-03-redos.ts']) {
      const answer = await execute(session, readAttackCase(file));
      expect(answer.text.length, file).toBeGreaterThan(0);
    }
    const search = await session.client.callTool({ name: 'search_docs', arguments: { query: 'update a salesforce account' } });
    expect(textOf(search)).toContain('salesforce.updateAccount');
    const plain = await execute(session, PLAIN);
    expect(plain.isError, plain.text).toBe(false);
    expect(JSON.parse(plain.text)).toMatchObject({ status: 'ok', result: 'acc_002' });
  }, 10 * CLI_TIMEOUT);
});

describe('flowgate mcp: a program that keeps the host busy before it runs', () => {
  let session: McpSession;
  beforeAll(async () => {
    session = await startMcp('seed');
  }, CLI_TIMEOUT);
  afterAll(async () => session?.close(), CLI_TIMEOUT);

  // TypeScript's checker is superlinear on a long flat chain, and the analysis runs on the server's
  // event loop: the chain is refused on its parse alone (analysis/nesting.ts) before the checker sees it.
  it('a 128 KB chain of additions is refused as too deep, and the server still answers search_docs', async () => {
    const chain = `const x = 1${' + 1'.repeat(32_000)};\nreturn x;\n`;
    const pending = execute(session, chain, 60_000).catch((error: Error) => ({ isError: true, text: error.message }));
    const started = session.client.callTool({ name: 'search_docs', arguments: { query: 'update a salesforce account' } }, undefined, { timeout: 60_000 });
    const search = await started.then((r) => textOf(r), (error: Error) => `no answer: ${error.message}`);
    expect(search).toContain('salesforce.updateAccount');
    const refused = await pending;
    expect(refused.text).toMatch(/nests more than \d+ levels deep/);
  }, 3 * CLI_TIMEOUT);
});

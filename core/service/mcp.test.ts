/**
 * A real MCP client against `flowgate mcp`: the SDK's Client spawns the server over stdio, lists
 * the tools, searches, and executes stories 4 (allowed), 1 (denied) and 2 (waits for a human,
 * who approves through the core's WebSocket protocol with a passkey). A client that stops
 * waiting gets "waiting for review" and collects the outcome with get_result; a client that asks
 * for an MCP task gets the outcome when the task completes. Also: the configuration snippets of
 * README.md, spawned exactly as written, and the Streamable HTTP endpoint at /mcp.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readStories } from './stories.ts';
import { CoreService } from './core-service.ts';
import { resolveCatalog } from './environment.ts';
import { startWorkbenchServer } from './http-server.ts';
import { openRuntime } from './runtime.ts';
import { connectRemoteCore } from './remote-core.ts';
import { decideWith, registerReviewer, SoftPasskey } from './testing/soft-passkey.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const CLIENT_NAME = 'flowgate-test-agent';
const stories = new Map(readStories().map((s) => [s.id, s]));

interface Session {
  client: Client;
  dataDir: string;
  stderr: () => string;
  close(): Promise<void>;
}

async function connect(command: string, args: string[], dataDir = mkdtempSync(join(tmpdir(), 'flowgate-mcp-'))): Promise<Session> {
  const transport = new StdioClientTransport({ command, args, cwd: ROOT, env: { FLOWGATE_DATA: dataDir }, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: CLIENT_NAME, version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    dataDir,
    stderr: () => stderr,
    async close() {
      await client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const flowgate = (...args: string[]) => connect(NODE, ['--no-node-snapshot', join(ROOT, 'core', 'cli.ts'), 'mcp', ...args]);

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

const reviewers = new Map<string, SoftPasskey>();

/**
 * The core's JSON-RPC protocol over the workbench's WebSocket, as the workbench itself uses it,
 * with a reviewer's passkey registered (once per workbench) to decide with.
 */
async function openRpc(dataDir: string) {
  const { url, token } = JSON.parse(readFileSync(join(dataDir, 'workbench.json'), 'utf8')) as { url: string; token: string };
  const core = await connectRemoteCore(url, token);
  let passkey = reviewers.get(url);
  if (!passkey) {
    passkey = new SoftPasskey(new URL(url).origin);
    await registerReviewer(core, passkey, 'test reviewer');
    reviewers.set(url, passkey);
  }
  const reviewer = passkey;
  return {
    call: core.call,
    token,
    decide: (id: string, decision: 'approve' | 'deny', reason: string) => decideWith(core, reviewer, { id, decision, reason }),
    close: () => void core.close(),
  };
}

describe('flowgate mcp (seed policy)', () => {
  let session: Session;
  beforeAll(async () => {
    session = await flowgate();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('offers search_docs, execute_code (a task where the client asks for one) and get_result, with short descriptions', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['execute_code', 'get_result', 'search_docs']);
    for (const tool of tools) expect(tool.description?.length).toBeLessThan(400);
    const execute = tools.find((t) => t.name === 'execute_code');
    expect(Object.keys(execute?.inputSchema.properties ?? {}).sort()).toEqual(['code', 'intent', 'params']);
  });

  it('search_docs returns the declarations of the best matches, ranked', async () => {
    const result = await session.client.callTool({ name: 'search_docs', arguments: { query: 'update a salesforce account', limit: 3 } });
    const text = textOf(result);
    expect(result.isError).toBeFalsy();
    expect(text).toMatch(/^\/\/ best matches: salesforce\.updateAccount/);
    expect(text).toContain('updateAccount(args:');
    expect(text).toContain('declare const salesforce');
    expect(text).not.toContain('declare const workday');
  });

  it('search_docs says what exists when nothing matches', async () => {
    const text = textOf(await session.client.callTool({ name: 'search_docs', arguments: { query: 'zzqx' } }));
    expect(text).toContain('No operation matches');
    expect(text).toContain('salesforce');
  });

  it('execute_code runs an allowed program (story 4) and returns its result', async () => {
    const story = stories.get(4)!;
    const result = await session.client.callTool({ name: 'execute_code', arguments: { code: story.source, intent: story.intent } });
    expect(result.isError, textOf(result)).toBeFalsy();
    const body = JSON.parse(textOf(result)) as { status: string; result: { id: string; status: string }; calls: Array<{ operation: string; decision: string }>; traceId: string; console: string[] };
    expect(body.status).toBe('ok');
    expect(body.result).toEqual({ id: 'acc_007', status: 'active' });
    expect(body.calls.map((c) => c.operation)).toEqual(['salesforce.getAccount', 'salesforce.updateAccount']);
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('execute_code reports a program that throws as an error with its message', async () => {
    const result = await session.client.callTool({ name: 'execute_code', arguments: { code: "throw new Error('boom');", intent: 'fail on purpose' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('boom');
  });

  it('prints the workbench address on stderr only', () => {
    expect(session.stderr()).toContain('flowgate mcp: policy seed');
    expect(session.stderr()).toMatch(/workbench: http:\/\/localhost:\d+/);
  });
});

describe('flowgate mcp --policy hr-assistant', () => {
  let session: Session;
  beforeAll(async () => {
    session = await flowgate('--policy', 'hr-assistant');
  });
  afterAll(async () => {
    await session?.close();
  });

  it('execute_code refuses a denied program (story 1) with reasons and line numbers', async () => {
    const story = stories.get(1)!;
    const result = await session.client.callTool({ name: 'execute_code', arguments: { code: story.source, intent: story.intent } });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    const postLine = story.source.split('\n').findIndex((l) => l.includes('slack.postMessage')) + 1;
    expect(text).toContain('Denied by policy "hr-assistant"');
    expect(text).toContain('workday.compensation → slack.public');
    expect(text).toContain(`line ${postLine},`);
  });

  it('execute_code waits for a human (story 2), who approves through the core protocol; the result comes back', async () => {
    const story = stories.get(2)!;
    const progress: string[] = [];
    let firstProgress!: () => void;
    const waiting = new Promise<void>((resolve) => (firstProgress = resolve));
    const call = session.client.callTool({ name: 'execute_code', arguments: { code: story.source, intent: story.intent } }, undefined, {
      onprogress: (p) => {
        progress.push(p.message ?? '');
        firstProgress();
      },
      resetTimeoutOnProgress: true,
    });
    await waiting;
    expect(progress[0]).toMatch(/^waiting for a human to approve in the Flowgate workbench: http:\/\/localhost:\d+/);
    const rpc = await openRpc(session.dataDir);
    try {
      expect(progress[0]).not.toContain(rpc.token);
      const list = await rpc.call('submissions.list', {});
      const pending = list.find((s) => s.status === 'pending-review' && s.intent === story.intent);
      expect(pending?.agent).toBe(CLIENT_NAME);
      expect(pending?.verdict).toBe('needs-approval');
      await rpc.decide(pending!.id, 'approve', 'HR leads may see Q3 pay');
    } finally {
      rpc.close();
    }
    const result = await call;
    expect(result.isError, textOf(result)).toBeFalsy();
    const body = JSON.parse(textOf(result)) as { status: string; result: { posted: unknown } };
    // The post went to #hr-leads; the count of posted lines is HR data the policy does not let go
    // back to the agent (its rules list where it may go, and the agent is not there): withheld.
    expect(body).toMatchObject({ status: 'ok', result: expect.stringMatching(/^\[WITHHELD:workday\.(employeeData|performance)\]$/) });
  });

  it('execute_code returns the reviewer\'s reason when a human denies', async () => {
    const story = stories.get(2)!;
    let firstProgress!: () => void;
    const waiting = new Promise<void>((resolve) => (firstProgress = resolve));
    const intent = 'the same program, denied this time';
    const call = session.client.callTool({ name: 'execute_code', arguments: { code: story.source, intent } }, undefined, { onprogress: () => firstProgress(), resetTimeoutOnProgress: true });
    await waiting;
    const rpc = await openRpc(session.dataDir);
    try {
      const pending = (await rpc.call('submissions.list', {})).find((s) => s.status === 'pending-review' && s.intent === intent)!;
      await rpc.decide(pending.id, 'deny', 'not before the review meeting');
    } finally {
      rpc.close();
    }
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('denied by test reviewer: not before the review meeting');
  });
});

describe('a client that stops waiting', () => {
  let session: Session;
  beforeAll(async () => {
    session = await flowgate('--policy', 'hr-assistant', '--approval-timeout', '1s');
  });
  afterAll(async () => {
    await session?.close();
  });

  it('gets "waiting for review" with the submission and the workbench, and collects the outcome later with get_result', async () => {
    const story = stories.get(2)!;
    const progress: string[] = [];
    const first = await session.client.callTool({ name: 'execute_code', arguments: { code: story.source, intent: 'collected later' } }, undefined, {
      onprogress: (p) => progress.push(p.message ?? ''),
    });
    expect(progress[0]).toMatch(/^waiting for a human to approve in the Flowgate workbench/);
    expect(first.isError).toBeFalsy();
    const pending = first.structuredContent as { status: string; submissionId: string; workbench: string };
    expect(pending).toMatchObject({ status: 'pending-review', submissionId: expect.any(String), workbench: expect.stringMatching(/^http:\/\/localhost:\d+\/$/) });
    expect(textOf(first)).toContain(`Waiting for review: submission ${pending.submissionId}`);
    expect(textOf(first)).toContain('workday.compensation → slack.internal');
    expect(textOf(first)).toContain('get_result');

    // Still waiting: get_result says so again, and nothing was denied.
    const again = await session.client.callTool({ name: 'get_result', arguments: { submissionId: pending.submissionId } });
    expect(again.structuredContent).toMatchObject({ status: 'pending-review' });
    const rpc = await openRpc(session.dataDir);
    try {
      expect(textOf(first)).not.toContain(rpc.token);
      expect((await rpc.call('submission.get', { id: pending.submissionId })).status).toBe('pending-review');
      await rpc.decide(pending.submissionId, 'approve', 'calibration meeting');
    } finally {
      rpc.close();
    }
    const outcome = await session.client.callTool({ name: 'get_result', arguments: { submissionId: pending.submissionId } });
    expect(JSON.parse(textOf(outcome))).toMatchObject({ status: 'ok', result: expect.stringMatching(/^\[WITHHELD:/) });
  });

  it('a cancelled call leaves the submission waiting for a human, never denied', async () => {
    const story = stories.get(2)!;
    const controller = new AbortController();
    const call = session.client.callTool({ name: 'execute_code', arguments: { code: story.source, intent: 'cancelled by the client' } }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort('the agent gave up'),
    });
    await expect(call).rejects.toThrow();
    const rpc = await openRpc(session.dataDir);
    try {
      const list = await rpc.call('submissions.list', {});
      expect(list.find((s) => s.intent === 'cancelled by the client')).toMatchObject({ status: 'pending-review' });
    } finally {
      rpc.close();
    }
  });

  it('a client that asks for an MCP task gets the outcome when the reviewer has decided and the program ran', async () => {
    const story = stories.get(2)!;
    const stream = session.client.experimental.tasks.callToolStream({ name: 'execute_code', arguments: { code: story.source, intent: 'as a task' } }, undefined, { task: {} });
    let taskId = '';
    let result: CallToolResult | undefined;
    const rpc = await openRpc(session.dataDir);
    try {
      for await (const message of stream) {
        if (message.type === 'taskCreated') {
          taskId = message.task.taskId;
          // The task outlasts the 1 s the plain call waits: decide only after that.
          await new Promise<void>((resolve) => {
            const timer = setInterval(() => {
              void session.client.experimental.tasks.getTask(taskId).then((task) => {
                if (task.statusMessage?.includes('waiting for a human')) {
                  clearInterval(timer);
                  resolve();
                }
              });
            }, 200);
          });
          const pending = (await rpc.call('submissions.list', {})).find((s) => s.intent === 'as a task' && s.status === 'pending-review');
          await rpc.decide(pending!.id, 'approve', 'as a task');
        }
        if (message.type === 'result') result = message.result as CallToolResult;
        if (message.type === 'error') throw message.error;
      }
    } finally {
      rpc.close();
    }
    expect(taskId).not.toBe('');
    expect(JSON.parse(textOf(result!))).toMatchObject({ status: 'ok', result: expect.stringMatching(/^\[WITHHELD:/) });
  });
});

/** `claude mcp add NAME -- COMMAND ARGS…` lines and `mcpServers` JSON blocks of README.md. */
function documentedServers(): Array<{ where: string; command: string; args: string[] }> {
  const doc = readFileSync(join(ROOT, 'README.md'), 'utf8').replaceAll('/path/to/flowgate', ROOT);
  const out: Array<{ where: string; command: string; args: string[] }> = [];
  for (const m of doc.matchAll(/claude mcp add flowgate -- ([^`\n]+)/g)) {
    const [command, ...args] = m[1].trim().split(/\s+/);
    out.push({ where: `claude mcp add: ${m[1].trim()}`, command, args });
  }
  for (const m of doc.matchAll(/```json\n([\s\S]*?)```/g)) {
    const config = JSON.parse(m[1]) as { mcpServers: Record<string, { command: string; args: string[] }> };
    const server = config.mcpServers.flowgate;
    out.push({ where: `json: ${server.command} ${server.args.join(' ')}`, command: server.command, args: server.args });
  }
  return out;
}

describe('README.md configurations work exactly as written', () => {
  const servers = documentedServers();
  it('documents Claude Code, Claude Desktop and Cursor', () => {
    expect(servers.filter((s) => s.where.startsWith('claude mcp add')).length).toBeGreaterThanOrEqual(1);
    expect(servers.filter((s) => s.where.startsWith('json')).length).toBe(2);
  });
  const unique = [...new Map(servers.map((s) => [JSON.stringify([s.command, s.args]), s])).values()];
  for (const server of unique) {
    it(`spawns: ${server.where}`, async () => {
      const session = await connect(server.command, server.args);
      try {
        const { tools } = await session.client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(['execute_code', 'get_result', 'search_docs']);
      } finally {
        await session.close();
      }
    });
  }
});

describe('Streamable HTTP at /mcp', () => {
  let session: Session;
  beforeAll(async () => {
    session = await flowgate();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('refuses a request without the token (401) and serves the two tools with it', async () => {
    const { url, token } = JSON.parse(readFileSync(join(session.dataDir, 'workbench.json'), 'utf8')) as { url: string; token: string };
    const endpoint = new URL('/mcp', new URL(url).origin);
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const refused = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(init) });
    expect(refused.status).toBe(401);

    const client = new Client({ name: 'http-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['execute_code', 'get_result', 'search_docs']);
      const story = stories.get(4)!;
      const result = await client.callTool({ name: 'execute_code', arguments: { code: story.source, intent: 'over http' } });
      expect(JSON.parse(textOf(result))).toMatchObject({ status: 'ok', result: { id: 'acc_007', status: 'active' } });
    } finally {
      await client.close();
    }
  });
});

describe('flowgate mcp beside a running workbench', () => {
  it('attaches to it: what the agent submits waits in the inbox the reviewer has open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flowgate-attach-'));
    const runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir });
    const core = new CoreService(runtime);
    const workbench = await startWorkbenchServer({ core, dataDir });
    const session = await connect(NODE, ['--no-node-snapshot', join(ROOT, 'core', 'cli.ts'), 'mcp', '--policy', 'hr-assistant'], dataDir);
    try {
      expect(session.stderr()).toContain(`attached to the workbench at ${workbench.origin}`);
      // Allowed: runs at once, in the workbench's core.
      // (The employee's data itself may not go back to the agent under hr-assistant: it is withheld.)
      const allowed = await session.client.callTool({ name: 'execute_code', arguments: { code: "const e = await workday.getEmployee({ employeeId: 'emp_004' });\nreturn { id: e.id, checked: 'emp_004' };", intent: 'look up emp_004' } });
      expect(JSON.parse(textOf(allowed))).toMatchObject({ status: 'ok', result: "[WITHHELD:workday.employeeData]" });
      expect(core.submissions.list().map((e) => [e.state.agent, e.state.status])).toEqual([[CLIENT_NAME, 'finished']]);
      // Needs approval: waits in this inbox until the reviewer here approves.
      const story = stories.get(2)!;
      const waiting = new Promise<string>((resolve) => {
        core.onEvent((event) => {
          if (event.type === 'submission' && event.submission.status === 'pending-review') resolve(event.submission.id);
        });
      });
      const call = session.client.callTool({ name: 'execute_code', arguments: { code: story.source, intent: story.intent } }, undefined, { resetTimeoutOnProgress: true });
      const id = await waiting;
      const rpc = await openRpc(dataDir);
      await rpc.decide(id, 'approve', 'calibration').finally(() => rpc.close());
      expect(JSON.parse(textOf(await call))).toMatchObject({ status: 'ok', result: expect.stringMatching(/^\[WITHHELD:/) });
    } finally {
      await session.client.close();
      await workbench.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

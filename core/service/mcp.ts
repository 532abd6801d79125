/**
 * The MCP server agents use as their only tool server: two small tools over the same
 * `CoreService` the workbench talks to, so a program an agent submits sits in the same inbox,
 * is decided by the same human and leaves the same trace.
 *
 * - `search_docs` returns only the declarations of the operations that match the query, so the
 *   agent loads what it needs instead of every operation up front.
 * - `execute_code` submits a program under the policy the server was started with (the agent
 *   cannot choose its own policy) and answers with the run's result, or with the reasons it was
 *   denied, each with its line, so the agent can fix the program.
 *
 * Invariant: nothing sent to the agent carries the workbench's token; an agent must not be able
 * to approve its own program through the channel it submitted it on.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import type { RunResult } from '../sandbox/types.ts';
import type { CoreClient } from './remote-core.ts';
import type { PolicyRef, SubmissionSummary, SubmissionView } from './protocol.ts';

/** Options of {@link createMcpServer}, with their defaults. */
export interface McpOptions {
  /** The policy every submission is checked and run under. Default `{ name: 'seed' }`. */
  policy?: PolicyRef;
  /** How long `execute_code` waits for a human decision before the submission is denied. Default 10 minutes. */
  approvalTimeoutMs?: number;
  /** How often a waiting `execute_code` sends a progress notification. Default 3 s. */
  progressIntervalMs?: number;
  /** The workbench's address (without its token), named in progress messages. */
  workbenchUrl?: string | (() => string | undefined);
  /** Default result count of `search_docs`. Default 3: the right operation was in the top 3 for every workflow query of the token benchmark, at every catalog size. */
  searchLimit?: number;
}

export const MCP_DEFAULTS = {
  policy: { name: 'seed' } as PolicyRef,
  approvalTimeoutMs: 10 * 60_000,
  progressIntervalMs: 3_000,
  searchLimit: 3,
} as const;

export const SERVER_INFO = { name: 'flowgate', version: '0.1.0' } as const;

const SEARCH_DESCRIPTION =
  'Find the company APIs you can call. Returns the TypeScript declarations of the best-matching operations, best first. ' +
  'Use them in execute_code: a program is the body of an async function calling `await service.operation({...})` and `return`ing its result.';

const EXECUTE_DESCRIPTION =
  'Run a TypeScript program (the body of an async function: `await service.operation({...})`, `return` the result) under the company policy. ' +
  'If a human must approve it, the call waits. Returns the result, or why it was denied with line numbers.';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * An MCP server with the tools `search_docs` and `execute_code` over `core`. Connect it to one
 * transport (stdio, or one Streamable HTTP session).
 */
export function createMcpServer(core: CoreClient, options: McpOptions = {}): McpServer {
  let services: Promise<string[]> | undefined;
  const server = new McpServer(SERVER_INFO, {
    instructions: 'Flowgate runs TypeScript programs against the company APIs under a policy. Call search_docs to find operations, then execute_code with a short program.',
  });

  server.registerTool(
    'search_docs',
    {
      description: SEARCH_DESCRIPTION,
      inputSchema: {
        query: z.string().min(1).describe('what you want to do, e.g. "update a salesforce account"'),
        limit: z.number().int().min(1).max(25).optional().describe('how many operations (default 3)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, limit }) => {
      const found = await core.call('catalog.search', { query, limit: limit ?? options.searchLimit ?? MCP_DEFAULTS.searchLimit });
      if (found.results.length) return text(searchText(found));
      services ??= core.call('catalog.get', {}).then((c) => c.services.map((x) => x.name));
      return text(noMatchText(query, await services));
    },
  );

  server.registerTool(
    'execute_code',
    {
      description: EXECUTE_DESCRIPTION,
      inputSchema: {
        code: z.string().min(1).describe('the program'),
        intent: z.string().min(1).describe('one sentence: what the program does and why (the reviewer reads it)'),
        params: z.record(z.string(), z.unknown()).optional().describe('the task\'s own inputs (from the user, not from data you read): the program reads them as `params.name`; Flowgate trusts them to choose recipients and channels'),
      },
      annotations: { destructiveHint: true, openWorldHint: true },
    },
    async ({ code, intent, params }, extra) => {
      const agent = server.server.getClientVersion()?.name || 'mcp-client';
      try {
        return await executeCode(core, { code, intent, agent, params }, options, extra);
      } catch (error) {
        return failure(error instanceof Error ? error.message : String(error));
      }
    },
  );

  return server;
}

/** A Node HTTP handler for MCP's Streamable HTTP transport, and a way to end its sessions. */
export interface McpHttpHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Closes every open session (on shutdown). */
  close(): Promise<void>;
}

/** Most MCP sessions open at once over HTTP; a new one beyond this is refused (503). */
export const MAX_HTTP_SESSIONS = 32;

/**
 * MCP over Streamable HTTP for `flowgate serve` to mount at `/mcp` (the caller checks the
 * workbench token first). Session-based, as the SDK recommends for servers that keep state: the
 * session remembers the client's name (the submissions' agent) and carries progress
 * notifications while `execute_code` waits for a human. One `McpServer` per session.
 */
export function mcpHttpHandler(core: CoreClient, options: McpOptions = {}): McpHttpHandler {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId);
      if (!transport) return rpcError(res, 404, -32001, 'Session not found: start a new session with initialize');
      return transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return rpcError(res, 400, -32000, 'Bad request: no Mcp-Session-Id; start a session with an initialize POST');
    if (sessions.size >= MAX_HTTP_SESSIONS) return rpcError(res, 503, -32000, `Too many MCP sessions (${MAX_HTTP_SESSIONS}); close one first`);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const server = createMcpServer(core, options);
    await server.connect(transport);
    await transport.handleRequest(req, res);
    // Not an initialize request: the transport has answered 400 and no session exists.
    if (!transport.sessionId) await server.close();
  };
  return Object.assign(handler, {
    async close(): Promise<void> {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((t) => t.close().catch(() => undefined)));
    },
  });
}

function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * `search_docs`' answer: a ranked list, then the matched operations' declarations only (what
 * the agent pays for in context, and what the token benchmark counts).
 */
/** A `search_docs` answer: the best matches first, then only their declarations. */
export function searchText(found: { results: Array<{ operation: string }>; declarations: string }): string {
  return `// best matches: ${found.results.map((r) => r.operation).join(', ')}\n${found.declarations.trim()}`;
}

export function noMatchText(query: string, services: string[]): string {
  return `No operation matches "${query}". Services: ${services.join(', ')}. Try a service name, a verb (get, list, update, post, send) or a field name.`;
}

interface ExecuteInput {
  code: string;
  intent: string;
  agent: string;
  params?: Record<string, unknown>;
}

async function executeCode(core: CoreClient, input: ExecuteInput, options: McpOptions, extra: Extra): Promise<CallToolResult> {
  const policy = options.policy ?? MCP_DEFAULTS.policy;
  const submitted = await core.call('submit', { source: input.code, intent: input.intent, agent: input.agent, task: input.intent, policy, ...(input.params ? { params: input.params } : {}) });
  if (submitted.verdict === 'deny') return failure(denialText(submitted));

  let status = submitted.status;
  if (status === 'pending-review') {
    const decided = await waitForDecision(core, submitted, options, extra);
    status = decided.status;
    // `running` / `finished`: approved, and a human already started it from the workbench.
    if (status === 'denied' || status === 'pending-review') {
      const view = await core.call('submission.get', { id: submitted.id });
      const decision = view.decision;
      const why = decision ? `denied by ${decision.who}: ${decision.reason}` : `not approved (${status})`;
      return failure(`Submission ${submitted.id} was ${why}. The program did not run.`);
    }
  }

  const stopProgress = startProgress(core, submitted.id, options, extra, () => `running (submission ${submitted.id})`);
  let run: RunResult;
  try {
    run = await runOrJoin(core, submitted.id);
  } finally {
    stopProgress();
  }
  // Compact: every byte of the answer is context the agent pays for.
  const body = JSON.stringify(runView(run));
  if (run.status === 'ok') return text(body);
  const where = run.error?.line ? ` (line ${run.error.line})` : '';
  return failure(`${run.status === 'limit' ? 'Stopped by a limit' : run.status === 'denied' ? 'Blocked' : 'The program failed'}: ${run.error?.message ?? run.status}${where}\n${body}`);
}

/**
 * Runs an approved submission, or joins the run a human already started from the workbench
 * (a submission runs once; the agent gets that run's result).
 */
async function runOrJoin(core: CoreClient, id: string): Promise<RunResult> {
  const finished = new Promise<void>((resolve) => {
    const unsubscribe = core.onEvent((event) => {
      if (event.type === 'submission' && event.submission.id === id && event.submission.status === 'finished') {
        unsubscribe();
        resolve();
      }
    });
  });
  const now = await core.call('submission.get', { id });
  if (now.status === 'approved') {
    try {
      return await core.call('run', { id });
    } catch (error) {
      if (!(error instanceof Error && (error as Error & { code?: string }).code === 'running')) throw error;
    }
  }
  if (now.status !== 'finished') await finished;
  const view = await core.call('submission.get', { id });
  if (!view.run) throw new Error(`submission ${id} finished without a run result`);
  return view.run;
}

/**
 * Waits until a human decides `submission` (the core's `submission` event), the deadline passes
 * or the agent cancels; the last two deny it, so no decision is ever taken for a caller that has
 * gone. Sends progress notifications meanwhile when the client asked for them.
 */
function waitForDecision(core: CoreClient, submission: SubmissionView, options: McpOptions, extra: Extra): Promise<SubmissionSummary> {
  const timeoutMs = options.approvalTimeoutMs ?? MCP_DEFAULTS.approvalTimeoutMs;
  const deadline = Date.now() + timeoutMs;
  return new Promise<SubmissionSummary>((resolve, reject) => {
    const stopProgress = startProgress(core, submission.id, options, extra, () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      const url = workbenchUrl(options);
      const where = url ? `in the Flowgate workbench: ${url}` : 'in the Flowgate workbench';
      return `waiting for a human to approve ${where} (submission ${submission.id}, ${formatSeconds(left)} left)`;
    });
    const settle = (done: () => void): void => {
      unsubscribe();
      clearTimeout(timer);
      extra.signal.removeEventListener('abort', onAbort);
      stopProgress();
      done();
    };
    const unsubscribe = core.onEvent((event) => {
      if (event.type !== 'submission' || event.submission.id !== submission.id) return;
      if (event.submission.status !== 'pending-review') settle(() => resolve(event.submission));
    });
    const giveUp = (reason: string): void => {
      settle(() => {
        core.call('decide', { id: submission.id, decision: 'deny', who: 'flowgate', reason, sourceHash: submission.sourceHash })
          .then((view) => resolve(view), (error: unknown) => (isDecided(error) ? core.call('submission.get', { id: submission.id }).then(resolve, reject) : reject(error)));
      });
    };
    const timer = setTimeout(() => giveUp(`no human decision within ${formatSeconds(Math.round(timeoutMs / 1000))} (approval timeout)`), timeoutMs);
    const onAbort = (): void => giveUp('the agent stopped waiting (request cancelled)');
    extra.signal.addEventListener('abort', onAbort, { once: true });
    // The decision may have landed between submit and subscribing.
    core.call('submission.get', { id: submission.id }).then((now) => {
      if (now.status !== 'pending-review') settle(() => resolve(now));
    }, () => undefined);
  });
}

function isDecided(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: string }).code === 'decided';
}

/**
 * Sends `notifications/progress` now and every `progressIntervalMs` while a call waits, when
 * the client sent a progress token. A run held by a runtime approval prompt says so.
 */
function startProgress(core: CoreClient, id: string, options: McpOptions, extra: Extra, message: () => string): () => void {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => undefined;
  let progress = 0;
  let prompt: SubmissionSummary['prompts'][number] | undefined;
  const unsubscribe = core.onEvent((event) => {
    if (event.type === 'submission' && event.submission.id === id) prompt = event.submission.prompts[0];
  });
  const send = (): void => {
    progress += 1;
    let text = message();
    if (prompt) {
      const url = workbenchUrl(options);
      text = `waiting for a human to approve the call ${prompt.request.operation} in the Flowgate workbench${url ? `: ${url}` : ''} (submission ${id})`;
    }
    extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message: text } }).catch(() => undefined);
  };
  send();
  const interval = setInterval(send, options.progressIntervalMs ?? MCP_DEFAULTS.progressIntervalMs);
  return () => {
    clearInterval(interval);
    unsubscribe();
  };
}

function workbenchUrl(options: McpOptions): string | undefined {
  const url = typeof options.workbenchUrl === 'function' ? options.workbenchUrl() : options.workbenchUrl;
  return url ? stripToken(url) : undefined;
}

/** The workbench address without any token in its query or fragment. */
export function stripToken(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.searchParams.delete('token');
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

/** The reasons a program was denied, each at its line, and the diagnostics not already among them. */
export function denialText(view: SubmissionView): string {
  const lines = [`Denied by policy "${view.policy}" before running (submission ${view.id}). Fix the program and call execute_code again:`];
  const seen = new Set<string>();
  for (const r of view.analysis.reasons) {
    if (r.verdict === 'allow') continue;
    const key = `${r.line}:${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const flow = r.label && r.destination ? ` [${r.label} → ${r.destination}]` : '';
    lines.push(`- line ${r.line}, column ${r.column}: ${r.message}${flow} (${r.code})`);
  }
  // A diagnostic already given as a reason (code `diagnostic`, same place) is not repeated.
  const reasonAt = new Set(view.analysis.reasons.filter((r) => r.code === 'diagnostic').map((r) => `${r.line}:${r.column}`));
  for (const d of view.analysis.diagnostics) {
    if (d.severity !== 'error' || seen.has(`${d.line}:${d.message}`) || reasonAt.has(`${d.line}:${d.column}`)) continue;
    seen.add(`${d.line}:${d.message}`);
    lines.push(`- line ${d.line}, column ${d.column}: ${d.message} (${d.code})`);
  }
  return lines.join('\n');
}

/** What the agent gets back from a run: compact, JSON-serialisable. */
export function runView(run: RunResult) {
  return {
    status: run.status,
    result: run.result ?? null,
    ...(run.error ? { error: run.error } : {}),
    console: run.console.map((c) => (c.level === 'log' ? c.text : `${c.level}: ${c.text}`)),
    calls: run.calls.map((c) => ({ operation: `${c.service}.${c.operation}`, decision: c.decision, ...(c.reason ? { reason: c.reason } : {}) })),
    traceId: run.traceId,
  };
}

function formatSeconds(s: number): string {
  return s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
}

function text(body: string): CallToolResult {
  return { content: [{ type: 'text', text: body }] };
}

function failure(body: string): CallToolResult {
  return { content: [{ type: 'text', text: body }], isError: true };
}

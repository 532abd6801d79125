/**
 * The MCP server agents use as their only tool server: small tools over the same `CoreService`
 * the workbench talks to, so a program an agent submits sits in the same inbox, is decided by
 * the same human and leaves the same trace.
 *
 * - `search_docs` returns only the declarations of the operations that match the query, so the
 *   agent loads what it needs instead of every operation up front.
 * - `execute_code` submits a program under the policy the server was started with (the agent
 *   cannot choose its own policy) and answers with the run's result, or with the reasons it was
 *   denied, each with its line, so the agent can fix the program. A program that needs a human
 *   is an MCP task (2025-11-25, task-augmented `tools/call`) for clients that ask for one: the
 *   task completes when a reviewer has decided and the program has run. A client that does not
 *   gets, before its own timeout, "waiting for review" with the submission id and the
 *   workbench's address.
 * - `get_result` collects a submission's outcome later.
 *
 * Invariants: nothing sent to the agent carries the workbench's token (an agent must not be able
 * to approve its own program through the channel it submitted it on); a client that stops
 * waiting never turns into a denial — only a reviewer denies.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import type { CallToolResult, Request, RequestId, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import type { CoreClient } from './remote-core.ts';
import type { PolicyRef } from './protocol.ts';
import { denialText, failure, outcomeOf, type WaitOptions } from './mcp-outcome.ts';

export { denialText, runView } from './mcp-outcome.ts';

/** Options of {@link createMcpServer}, with their defaults. */
export interface McpOptions {
  /** The policy every submission is checked and run under. Default `{ name: 'seed' }`. */
  policy?: PolicyRef;
  /**
   * How long `execute_code` and `get_result` hold a call open waiting for a reviewer before they
   * answer "waiting for review" (the submission stays in the inbox). Default 45 s: less than the
   * 60 s most clients give a tool call. A task-augmented call waits until the reviewer decides.
   */
  approvalTimeoutMs?: number;
  /** How often a waiting call sends a progress notification (and a task updates its status). Default 3 s. */
  progressIntervalMs?: number;
  /** The workbench's address (without its token), named in answers and progress messages. */
  workbenchUrl?: string | (() => string | undefined);
  /** Default result count of `search_docs`. Default 3: the right operation was in the top 3 for every workflow query of the token benchmark, at every catalog size. */
  searchLimit?: number;
}

export const MCP_DEFAULTS = {
  policy: { name: 'seed' } as PolicyRef,
  approvalTimeoutMs: 45_000,
  progressIntervalMs: 3_000,
  searchLimit: 3,
} as const;

export const SERVER_INFO = { name: 'flowgate', version: '0.1.0' } as const;

const SEARCH_DESCRIPTION =
  'Find the company APIs you can call. Returns the TypeScript declarations of the best-matching operations, best first. ' +
  'Use them in execute_code: a program is the body of an async function calling `await service.operation({...})` and `return`ing its result.';

const EXECUTE_DESCRIPTION =
  'Run a TypeScript program (the body of an async function: `await service.operation({...})`, `return` the result) under the company policy. ' +
  'Returns the result, or why it was denied with line numbers. If a human must approve it first, the answer says "waiting for review" with a submissionId: call get_result later.';

const RESULT_DESCRIPTION = 'Collect the outcome of a submission that was waiting for review (the submissionId execute_code gave): its result once a human approved it and it ran, the reviewer\'s reason if denied, or "waiting for review" again.';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A task store that remembers which tasks a client asked for (task-augmented calls) and which the SDK made for a plain call. */
class FlowgateTaskStore extends InMemoryTaskStore {
  private readonly augmented = new Set<string>();

  override async createTask(params: Parameters<InMemoryTaskStore['createTask']>[0], requestId: RequestId, request: Request, sessionId?: string) {
    const task = await super.createTask(params, requestId, request, sessionId);
    const asked = request.params && typeof request.params === 'object' && 'task' in request.params;
    if (asked) this.augmented.add(task.taskId);
    return task;
  }

  /** Whether the client itself asked for `taskId` as a task (it will poll for the result). */
  asked(taskId: string): boolean {
    return this.augmented.has(taskId);
  }

  forget(taskId: string): void {
    this.augmented.delete(taskId);
  }
}

/**
 * An MCP server with the tools `search_docs`, `execute_code` and `get_result` over `core`.
 * Connect it to one transport (stdio, or one Streamable HTTP session).
 */
export function createMcpServer(core: CoreClient, options: McpOptions = {}): McpServer {
  let services: Promise<string[]> | undefined;
  const tasks = new FlowgateTaskStore();
  const server = new McpServer(SERVER_INFO, {
    instructions: 'Flowgate runs TypeScript programs against the company APIs under a policy. Call search_docs to find operations, then execute_code with a short program. A program a human must approve comes back as "waiting for review": collect it later with get_result.',
    capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
    taskStore: tasks,
  });
  const workbench = (): string | undefined => {
    const url = typeof options.workbenchUrl === 'function' ? options.workbenchUrl() : options.workbenchUrl;
    return url ? stripToken(url) : undefined;
  };
  const waitFor = (extra: Extra, withinMs: number): WaitOptions => ({
    withinMs,
    signal: extra.signal,
    workbench,
    everyMs: options.progressIntervalMs ?? MCP_DEFAULTS.progressIntervalMs,
    onWaiting: progressSender(extra),
  });
  const holdMs = options.approvalTimeoutMs ?? MCP_DEFAULTS.approvalTimeoutMs;

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

  server.experimental.tasks.registerToolTask(
    'execute_code',
    {
      description: EXECUTE_DESCRIPTION,
      inputSchema: {
        code: z.string().min(1).describe('the program'),
        intent: z.string().min(1).describe('one sentence: what the program does and why (the reviewer reads it)'),
        params: z.record(z.string(), z.unknown()).optional().describe('the task\'s own inputs (from the user, not from data you read): the program reads them as `params.name`; Flowgate trusts them to choose recipients and channels'),
      },
      annotations: { destructiveHint: true, openWorldHint: true },
      execution: { taskSupport: 'optional' },
    },
    {
      createTask: async ({ code, intent, params }, extra) => {
        // No expiry timer (`ttl: null`): a timer would keep a finished `flowgate mcp` process alive;
        // a task is a few hundred bytes, kept for the life of the session.
        const task = await extra.taskStore.createTask({ ttl: null, pollInterval: 1_000 });
        const asked = tasks.asked(task.taskId);
        const finish = (status: 'completed' | 'failed', result: CallToolResult): Promise<void> =>
          extra.taskStore.getTask(task.taskId).then((now) => {
            tasks.forget(task.taskId);
            // A task the client cancelled keeps its status; the submission stays in the inbox.
            if (now.status === 'working' || now.status === 'input_required') return extra.taskStore.storeTaskResult(task.taskId, status, result);
          });
        const agent = server.server.getClientVersion()?.name || 'mcp-client';
        void (async () => {
          try {
            const submitted = await core.call('submit', { source: code, intent, agent, task: intent, policy: options.policy ?? MCP_DEFAULTS.policy, ...(params ? { params } : {}) });
            if (submitted.verdict === 'deny') return await finish('completed', failure(denialText(submitted)));
            const wait = waitFor(extra, asked ? Infinity : holdMs);
            const onWaiting = wait.onWaiting;
            wait.onWaiting = (message) => {
              onWaiting?.(message);
              if (asked) void extra.taskStore.updateTaskStatus(task.taskId, 'working', message).catch(() => undefined);
            };
            // A client that asked for a task may disconnect and poll later: its request's signal does not end the wait.
            if (asked) wait.signal = undefined;
            await finish('completed', await outcomeOf(core, submitted.id, wait));
          } catch (error) {
            await finish('failed', failure(error instanceof Error ? error.message : String(error))).catch(() => undefined);
          }
        })();
        return { task };
      },
      getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
      getTaskResult: async (_args, extra) => (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
    },
  );

  server.registerTool(
    'get_result',
    {
      description: RESULT_DESCRIPTION,
      inputSchema: { submissionId: z.string().min(1).max(200).describe('the submissionId execute_code answered with') },
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    async ({ submissionId }, extra) => {
      try {
        return await outcomeOf(core, submissionId, waitFor(extra, holdMs));
      } catch (error) {
        return failure(error instanceof Error ? error.message : String(error));
      }
    },
  );

  return server;
}

/** Sends `notifications/progress` for a call when the client sent a progress token. */
function progressSender(extra: Extra): ((message: string) => void) | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let progress = 0;
  return (message) => {
    progress += 1;
    extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } }).catch(() => undefined);
  };
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

function text(body: string): CallToolResult {
  return { content: [{ type: 'text', text: body }] };
}

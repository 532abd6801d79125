/**
 * JSON-RPC 2.0 sessions over any text transport (the browser's WebSocket, the Electron shell's
 * stdio pipe): every request's params are validated against the protocol (protocol.ts) before a
 * handler sees them, errors are mapped to the protocol's codes, and core events are pushed as
 * `event` notifications.
 *
 * Invariants: nothing but a validated request reaches `CoreService`; no stack trace or internal
 * message ever reaches a client (internal errors are reported to `onInternalError` instead).
 */
import { z } from 'zod';
import type { CallContext, CoreEvent, MethodName, RpcFailure, RpcNotification, RpcSuccess } from './protocol.ts';
import { RPC_ERRORS } from './protocol.ts';

/** What a session needs of the core: `CoreService` satisfies it; tests pass a fake. */
export interface RpcCore {
  call(method: MethodName, params: never, context?: CallContext): Promise<unknown>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
}

export interface RpcSessionOptions {
  /** Largest message accepted, in bytes (UTF-8). Default {@link MAX_MESSAGE_BYTES}. */
  maxMessageBytes?: number;
  /** Where internal errors go (the client only sees "internal error"). Default: stderr. */
  onInternalError?: (error: unknown, method: string) => void;
  /** Who is on the other end: the page's origin (the WebSocket's checked `Origin`), which passkeys are bound to. */
  context?: CallContext;
}

export interface RpcSession {
  /** One JSON-RPC message (a request, or a notification, which gets no answer). */
  receive(message: string): void;
  /** Stops forwarding events; answers to requests still running are dropped. */
  close(): void;
}

/** 2 MB: a program (≤ 1 MB) or a policy with room for JSON escaping. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

const MAX_SOURCE = 1024 * 1024;
const MAX_TEXT = 1024 * 1024;
const id = z.string().min(1).max(200);
const shortText = z.string().max(10_000);
const catalogName = z.enum(['demo', 'demo-v2']);
const policyRef = z.union([
  z.strictObject({ name: z.string().min(1).max(200) }),
  z.strictObject({ text: z.string().max(MAX_TEXT), name: z.string().min(1).max(200).optional() }),
]);
const none = z.strictObject({});
const b64url = z.string().max(64 * 1024).regex(/^[A-Za-z0-9_-]*$/, 'expected base64url');
/** A WebAuthn assertion as `@simplewebauthn/browser` returns it (its contents are checked by the reviewer registry). */
const assertion = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.object({ authenticatorData: b64url, clientDataJSON: b64url, signature: b64url, userHandle: b64url.optional() }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
/** A WebAuthn registration as `@simplewebauthn/browser` returns it. */
const registration = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    authenticatorData: b64url.optional(),
    transports: z.array(z.string().max(40)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url.optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
const reason = z.string().trim().min(1).max(10_000);

/** The params of every method of the protocol (`Methods` in protocol.ts), checked at the core's end. */
export const PARAMS = {
  hello: z.strictObject({ client: z.string().max(200), version: z.number().int() }),
  'catalog.get': z.strictObject({ catalog: catalogName.optional() }),
  'catalog.search': z.strictObject({ query: z.string().max(2_000), limit: z.number().int().min(1).max(100).optional() }),
  'policy.list': none,
  'policy.get': z.strictObject({ name: z.string().min(1).max(200) }),
  'policy.schema': none,
  'policy.validate': z.strictObject({ text: z.string().max(MAX_TEXT) }),
  analyze: z.strictObject({ source: z.string().max(MAX_SOURCE), policy: policyRef, catalog: catalogName.optional() }),
  submit: z.strictObject({
    source: z.string().max(MAX_SOURCE),
    intent: shortText.optional(),
    agent: z.string().max(200).optional(),
    task: z.string().max(200).optional(),
    policy: policyRef,
    catalog: catalogName.optional(),
    params: z.record(z.string().max(200), z.unknown()).optional(),
  }),
  'submissions.list': none,
  'submission.get': z.strictObject({ id }),
  'decision.request': z.strictObject({ id, decision: z.enum(['approve', 'deny']), reason }),
  decide: z.strictObject({ id, decision: z.enum(['approve', 'deny']), reason, sourceHash: z.string().min(1).max(200), assertion }),
  run: z.strictObject({ id }),
  'prompt.request': z.strictObject({ promptId: id, approve: z.boolean(), reason }),
  'prompt.answer': z.strictObject({ promptId: id, approve: z.boolean(), reason, assertion }),
  'reviewers.list': none,
  'reviewer.begin': z.strictObject({ name: z.string().trim().min(1).max(100) }),
  'reviewer.register': z.strictObject({ response: registration }),
  'reviewer.endorse': z.strictObject({ credentialId: b64url.min(1), assertion }),
  'traces.list': z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }),
  'trace.get': z.strictObject({ traceId: z.string().regex(/^[0-9a-f]{32}$/, 'expected a 32-hex-digit trace id') }),
  'demo.stories': none,
  'workspace.get': none,
  'workspace.open': z.strictObject({ dir: z.string().min(1).max(4_096) }),
} satisfies Record<MethodName, z.ZodType>;

/** Errors whose message is the user's to read and fix; matched by name so no heavy module is imported here. */
const BAD_INPUT = new Set(['PolicyError', 'CatalogError', 'ProgramSyntaxError']);

type Outgoing = RpcSuccess | RpcFailure | RpcNotification;
type Id = number | string | null;

/** Opens a session that answers `receive`d messages through `send` and pushes core events. */
export function createRpcSession(core: RpcCore, send: (message: string) => void, options: RpcSessionOptions = {}): RpcSession {
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const onInternalError = options.onInternalError ?? defaultInternalError;
  let open = true;
  const emit = (message: Outgoing) => {
    if (open) send(JSON.stringify(message));
  };
  const fail = (msgId: Id, code: number, message: string, data?: RpcFailure['error']['data']) =>
    emit({ jsonrpc: '2.0', id: msgId, error: data ? { code, message, data } : { code, message } });

  const unsubscribe = core.onEvent((event) => emit({ jsonrpc: '2.0', method: 'event', params: event }));

  async function dispatch(msgId: Id, method: MethodName, params: unknown): Promise<void> {
    try {
      const result = await core.call(method, params as never, options.context ?? {});
      if (msgId !== null) emit({ jsonrpc: '2.0', id: msgId, result: result as never });
    } catch (error) {
      if (msgId === null) return;
      const mapped = mapError(error);
      if (mapped) return fail(msgId, mapped.code, mapped.message, mapped.data);
      onInternalError(error, method);
      fail(msgId, RPC_ERRORS.internal, `internal error in ${method}`);
    }
  }

  return {
    receive(message: string): void {
      if (!open) return;
      if (Buffer.byteLength(message, 'utf8') > maxBytes) return fail(null, RPC_ERRORS.invalidRequest, `message too large (limit ${maxBytes} bytes)`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        return fail(null, RPC_ERRORS.parse, 'parse error: not valid JSON');
      }
      if (Array.isArray(parsed)) return fail(null, RPC_ERRORS.invalidRequest, 'batches are not supported: send one request per message');
      if (!isObject(parsed) || parsed.jsonrpc !== '2.0' || typeof parsed.method !== 'string') {
        const maybeId = isObject(parsed) && isId(parsed.id) ? parsed.id : null;
        return fail(maybeId, RPC_ERRORS.invalidRequest, 'invalid request: expected {"jsonrpc":"2.0","id":…,"method":…,"params":…}');
      }
      // A request without an id is a notification: run it, answer nothing (JSON-RPC 2.0 §4.1).
      if ('id' in parsed && !isId(parsed.id)) return fail(null, RPC_ERRORS.invalidRequest, 'invalid request: id must be a string or a number');
      const msgId: Id = 'id' in parsed ? (parsed.id as number | string) : null;
      const method = parsed.method;
      if (!Object.hasOwn(PARAMS, method)) {
        if (msgId !== null) fail(msgId, RPC_ERRORS.methodNotFound, `unknown method "${method.slice(0, 100)}"`);
        return;
      }
      const schema = PARAMS[method as MethodName];
      const checked = schema.safeParse(parsed.params ?? {});
      if (!checked.success) {
        if (msgId !== null) fail(msgId, RPC_ERRORS.invalidParams, `invalid params for ${method}: ${describeIssues(checked.error.issues)}`);
        return;
      }
      void dispatch(msgId, method as MethodName, checked.data);
    },
    close(): void {
      if (!open) return;
      open = false;
      unsubscribe();
    },
  };
}

/** The protocol error for an error a handler threw, or undefined for an internal error. */
export function mapError(error: unknown): { code: number; message: string; data?: { code?: string; pointer?: string } } | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'CommandError') {
    const code = (error as Error & { code?: unknown }).code;
    return { code: RPC_ERRORS.command, message: error.message, data: { code: typeof code === 'string' ? code : 'command' } };
  }
  if (BAD_INPUT.has(error.name)) {
    const pointer = (error as Error & { pointer?: unknown }).pointer;
    return { code: RPC_ERRORS.badInput, message: error.message, data: typeof pointer === 'string' ? { pointer } : undefined };
  }
  return undefined;
}

/** `policy.name: Invalid input: expected string, received number; …` — names every bad field. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: string[] }>): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join('.') : 'params';
      if (issue.code === 'unrecognized_keys' && issue.keys) return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number | string {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function defaultInternalError(error: unknown, method: string): void {
  process.stderr.write(`flowgate: internal error in ${method}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

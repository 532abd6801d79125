/**
 * Checks the shape of what the core sends before the workbench trusts it: a JSON-RPC result,
 * an error, or an `event` notification with a known event type. Field-level contents are the
 * protocol's types; this guards against a broken or foreign peer, not a lying one.
 */
import type { CoreEvent, RpcFailure } from '../../core/service/protocol.ts';

export type Incoming =
  | { kind: 'result'; id: number | string; result: unknown }
  | { kind: 'error'; id: number | string | null; error: RpcFailure['error'] }
  | { kind: 'event'; event: CoreEvent };

const EVENT_TYPES = new Set(['submission', 'audit']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseMessage(text: string): Incoming | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.jsonrpc !== '2.0') return undefined;
  if (value.method === 'event') {
    const event = value.params;
    if (!isObject(event) || typeof event.type !== 'string' || !EVENT_TYPES.has(event.type)) return undefined;
    if (event.type === 'submission' && !isObject(event.submission)) return undefined;
    if (event.type === 'audit' && !isObject(event.record)) return undefined;
    return { kind: 'event', event: event as CoreEvent };
  }
  const id = value.id;
  if (typeof id !== 'number' && typeof id !== 'string' && id !== null) return undefined;
  if ('result' in value && id !== null) return { kind: 'result', id, result: value.result };
  const error = value.error;
  if (isObject(error) && typeof error.code === 'number' && typeof error.message === 'string') {
    const data = isObject(error.data) ? { code: typeof error.data.code === 'string' ? error.data.code : undefined, pointer: typeof error.data.pointer === 'string' ? error.data.pointer : undefined } : undefined;
    return { kind: 'error', id, error: { code: error.code, message: error.message, data } };
  }
  return undefined;
}

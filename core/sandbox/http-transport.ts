/**
 * The host's HTTP client for operations: builds the request from the operation's description
 * and the program's named arguments, maps the logical host to where it really answers (the
 * demo's loopback ports), and adds the credentials only the host holds.
 */
import type { Operation } from '../catalog/types.ts';
import type { Transport, TransportResponse } from './types.ts';

export interface HttpTransportOptions {
  /** Logical host → base URL (e.g. `slack.com` → `http://127.0.0.1:41234`). Unmapped hosts use the server URL's own origin. */
  hostMap?: Record<string, string>;
  /** Logical host → headers added to every request (credentials). */
  credentials?: Record<string, Record<string, string>>;
  /** Per-request timeout, milliseconds. Default 30 000. */
  timeoutMs?: number;
}

/** Largest response body accepted, in bytes. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const { hostMap = {}, credentials = {}, timeoutMs = 30_000 } = options;
  return {
    async call(op: Operation, args: Record<string, unknown>, headers: Record<string, string>): Promise<TransportResponse> {
      const url = requestUrl(op, args, hostMap);
      const body: Record<string, unknown> = {};
      const extraHeaders: Record<string, string> = {};
      for (const param of op.params) {
        if (!(param.name in args)) continue;
        if (param.in === 'body') body[param.name] = args[param.name];
        if (param.in === 'header') extraHeaders[param.name] = String(args[param.name]);
      }
      const hasBody = op.params.some((p) => p.in === 'body');
      const response = await fetch(url, {
        method: op.method,
        headers: {
          accept: 'application/json',
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
          ...extraHeaders,
          ...headers,
          ...(credentials[op.host] ?? {}),
        },
        body: hasBody ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const text = await response.text();
      if (text.length > MAX_RESPONSE_BYTES) throw new Error(`${op.id}: response larger than ${MAX_RESPONSE_BYTES} bytes`);
      let parsed: unknown = text;
      if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
      return { status: response.status, body: text ? parsed : null };
    },
  };
}

/** The URL of one call: mapped origin + server path prefix + path with parameters + query. */
export function requestUrl(op: Operation, args: Record<string, unknown>, hostMap: Record<string, string> = {}): URL {
  const server = new URL(op.serverUrl);
  const origin = hostMap[op.host] ?? server.origin;
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(args[name] ?? '')));
  const url = new URL(server.pathname.replace(/\/$/, '') + path, origin);
  for (const param of op.params) {
    if (param.in !== 'query' || args[param.name] === undefined) continue;
    const value = args[param.name];
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(param.name, String(v));
    else url.searchParams.set(param.name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return url;
}

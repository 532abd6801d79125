/**
 * The host's HTTP client for operations: builds the request from the operation's description
 * and the program's named arguments, sends it where the API really answers (the demo's loopback
 * ports, a workspace's base URL), and adds the credentials only the host holds.
 *
 * Invariant: a secret the host holds never goes back toward the program. The request is built
 * here, after every check, from arguments that cannot name a credential (credential parameters
 * are not arguments); and every secret is scrubbed from the response and from error messages
 * before they leave this function (an API that echoes a token in an error says `[REDACTED]`).
 */
import type { Operation } from '../catalog/types.ts';
import type { Transport, TransportResponse } from './types.ts';

/** What one request must carry to authenticate (see core/workspace/credentials.ts). */
export interface RequestAuth {
  headers: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
  /** Credential parameters by name, placed where the operation declares them. */
  params: Record<string, string>;
}

export interface HttpTransportOptions {
  /** Logical host → base URL (e.g. `slack.com` → `http://127.0.0.1:41234`). Unmapped hosts use the server URL's own origin. */
  hostMap?: Record<string, string>;
  /** Service → URL replacing `servers[0].url` as a whole (a workspace's `baseUrl`: staging, a local mock). */
  baseUrls?: Record<string, string>;
  /** Logical host → headers added to every request (credentials). */
  credentials?: Record<string, Record<string, string>>;
  /** What a request of `op` carries to authenticate (a workspace's credentials). */
  authorize?: (op: Operation) => Promise<RequestAuth>;
  /** Every secret the host holds, scrubbed from whatever goes back. */
  secrets?: () => Iterable<string>;
  /** Per-request timeout, milliseconds. Default 30 000. */
  timeoutMs?: number;
}

/** Largest response body accepted, in bytes. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** What a secret becomes wherever it would have been seen. */
export const SECRET_MARK = '[REDACTED:credential]';

export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const { hostMap = {}, baseUrls = {}, credentials = {}, timeoutMs = 30_000 } = options;
  const scrub = (text: string): string => {
    let out = text;
    for (const secret of [...(options.secrets?.() ?? []), ...Object.values(credentials).flatMap((h) => Object.values(h))]) {
      if (secret.length >= 4) out = out.split(secret).join(SECRET_MARK);
    }
    return out;
  };
  return {
    async call(op: Operation, args: Record<string, unknown>, headers: Record<string, string>): Promise<TransportResponse> {
      try {
        const auth = options.authorize ? await options.authorize(op) : undefined;
        const url = requestUrl(op, args, hostMap, baseUrls[op.service]);
        const body: Record<string, unknown> = {};
        const extraHeaders: Record<string, string> = {};
        for (const param of op.params) {
          if (!(param.name in args)) continue;
          if (param.in === 'body') {
            if (param.wholeBody) Object.assign(body, { [WHOLE]: args[param.name] });
            else body[param.name] = args[param.name];
          }
          if (param.in === 'header') extraHeaders[param.name] = String(args[param.name]);
        }
        const cookies: Record<string, string> = { ...(auth?.cookies ?? {}) };
        for (const { name, in: where } of op.credentialParams ?? []) {
          const secret = auth?.params[name];
          if (secret === undefined) continue;
          if (where === 'header') extraHeaders[name] = secret;
          else if (where === 'query') url.searchParams.set(name, secret);
          else if (where === 'cookie') cookies[name] = secret;
          else if (where === 'body') body[name] = secret;
        }
        for (const [name, value] of Object.entries(auth?.query ?? {})) url.searchParams.set(name, value);
        const hasBody = op.params.some((p) => p.in === 'body') || (op.credentialParams ?? []).some((p) => p.in === 'body');
        const form = op.bodyEncoding === 'form';
        const payload = WHOLE in body ? body[WHOLE] : body;
        const response = await fetch(url, {
          method: op.method,
          headers: {
            accept: 'application/json',
            ...(hasBody ? { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' } : {}),
            ...extraHeaders,
            ...headers,
            ...(credentials[op.host] ?? {}),
            ...(auth?.headers ?? {}),
            ...(Object.keys(cookies).length ? { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ') } : {}),
          },
          body: hasBody ? (form ? formEncode(payload) : JSON.stringify(payload)) : undefined,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        const text = scrub(await response.text());
        if (text.length > MAX_RESPONSE_BYTES) throw new Error(`${op.id}: response larger than ${MAX_RESPONSE_BYTES} bytes`);
        let parsed: unknown = text;
        if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
        return { status: response.status, body: text ? parsed : null };
      } catch (error) {
        // Whatever failed (a secret that cannot be read, the network, a URL with a key in it), the message keeps no secret.
        const message = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
        // No `cause`: the original error may hold the secret (a URL with a key in it).
        // eslint-disable-next-line preserve-caught-error
        throw new Error(scrub(message));
      }
    },
  };
}

/** Marks a whole-body argument inside the body being assembled. */
const WHOLE = '\u0000whole';

/**
 * `application/x-www-form-urlencoded` with nested values in bracket notation, as Stripe and
 * Slack read them: `metadata[plan]=pro`, `expand[0]=default_source`.
 */
export function formEncode(value: unknown): string {
  const out = new URLSearchParams();
  const add = (key: string, v: unknown): void => {
    if (v === undefined) return;
    if (v === null) out.append(key, '');
    else if (Array.isArray(v)) v.forEach((item, i) => add(`${key}[${i}]`, item));
    else if (typeof v === 'object') for (const [k, sub] of Object.entries(v)) add(`${key}[${k}]`, sub);
    else out.append(key, String(v));
  };
  if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) add(k, v);
  return out.toString();
}

/** The URL of one call: base URL (or mapped origin + server path prefix) + path with parameters + query. */
export function requestUrl(op: Operation, args: Record<string, unknown>, hostMap: Record<string, string> = {}, baseUrl?: string): URL {
  const server = new URL(baseUrl ?? op.serverUrl);
  const origin = baseUrl ? server.origin : (hostMap[op.host] ?? server.origin);
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

/**
 * A minimal JSON-over-HTTP server for one demo service: bearer-token auth, routing by path
 * template, JSON bodies, a request log and optional latency. Each service file only declares routes.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DemoRequest } from './types.ts';

/** An error answered as `{error, message}` with this HTTP status. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface RouteRequest {
  /** Path parameters, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (an object), or `{}` when the request had none. */
  body: Record<string, unknown>;
}

export interface RouteResult {
  status?: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Full path template including the server prefix, e.g. `/api/chat.postMessage`, `/v1/invoices/{invoiceId}`. */
  path: string;
  handler(req: RouteRequest): RouteResult;
}

export interface ServiceDefinition {
  service: string;
  host: string;
  routes: Route[];
}

export interface ServerOptions {
  token: string;
  latencyMs: number;
  onRequest(entry: DemoRequest): void;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

function matchPath(template: string, path: string): Record<string, string> | null {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i];
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (p[i] === '') return null;
      try {
        params[seg.slice(1, -1)] = decodeURIComponent(p[i]);
      } catch {
        throw new HttpError(400, 'bad_request', `path segment "${p[i]}" is not valid URL encoding`);
      }
    } else if (seg !== p[i]) {
      return null;
    }
  }
  return params;
}

function authorized(header: string | undefined, token: string): boolean {
  if (!header || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'payload_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_request', 'request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'bad_request', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

async function handle(def: ServiceDefinition, opts: ServerOptions, req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
  if (!authorized(req.headers.authorization, opts.token)) {
    return { status: 401, body: { error: 'unauthorized', message: 'missing or invalid bearer token' }, headers: { 'www-authenticate': `Bearer realm="${def.host}"` } };
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const candidates = def.routes.map((r) => ({ route: r, params: matchPath(r.path, url.pathname) })).filter((c) => c.params !== null);
  if (candidates.length === 0) return { status: 404, body: { error: 'not_found', message: `no such endpoint: ${url.pathname}` } };
  const hit = candidates.find((c) => c.route.method === req.method);
  if (!hit) {
    const allow = candidates.map((c) => c.route.method).join(', ');
    return { status: 405, body: { error: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname} (allowed: ${allow})` }, headers: { allow } };
  }
  const body = req.method === 'GET' || req.method === 'DELETE' ? {} : await readJsonBody(req);
  const result = hit.route.handler({ params: hit.params ?? {}, query: url.searchParams, body });
  return { status: result.status ?? 200, body: result.body };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts one service on 127.0.0.1 on a free port. */
export function startServiceServer(def: ServiceDefinition, opts: ServerOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const started = Date.now();
    const time = new Date(started).toISOString();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const traceparent = req.headers.traceparent;
    const finish = (status: number, body: unknown, headers?: Record<string, string>): void => {
      const entry: DemoRequest = { service: def.service, host: def.host, method: req.method ?? 'GET', path: url.pathname, status, time };
      if (url.search.length > 1) entry.query = url.search.slice(1);
      if (typeof traceparent === 'string') entry.traceparent = traceparent;
      entry.durationMs = Date.now() - started;
      // Logged before the response is written, so a client that sees the response also sees the entry.
      opts.onRequest(entry);
      send(res, status, body, headers);
    };
    handle(def, opts, req)
      .catch((err: unknown) => err instanceof HttpError
        ? { status: err.status, body: { error: err.code, message: err.message } }
        : { status: 500, body: { error: 'internal', message: err instanceof Error ? err.message : String(err) } })
      .then(async (out) => {
        if (opts.latencyMs > 0) await new Promise((r) => setTimeout(r, opts.latencyMs));
        finish(out.status, out.body, 'headers' in out ? out.headers : undefined);
      })
      .catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { error: 'internal', message: String(err) });
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

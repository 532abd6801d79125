import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CoreEvent } from './protocol.ts';
import { startWorkbenchServer, staticFile, type WorkbenchServer } from './http-server.ts';
import type { RpcCore } from './rpc.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-http-'));
const renderer = join(dir, 'renderer');
const data = join(dir, 'data');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Flowgate</title>');
writeFileSync(join(renderer, 'assets', 'app-123.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'outside');

const listeners = new Set<(e: CoreEvent) => void>();
const core: RpcCore = {
  async call(method, params) {
    if (method === 'hello') return { version: 1, catalog: 'demo', demo: true, policies: ['seed'], echo: params };
    throw new Error('not in this test');
  },
  onEvent(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
const mcpSeen: string[] = [];

let server: WorkbenchServer;
beforeAll(async () => {
  server = await startWorkbenchServer({
    core,
    rendererDir: renderer,
    dataDir: data,
    mcpHandler: (req, res) => {
      mcpSeen.push(req.method ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"mcp":true}');
    },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request, so tests can send any Host / Origin / Cookie header. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket to /rpc; resolves with the socket, or rejects with the refusal's status. */
function connect(opts: { query?: string; origin?: string; host?: string; cookie?: string }) {
  const headers: Record<string, string> = { host: opts.host ?? `127.0.0.1:${server.port}` };
  if (opts.cookie) headers.cookie = opts.cookie;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc${opts.query ?? ''}`, { origin: opts.origin, headers });
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const tokenQuery = () => `?token=${server.token}`;

describe('workbench server', () => {
  it('listens on loopback with a 64-hex-digit token and prints a URL carrying it', () => {
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://localhost:${server.port}/?token=${server.token}`);
  });

  it('writes workbench.json (mode 0600) for local tools', () => {
    const file = join(data, 'workbench.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: server.url, token: server.token, pid: process.pid });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses pages without a token (401) or with a wrong one (403)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=' + 'a'.repeat(64))).status).toBe(403);
    expect((await get('/', { cookie: `flowgate_token_${server.port}=nope` })).status).toBe(403);
    expect((await get('/assets/app-123.js')).status).toBe(401);
  });

  it('serves the page with the token, sets a strict HttpOnly cookie, and security headers', async () => {
    const page = await get('/' + tokenQuery());
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Flowgate</title>');
    expect(page.headers['set-cookie']?.[0]).toMatch(new RegExp(`^flowgate_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    const asset = await get('/assets/app-123.js', { cookie: `other=1; flowgate_token_${server.port}=${server.token}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('refuses non-loopback Host headers (DNS rebinding) even with the token', async () => {
    expect((await get('/' + tokenQuery(), { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get('/' + tokenQuery(), { host: '127.0.0.1:1' })).status).toBe(403);
    expect((await get('/' + tokenQuery(), { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('does not serve files outside the renderer, nor unknown paths', async () => {
    expect((await get('/..%2fsecret.txt' + tokenQuery())).status).toBe(404);
    expect((await get('/missing.js' + tokenQuery())).status).toBe(404);
    expect(staticFile(renderer, '/../secret.txt')).toBeUndefined();
    expect(staticFile(renderer, '/%2e%2e/secret.txt')).toBeUndefined();
    expect(staticFile(renderer, '/assets')).toBeUndefined();
    expect((await get('/' + tokenQuery(), {}, 'POST')).status).toBe(405);
  });

  it('round-trips hello over the WebSocket with the token and our Origin, and pushes events', async () => {
    const ws = await connect({ query: tokenQuery(), origin: server.origin });
    const messages: Array<Record<string, unknown>> = [];
    const next = () => new Promise<Record<string, unknown>>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    let answer = next();
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { client: 'test', version: 1 } }));
    messages.push(await answer);
    expect(messages[0]).toMatchObject({ id: 1, result: { version: 1, echo: { client: 'test', version: 1 } } });
    answer = next();
    for (const l of listeners) l({ type: 'audit', record: { kind: 'submit' } as never });
    expect(await answer).toMatchObject({ method: 'event', params: { type: 'audit' } });
    ws.close();
  });

  it('accepts the cookie instead of the query on /rpc', async () => {
    const ws = await connect({ origin: server.origin, cookie: `flowgate_token_${server.port}=${server.token}` });
    ws.close();
  });

  it('refuses WebSockets without a token, with a wrong one, from a foreign Origin or Host', async () => {
    await expect(connect({ origin: server.origin })).rejects.toThrow('status 401');
    await expect(connect({ query: '?token=wrong', origin: server.origin })).rejects.toThrow('status 403');
    await expect(connect({ query: tokenQuery(), origin: 'http://evil.example' })).rejects.toThrow('status 403');
    await expect(connect({ query: tokenQuery() })).rejects.toThrow('status 403');
    await expect(connect({ query: tokenQuery(), origin: 'null' })).rejects.toThrow('status 403');
    await expect(connect({ query: tokenQuery(), origin: server.origin, host: 'evil.example' })).rejects.toThrow('status 403');
  });

  it('mounts MCP at /mcp behind the bearer token', async () => {
    expect((await get('/mcp', {}, 'POST')).status).toBe(401);
    expect((await get('/mcp', { authorization: 'Bearer nope' }, 'POST')).status).toBe(403);
    expect((await get('/mcp' + tokenQuery(), {}, 'POST')).status).toBe(401);
    expect((await get('/mcp', { authorization: `Bearer ${server.token}`, origin: 'http://evil.example' }, 'POST')).status).toBe(403);
    const ok = await get('/mcp', { authorization: `Bearer ${server.token}` }, 'POST');
    expect(ok).toMatchObject({ status: 200, body: '{"mcp":true}' });
    expect((await get('/mcp', { authorization: `Bearer ${server.token}` }, 'PUT')).status).toBe(405);
    expect(mcpSeen).toEqual(['POST']);
  });

  it('removes workbench.json on close', async () => {
    const other = await startWorkbenchServer({ core, rendererDir: renderer, dataDir: join(dir, 'data2') });
    expect(existsSync(join(dir, 'data2', 'workbench.json'))).toBe(true);
    await other.close();
    expect(existsSync(join(dir, 'data2', 'workbench.json'))).toBe(false);
  });
});

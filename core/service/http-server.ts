/**
 * Browser mode's HTTP server: the built renderer's static files, the JSON-RPC WebSocket at
 * `/rpc`, and (when given) the MCP Streamable HTTP endpoint at `/mcp`, on loopback only.
 *
 * Invariants (any other local process or web page is an attacker):
 * - it binds 127.0.0.1 (and is addressed as `localhost`, which passkeys need) and answers only
 *   requests whose Host is a loopback name with its port
 *   (DNS rebinding: a foreign site resolving its name to 127.0.0.1 sends its own Host);
 * - every route needs the per-launch token: `?token=` or the HttpOnly SameSite=Strict cookie set
 *   from it (pages and `/rpc`), or `Authorization: Bearer` (`/mcp`);
 * - `/rpc` also needs an `Origin` equal to the server's own origin (a cross-site WebSocket
 *   carries no CORS protection);
 * - the token is compared in constant time and never logged.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { dataDir as defaultDataDir } from './environment.ts';
import { createRpcSession, MAX_MESSAGE_BYTES, type RpcCore } from './rpc.ts';

export interface WorkbenchServerOptions {
  core: RpcCore;
  /** Default 0: a free port. */
  port?: number;
  /** The built renderer (`vite build`'s output). Default `dist/renderer` (relative to the working directory). */
  rendererDir?: string;
  /** MCP's Streamable HTTP transport, mounted at `/mcp` behind the bearer token. Default: none (`/mcp` is 404). */
  mcpHandler?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /** Where `workbench.json` (`{url, token, pid}`) is written; `false` writes none. Default `FLOWGATE_DATA` (or ~/.flowgate). */
  dataDir?: string | false;
  /** Fixed token (tests). Default: 32 random bytes, hex. */
  token?: string;
}

export interface WorkbenchServer {
  /** The address to open, with its token: `http://localhost:PORT/?token=…`. */
  url: string;
  /** The server's own origin, `http://localhost:PORT`. */
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Starts the workbench server; resolves once it listens. */
export async function startWorkbenchServer(options: WorkbenchServerOptions): Promise<WorkbenchServer> {
  const rendererDir = resolve(options.rendererDir ?? 'dist/renderer');
  const token = options.token ?? randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  let origin = '';
  let cookieName = 'flowgate_token';

  const tokenMatches = (candidate: string | undefined): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const hostAllowed = (host: string | undefined) => host !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`].includes(host.toLowerCase());
  const originAllowed = (value: string | undefined) => value !== undefined && [origin, `http://127.0.0.1:${port}`].includes(value.toLowerCase());
  /** 'ok', or why not: no credential at all (401) or a wrong one (403). */
  const pageAuth = (req: IncomingMessage, url: URL): 'query' | 'cookie' | 'missing' | 'wrong' => {
    const fromQuery = url.searchParams.get('token') ?? undefined;
    if (tokenMatches(fromQuery)) return 'query';
    const fromCookie = readCookie(req.headers.cookie, cookieName);
    if (tokenMatches(fromCookie)) return 'cookie';
    return fromQuery || fromCookie ? 'wrong' : 'missing';
  };
  const securityHeaders = (): Record<string, string> => ({
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      // Monaco and React Flow set inline styles.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "worker-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), payment=()',
  });
  const plain = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra });
    res.end(text + '\n');
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    const auth = pageAuth(req, url);
    if (auth === 'missing') return plain(res, 401, 'Flowgate: open the address `flowgate serve` printed (it carries the access token).');
    if (auth === 'wrong') return plain(res, 403, 'Flowgate: wrong token. Open the address this `flowgate serve` printed; tokens change at every launch.');
    const file = staticFile(rendererDir, url.pathname);
    if (!file) return plain(res, 404, 'not found');
    const isIndex = file.endsWith(`${sep}index.html`);
    const headers: Record<string, string> = {
      ...securityHeaders(),
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      // Vite's hashed assets never change; index.html (and anything unhashed) is always re-read.
      'cache-control': url.pathname.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
      'content-length': String(statSync(file).size),
    };
    if (auth === 'query' || isIndex) {
      // Assets (and reloads without ?token=) authenticate with this; per port, since cookies ignore ports.
      headers['set-cookie'] = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };

  const serveMcp = (req: IncomingMessage, res: ServerResponse): void => {
    const handler = options.mcpHandler;
    if (!handler) return plain(res, 404, 'not found');
    if (!['POST', 'GET', 'DELETE'].includes(req.method ?? '')) return plain(res, 405, 'method not allowed', { allow: 'POST, GET, DELETE' });
    // Browsers send Origin; a local MCP client does not. A page elsewhere must never reach /mcp.
    if (req.headers.origin !== undefined && !originAllowed(req.headers.origin)) return plain(res, 403, 'forbidden origin');
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (!bearer) return plain(res, 401, 'missing bearer token (Authorization: Bearer <token from workbench.json>)', { 'www-authenticate': 'Bearer' });
    if (!tokenMatches(bearer)) return plain(res, 403, 'wrong bearer token');
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        process.stderr.write(`flowgate: MCP request failed: ${error instanceof Error ? error.message : String(error)}\n`);
        if (!res.headersSent) plain(res, 500, 'internal error');
        else res.end();
      });
  };

  const server = createServer((req, res) => {
    if (!hostAllowed(req.headers.host)) return plain(res, 403, 'forbidden host');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/mcp') return serveMcp(req, res);
    if (url.pathname === '/rpc') return plain(res, 426, 'upgrade required', { upgrade: 'websocket' });
    serveStatic(req, res, url);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`);
    };
    if (!hostAllowed(req.headers.host)) return refuse(403, 'Forbidden');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/rpc') return refuse(404, 'Not Found');
    if (!originAllowed(req.headers.origin)) return refuse(403, 'Forbidden');
    const auth = pageAuth(req, url);
    if (auth === 'missing') return refuse(401, 'Unauthorized');
    if (auth === 'wrong') return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    // The Origin was checked at the upgrade: it is this server's own. Passkeys are bound to it.
    const session = createRpcSession(options.core, (message) => {
      if (ws.readyState === ws.OPEN) ws.send(message);
    }, { context: { origin: req.headers.origin?.toLowerCase() } });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      session.receive(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8'));
    });
    ws.on('close', () => session.close());
    ws.on('error', () => session.close());
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the workbench server has no TCP address');
  port = address.port;
  // Served as `localhost` (still bound to the loopback interface only): WebAuthn passkeys need a
  // domain as their relying-party id, and an IP address is none.
  origin = `http://localhost:${port}`;
  cookieName = `flowgate_token_${port}`;
  const url = `${origin}/?token=${token}`;

  const infoDir = options.dataDir === false ? undefined : (options.dataDir ?? defaultDataDir());
  const infoFile = infoDir ? join(infoDir, 'workbench.json') : undefined;
  if (infoDir && infoFile) writeInfo(infoDir, infoFile, { url, token, pid: process.pid });

  let closing: Promise<void> | undefined;
  return {
    url,
    origin,
    token,
    port,
    close() {
      closing ??= (async () => {
        if (infoFile) removeInfoIfOurs(infoFile, token);
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((r) => wss.close(() => r()));
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

/** The file under `root` a URL path names (`/` → index.html), or undefined (missing, a directory, or outside root). */
export function staticFile(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(root, relative);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function writeInfo(dir: string, file: string, info: { url: string; token: string; pid: number }): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** Removes workbench.json unless another server has replaced it since. */
function removeInfoIfOurs(file: string, token: string): void {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as { token?: string };
    if (info.token === token) rmSync(file, { force: true });
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}

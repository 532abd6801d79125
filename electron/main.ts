/**
 * The Electron shell's main process: one window showing the packaged renderer, and a relay
 * between it and the core child process (core-process.ts). Nothing else: the core owns every
 * decision, the shell only carries JSON-RPC text.
 *
 * Security (Electron's checklist): contextIsolation, sandbox, no nodeIntegration, webSecurity;
 * the renderer comes only from `app://flowgate/` (dist/renderer, no remote content: every
 * other request is cancelled); a strict CSP on every response; navigation, redirects, new
 * windows and <webview> refused; every permission denied; each IPC message's sender frame
 * must be our own page; the preload exposes named functions only.
 *
 * Built by scripts/start.ts (TypeScript's transpileModule) into out/electron/: main.js and
 * core-process.js as ES modules, preload.cjs as CommonJS (sandboxed preloads cannot be ESM).
 */
import { app, BrowserWindow, ipcMain, protocol, session, type IpcMainEvent, type WebContents } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { CoreProcess } from './core-process.ts';

/** out/electron/main.js → the repository root. */
const ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
const SCHEME = 'app';
const ORIGIN = `${SCHEME}://flowgate`;
const CHANNEL = 'flowgate:rpc';
const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

// Must run before `ready`: app:// behaves like a secure, standard origin (module workers, fetch).
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let mainWindow: BrowserWindow | undefined;
const core = new CoreProcess({
  root: ROOT,
  onMessage: (message) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(CHANNEL, message);
  },
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => mainWindow?.focus());
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => core.stop());
  app.whenReady().then(start, (error: unknown) => {
    process.stderr.write(`flowgate shell: ${String(error)}\n`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // No remote content: only our scheme (and the in-page data:/blob: URLs CSP allows) loads.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith(`${ORIGIN}/`) || details.url.startsWith('data:') || details.url.startsWith('blob:') || details.url.startsWith('devtools:');
    callback({ cancel: !allowed });
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP], 'X-Content-Type-Options': ['nosniff'] } });
  });
  protocol.handle(SCHEME, serveRenderer);
  ipcMain.on(CHANNEL, relayToCore);
  core.start();
  mainWindow = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Flowgate',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = undefined));
  await mainWindow.loadURL(`${ORIGIN}/index.html`);
}

/** app://flowgate/<path> → a file of dist/renderer, never outside it. */
async function serveRenderer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== 'flowgate' || request.method !== 'GET') return new Response('not found', { status: 404 });
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  const file = resolve(RENDERER_DIR, relative);
  if (!file.startsWith(RENDERER_DIR + sep) || relative.includes('\0')) return new Response('not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

/** The only IPC handler: JSON-RPC text from our own page's main frame, relayed to the core unchanged. */
function relayToCore(event: IpcMainEvent, message: unknown): void {
  const frame = event.senderFrame;
  const ours = mainWindow !== undefined && event.sender === mainWindow.webContents && frame !== null && frame === event.sender.mainFrame && frame.url.startsWith(`${ORIGIN}/`);
  if (!ours) {
    process.stderr.write(`flowgate shell: refused IPC from ${frame?.url ?? 'an unknown frame'}\n`);
    return;
  }
  if (typeof message !== 'string' || message.length > MAX_MESSAGE_CHARS) return;
  core.send(message);
}

/** Every web contents: no navigation away, no new windows, no <webview>. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * `flowgate serve [--port N] [--catalog demo|demo-v2|dir | --workspace <dir>] [--policy <name|file>] [--open|--no-open] [--stdio]`
 *
 * Browser mode: opens the runtime (the demo APIs start in-process for the demo catalog),
 * builds the renderer when it is missing or older than renderer/, serves it on 127.0.0.1
 * with a per-launch token, prints
 * `Flowgate workbench: <url>` as the only line on stdout, and stays up until SIGINT/SIGTERM.
 * MCP clients can reach the same core at `<origin>/mcp` with the token from workbench.json.
 *
 * `--stdio`: the Electron shell's mode — line-delimited JSON-RPC on stdin/stdout, no HTTP.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CoreService } from '../service/core-service.ts';
import { resolveChoice } from '../service/environment.ts';
import { startWorkbenchServer, type WorkbenchServer } from '../service/http-server.ts';
import { mcpHttpHandler } from '../service/mcp.ts';
import { openRuntime } from '../service/runtime.ts';
import { BadInput, DEFAULT_SERVED_POLICY, EXIT, policyOption } from './common.ts';
import type { ParsedCommand } from './spec.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');

export default async function serve({ values }: ParsedCommand): Promise<number> {
  const workspace = values.workspace as string | undefined;
  const catalog = values.catalog as string | undefined;
  const policy = values.policy as string | undefined;
  if (values.stdio) {
    const { serveStdio } = await import('./core-stdio.ts');
    return serveStdio({ catalog, workspace, policy });
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadInput(`--port: expected a port number, got "${values.port}"`);

  ensureRenderer({ log: (line) => process.stderr.write(line + '\n'), ifStale: true });
  const choice = await resolveChoice({ workspace, catalog });
  // The policy MCP clients over HTTP (`/mcp`) submit under: --policy, else the workspace's.
  const policyName = policyOption(policy, choice, DEFAULT_SERVED_POLICY);
  const runtime = await openRuntime({ catalog: choice });
  const core = new CoreService(runtime);
  const restored = await core.restorePending();
  if (restored) process.stderr.write(`Flowgate: ${restored} submission(s) left waiting by an earlier core are back in the inbox.\n`);
  let server: WorkbenchServer | undefined;
  core.policy({ name: policyName }); // a bad --policy fails here, before anything listens
  const mcp = mcpHttpHandler(core, { workbenchUrl: () => server?.origin, policy: { name: policyName } });
  try {
    server = await startWorkbenchServer({ core, port, rendererDir: RENDERER_DIR, mcpHandler: mcp });
  } catch (error) {
    await runtime.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new BadInput(`port ${port} is in use: choose another with --port, or --port 0 for any free port`);
    throw error;
  }
  process.stdout.write(`Flowgate workbench: ${server.url}\n`);
  process.stderr.write(`Open that address in a browser (the token in it is this launch's key). MCP: ${server.origin}/mcp with the bearer token in ${join(runtime.dataDir, 'workbench.json')}. Ctrl-C stops.\n`);
  if (values.open || (!values['no-open'] && process.stdout.isTTY && !process.env.CI)) openBrowser(server.url);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stderr.write('Flowgate: stopping…\n');
  await mcp.close();
  await server.close();
  await runtime.close();
  return EXIT.ok;
}

/**
 * Builds the renderer with the local Vite when `dist/renderer/index.html` is missing or, with
 * `ifStale`, older than a file under `renderer/`. Returns whether it built. Throws when the
 * build fails (the message says what to run by hand).
 */
export function ensureRenderer(options: { log: (line: string) => void; ifStale?: boolean; force?: boolean }): boolean {
  const index = join(RENDERER_DIR, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : undefined;
  const stale = built !== undefined && options.ifStale && newestMtime(join(ROOT, 'renderer')) > built;
  if (built !== undefined && !stale && !options.force) return false;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new BadInput('the workbench UI is not built and Vite is missing: run npm install first');
  options.log(built === undefined ? 'Building the workbench UI (first run, about a minute)…' : 'Rebuilding the workbench UI (renderer/ changed)…');
  // Vite's chatter goes to stderr: stdout carries only the workbench line (tools read it).
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0 || !existsSync(index)) throw new BadInput('building the workbench UI failed (see above); run `npm run build:renderer` to retry');
  options.log('Built the workbench UI into dist/renderer.');
  return true;
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Best effort: the platform's opener; a machine without one just shows the printed URL. */
function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  void import('node:child_process').then(({ spawn }) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  });
}

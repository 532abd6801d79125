/**
 * `flowgate mcp [--policy <name|file>] [--catalog demo | --workspace <dir>] [--port N] [--approval-timeout 45s]`: an MCP
 * server on stdio with the tools `search_docs`, `execute_code` and `get_result`. The same process serves the
 * workbench on loopback so a human can approve what the agent submits; its address goes to
 * stderr, because stdout belongs to MCP.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadPolicy, parseDuration, resolvePolicyFile } from '../policy/index.ts';
import { CoreService } from '../service/core-service.ts';
import { dataDir, resolveChoice } from '../service/environment.ts';
import { startWorkbenchServer } from '../service/http-server.ts';
import { createMcpServer, mcpHttpHandler, MCP_DEFAULTS, stripToken, type McpOptions } from '../service/mcp.ts';
import { connectRemoteCore, runningWorkbench, type CoreClient } from '../service/remote-core.ts';
import type { PolicyRef } from '../service/protocol.ts';
import { openRuntime } from '../service/runtime.ts';
import { BadInput, DEFAULT_SERVED_POLICY, EXIT, policyOption } from './common.ts';
import type { ParsedCommand } from './spec.ts';
import { RENDERER_DIR } from './serve.ts';

export { mcpHttpHandler, type McpHttpHandler } from '../service/mcp.ts';

/** How long to wait for a running workbench (its process is alive) to answer before starting a core of its own. */
const ATTACH_TIMEOUT_MS = 30_000;

export default async function mcp({ values }: ParsedCommand): Promise<number> {
  const workspace = values.workspace as string | undefined;
  const catalogOption = values.catalog as string | undefined;
  // The catalog (and with a workspace, its default policy) first: a bad workspace fails at start.
  const attachable = values['no-attach'] ? undefined : runningWorkbench(dataDir());
  const catalog = attachable && workspace === undefined && catalogOption === undefined ? undefined : await resolveChoice({ workspace, catalog: catalogOption });
  const policy = policyRef(policyOption(values.policy as string | undefined, catalog ?? {}, DEFAULT_SERVED_POLICY));
  const approvalTimeoutMs = durationOption('--approval-timeout', values['approval-timeout'] as string | undefined) ?? MCP_DEFAULTS.approvalTimeoutMs;
  const port = portOption(values.port as string | undefined);

  // A workbench already running on this data directory (`npm start`, `flowgate serve`): attach
  // to it, so what the agent submits waits in the inbox the reviewer has open.
  const running = attachable;
  if (running) {
    // Its process is alive, so it is worth waiting for: a busy machine can take seconds to answer.
    const remote = await connectRemoteCore(running.url, running.token, ATTACH_TIMEOUT_MS).catch((error: Error) => {
      log(`flowgate mcp: the workbench in ${dataDir()} did not answer (${error.message}); starting a core of its own`);
      return undefined;
    });
    if (remote) {
      log(`flowgate mcp: attached to the workbench at ${stripToken(running.url)} (policy ${'name' in policy ? policy.name : 'edited'}); approve submissions there`);
      if (values.catalog || values.workspace) log('flowgate mcp: --catalog and --workspace are ignored: the running workbench\'s catalog applies');
      await serveStdio(remote, { policy, approvalTimeoutMs, workbenchUrl: running.url });
      await remote.close();
      return EXIT.ok;
    }
  }

  const choice = catalog ?? (await resolveChoice({ workspace, catalog: catalogOption }));
  const runtime = await openRuntime({ catalog: choice });
  const core = new CoreService(runtime);
  const restored = await core.restorePending();
  if (restored) process.stderr.write(`Flowgate: ${restored} submission(s) left waiting by an earlier core are back in the inbox.\n`);
  // The workbench starts after the HTTP handler it mounts; progress messages read its address late.
  const address: { url?: string } = {};
  const options: McpOptions = { policy, approvalTimeoutMs, workbenchUrl: () => address.url };
  const http = mcpHttpHandler(core, options);
  let workbench: Awaited<ReturnType<typeof startWorkbenchServer>> | undefined;
  if (!values['no-workbench']) {
    try {
      workbench = await startWorkbenchServer({ core, port, rendererDir: RENDERER_DIR, mcpHandler: http, dataDir: runtime.dataDir });
    } catch (error) {
      await runtime.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new BadInput(`--port ${port}: the port is in use; choose another, or leave --port out for a free one`);
      throw error;
    }
  }
  address.url = workbench?.origin;
  log(`flowgate mcp: policy ${'name' in policy ? policy.name : 'edited'}, catalog ${choice.name}, data ${runtime.dataDir}`);
  if (workbench) {
    log(`flowgate mcp: approve submissions in the workbench: ${workbench.url}`);
    // Building the UI takes about a minute: too long for an MCP client waiting for initialize.
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) log('flowgate mcp: the workbench UI is not built yet: run `npm run build:renderer` (or `npx flowgate serve` once) in the Flowgate folder');
  } else {
    log('flowgate mcp: no workbench (--no-workbench): submissions that need approval wait until the deadline, then are denied');
  }

  await serveStdio(core, options);
  await http.close();
  await workbench?.close().catch(() => undefined);
  await runtime.close();
  return EXIT.ok;
}

/** Serves MCP on stdio over `core` until the client goes away or a signal comes. */
async function serveStdio(core: CoreClient, options: McpOptions): Promise<void> {
  const server = createMcpServer(core, options);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close().catch(() => undefined);
}

/** A policy name, or a file path made absolute (the log then says which file). Loaded once here so a bad policy fails at start. */
function policyRef(nameOrPath: string): PolicyRef {
  loadPolicy(nameOrPath);
  const isName = !/[/\\]/.test(nameOrPath) && !/\.json$/i.test(nameOrPath);
  return { name: isName ? nameOrPath : (resolvePolicyFile(nameOrPath) ?? nameOrPath) };
}

function durationOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch (error) {
    throw new BadInput(`${flag}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadInput(`--port: "${value}" is not a port number (0–65535)`);
  return port;
}

function log(line: string): void {
  process.stderr.write(line + '\n');
}

/**
 * `flowgate mcp [--policy seed] [--catalog demo] [--port N] [--approval-timeout 10m]`: an MCP
 * server on stdio with the tools `search_docs` and `execute_code`. The same process serves the
 * workbench on loopback so a human can approve what the agent submits; its address goes to
 * stderr, because stdout belongs to MCP.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadPolicy, parseDuration, resolvePolicyFile } from '../policy/index.ts';
import { CoreService } from '../service/core-service.ts';
import { resolveCatalog } from '../service/environment.ts';
import { createMcpServer, mcpHttpHandler, MCP_DEFAULTS, type McpHttpHandler, type McpOptions } from '../service/mcp.ts';
import type { PolicyRef } from '../service/protocol.ts';
import { openRuntime } from '../service/runtime.ts';
import { BadInput, EXIT } from './common.ts';

export { mcpHttpHandler, type McpHttpHandler } from '../service/mcp.ts';

/** What `core/service/http-server.ts` provides (browser mode); loaded only when present. */
interface WorkbenchServerModule {
  startWorkbenchServer(options: { core: CoreService; port?: number; mcpHandler?: McpHttpHandler }): Promise<{ url: string; token: string; close(): Promise<void> }>;
}

const WORKBENCH_MODULE = new URL('../service/http-server.ts', import.meta.url);

export default async function mcp(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      policy: { type: 'string', default: 'seed' },
      catalog: { type: 'string' },
      port: { type: 'string' },
      'approval-timeout': { type: 'string' },
      'no-workbench': { type: 'boolean', default: false },
    },
  });
  const policy = policyRef(values.policy);
  const approvalTimeoutMs = durationOption('--approval-timeout', values['approval-timeout']) ?? MCP_DEFAULTS.approvalTimeoutMs;
  const port = portOption(values.port);
  const catalog = await resolveCatalog(values.catalog);

  const runtime = await openRuntime({ catalog });
  const core = new CoreService(runtime);
  // The workbench starts after the HTTP handler it mounts; progress messages read its address late.
  const address: { url?: string } = {};
  const options: McpOptions = { policy, approvalTimeoutMs, workbenchUrl: () => address.url };
  const http = mcpHttpHandler(core, options);
  const workbench = values['no-workbench'] ? undefined : await startWorkbench(core, port, http);
  address.url = workbench?.url;
  log(`flowgate mcp: policy ${'name' in policy ? policy.name : 'edited'}, catalog ${catalog.name}, data ${runtime.dataDir}`);
  if (workbench) log(`flowgate mcp: approve submissions in the workbench: ${workbench.url}`);
  else if (!values['no-workbench']) log('flowgate mcp: the workbench server is not available in this build; submissions that need approval wait until the deadline');

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
  await http.close();
  await workbench?.close().catch(() => undefined);
  await runtime.close();
  return EXIT.ok;
}

/** Starts the browser-mode workbench on loopback when that part of Flowgate is present. */
async function startWorkbench(core: CoreService, port: number | undefined, mcpHandler: McpHttpHandler) {
  if (!existsSync(WORKBENCH_MODULE)) return undefined;
  const module = (await import(WORKBENCH_MODULE.href)) as WorkbenchServerModule;
  return module.startWorkbenchServer({ core, port, mcpHandler });
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

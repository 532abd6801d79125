/**
 * The core's long-lived parts for one process: the catalog, the demo servers when the catalog
 * is the demo (started in-process), the HTTP transport holding the credentials, and the audit
 * log in the data directory. The composition root of everything that runs programs.
 */
import { AuditLog } from '../audit/store.ts';
import { Redactor } from '../audit/redact.ts';
import { startDemo, type DemoHandle } from '../demo/index.ts';
import { createHttpTransport } from '../sandbox/http-transport.ts';
import type { Transport } from '../sandbox/types.ts';
import { GuestIsolate } from '../sandbox/isolate.ts';
import { AtRestStore } from '../sandbox/at-rest.ts';
import { dataDir, type CatalogChoice } from './environment.ts';
import { WorkspaceAuth, workspaceServiceOf } from '../workspace/auth.ts';
import { join } from 'node:path';

export interface Runtime {
  catalog: CatalogChoice;
  transport: Transport;
  audit: AuditLog;
  /** Labels at rest: what runs wrote, carried into every later read (shared through the data directory). */
  atRest: AtRestStore;
  demo?: DemoHandle;
  dataDir: string;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  catalog: CatalogChoice;
  /** Default: `dataDir()`. */
  dataDir?: string;
  /** Demo servers' artificial latency per request (benchmarks). */
  demoLatencyMs?: number;
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dir = options.dataDir ?? dataDir();
  const audit = AuditLog.openDir(dir, { redactor: new Redactor({ redactLabels: [] }) });
  let demo: DemoHandle | undefined;
  try {
    if (options.catalog.demo) {
      demo = await startDemo({ latencyMs: options.demoLatencyMs, requestLogFile: join(dir, 'demo-requests.jsonl') });
    }
  } catch (error) {
    await audit.close();
    throw error;
  }
  // A workspace's credentials stay here, on the host: the transport asks for them per request.
  const workspace = options.catalog.workspace;
  const auth = workspace ? new WorkspaceAuth(workspace, options.catalog.catalog) : undefined;
  const baseUrls: Record<string, string> = {};
  for (const service of options.catalog.catalog.services) {
    const entry = workspace ? workspaceServiceOf(workspace, options.catalog.catalog, service.name) : undefined;
    if (entry?.baseUrl) baseUrls[service.name] = entry.baseUrl;
  }
  const transport = createHttpTransport({
    hostMap: demo?.hostMap,
    credentials: demo?.credentials,
    baseUrls,
    authorize: auth ? (op) => auth.authorize(op) : undefined,
    secrets: auth ? () => auth.secrets() : undefined,
  });
  return {
    catalog: options.catalog,
    transport,
    audit,
    atRest: AtRestStore.inDir(dir),
    demo,
    dataDir: dir,
    async close() {
      await GuestIsolate.releaseSpare();
      await demo?.close();
      await audit.close();
    },
  };
}

/**
 * The core's long-lived parts for one process: the catalog, the demo servers when the catalog
 * is the demo (started in-process), the HTTP transport holding the credentials, and the audit
 * log in the data directory. The composition root of everything that runs programs.
 *
 * The catalog can change while the core runs (the workbench switches workspaces): `use`
 * makes another catalog current. The transport stays one object and sends each operation
 * with the base URL and credentials of the catalog it belongs to, so a submission made before
 * a switch still runs against its own APIs.
 */
import { AuditLog } from '../audit/store.ts';
import { Redactor } from '../audit/redact.ts';
import type { Operation } from '../catalog/types.ts';
import { startDemo, type DemoHandle } from '../demo/index.ts';
import { createHttpTransport } from '../sandbox/http-transport.ts';
import type { Transport } from '../sandbox/types.ts';
import { GuestIsolate } from '../sandbox/isolate.ts';
import { AtRestStore } from '../sandbox/at-rest.ts';
import { dataDir, type CatalogChoice } from './environment.ts';
import { WorkspaceAuth, workspaceServiceOf } from '../workspace/auth.ts';
import { join } from 'node:path';

export interface Runtime {
  /** The current catalog (see `use`). */
  catalog: CatalogChoice;
  transport: Transport;
  audit: AuditLog;
  /** Labels at rest: what runs wrote, carried into every later read (shared through the data directory). */
  atRest: AtRestStore;
  demo?: DemoHandle;
  dataDir: string;
  /** Makes `choice` the current catalog (starting the demo servers if it is the demo's). */
  use(choice: CatalogChoice): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  catalog: CatalogChoice;
  /** Default: `dataDir()`. */
  dataDir?: string;
  /** Demo servers' artificial latency per request (benchmarks). */
  demoLatencyMs?: number;
}

/** The transport for one catalog: the demo's loopback servers, or a workspace's base URLs and credentials. */
function transportOf(choice: CatalogChoice, demo: DemoHandle | undefined): Transport {
  // A workspace's credentials stay here, on the host: the transport asks for them per request.
  const workspace = choice.workspace;
  const auth = workspace ? new WorkspaceAuth(workspace, choice.catalog) : undefined;
  const baseUrls: Record<string, string> = {};
  for (const service of choice.catalog.services) {
    const entry = workspace ? workspaceServiceOf(workspace, choice.catalog, service.name) : undefined;
    if (entry?.baseUrl) baseUrls[service.name] = entry.baseUrl;
  }
  return createHttpTransport({
    hostMap: choice.demo ? demo?.hostMap : undefined,
    credentials: choice.demo ? demo?.credentials : undefined,
    baseUrls,
    authorize: auth ? (op) => auth.authorize(op) : undefined,
    secrets: auth ? () => auth.secrets() : undefined,
  });
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dir = options.dataDir ?? dataDir();
  const audit = AuditLog.openDir(dir, { redactor: new Redactor({ redactLabels: [] }) });
  let demo: DemoHandle | undefined;
  const startDemoOnce = async (): Promise<DemoHandle> => {
    // FLOWGATE_DEMO_RECEIVED_LOG: the demo company's own log of what it received, in clear (for
    // tests that look for leaks across processes); never set it to a file in the data directory.
    demo ??= await startDemo({ latencyMs: options.demoLatencyMs, requestLogFile: join(dir, 'demo-requests.jsonl'), receivedLogFile: process.env.FLOWGATE_DEMO_RECEIVED_LOG || undefined });
    return demo;
  };
  try {
    if (options.catalog.demo) await startDemoOnce();
  } catch (error) {
    await audit.close();
    throw error;
  }
  const transports = new Map<CatalogChoice, Transport>();
  const transportFor = (choice: CatalogChoice): Transport => {
    let t = transports.get(choice);
    if (!t) transports.set(choice, (t = transportOf(choice, demo)));
    return t;
  };
  /** The catalog an operation object comes from (every catalog this core has used), else the current one. */
  const ownerOf = (op: Operation): CatalogChoice => {
    for (const choice of transports.keys()) if (choice.catalog.operations.get(op.id) === op) return choice;
    // A demo catalog loaded for one request (demo-v2) shares the demo's hosts and credentials.
    const demoChoice = [...transports.keys()].find((c) => c.demo);
    if (demoChoice?.catalog.services.some((s) => s.name === op.service && s.host === op.host)) return demoChoice;
    return runtime.catalog;
  };
  const runtime: Runtime = {
    catalog: options.catalog,
    transport: { call: (op, args, headers) => transportFor(ownerOf(op)).call(op, args, headers) },
    audit,
    atRest: AtRestStore.inDir(dir),
    get demo() {
      return demo;
    },
    dataDir: dir,
    async use(choice) {
      if (choice.demo) await startDemoOnce();
      transportFor(choice);
      runtime.catalog = choice;
    },
    async close() {
      await GuestIsolate.releaseSpare();
      await demo?.close();
      await audit.close();
    },
  };
  transportFor(options.catalog);
  return runtime;
}

/**
 * Where things are: the catalog a command names (`demo`, `demo-v2` or a directory), the
 * policy, and the data directory (`FLOWGATE_DATA`, default `~/.flowgate`).
 */
import { join } from 'node:path';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadWorkspaceCatalog } from '../workspace/catalog.ts';
import { findWorkspaceFile, loadWorkspace } from '../workspace/load.ts';
import type { Workspace } from '../workspace/types.ts';
import { dataDir } from './data-dir.ts';

export interface CatalogChoice {
  catalog: Catalog;
  /** The demo company's catalog: its servers are started in-process to run programs. */
  demo: boolean;
  /** `demo`, `demo-v2`, a directory of documents, or a workspace's name. */
  name: string;
  /** The workspace this catalog comes from (base URLs, credentials, default policy). */
  workspace?: Workspace;
}

const cache = new Map<string, Promise<Catalog>>();

/** `demo` (default), `demo-v2` (billing v2: schema drift) or a directory / file of OpenAPI documents. */
export async function resolveCatalog(option: string | undefined): Promise<CatalogChoice> {
  const name = option ?? 'demo';
  const demoVersion = name === 'demo' ? 1 : name === 'demo-v2' ? 2 : undefined;
  const source = demoVersion ? demoCatalogFiles(demoVersion) : name;
  let loading = cache.get(name);
  if (!loading) {
    loading = loadCatalog(source, { cacheDir: demoVersion ? undefined : catalogCacheDir() });
    cache.set(name, loading);
    loading.catch(() => cache.delete(name));
  }
  return { catalog: await loading, demo: demoVersion !== undefined, name };
}

/** Flowgate's state directory: `FLOWGATE_DATA` or `~/.flowgate` (data-dir.ts, which loads nothing else). */
export { dataDir };

/** Where parsed catalogs are cached by content hash: `<data dir>/cache/catalog`. */
export function catalogCacheDir(): string {
  return join(dataDir(), 'cache', 'catalog');
}

/** Loads the workspace in `dir` (a directory with flowgate.json|yaml, or the file) and its catalog. */
export async function resolveWorkspace(dir: string): Promise<CatalogChoice> {
  const workspace = loadWorkspace(dir);
  const catalog = await loadWorkspaceCatalog(workspace, { cacheDir: catalogCacheDir() });
  return { catalog, demo: false, name: workspace.name, workspace };
}

/**
 * The catalog a command serves: `--workspace <dir>`, else `--catalog <demo|demo-v2|dir>`, else
 * `FLOWGATE_WORKSPACE` (how `npm start -- --workspace <dir>` reaches the Electron shell's core),
 * else the current directory's workspace (`flowgate.json`, `flowgate.yaml`) when there is one,
 * else the demo company.
 */
export async function resolveChoice(options: { workspace?: string; catalog?: string; cwd?: string }): Promise<CatalogChoice> {
  if (options.workspace !== undefined) return resolveWorkspace(options.workspace);
  if (options.catalog !== undefined) return resolveCatalog(options.catalog);
  if (process.env.FLOWGATE_WORKSPACE) return resolveWorkspace(process.env.FLOWGATE_WORKSPACE);
  const here = findWorkspaceFile(options.cwd ?? process.cwd());
  return here ? resolveWorkspace(here) : resolveCatalog('demo');
}

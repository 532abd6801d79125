/**
 * Where things are: the catalog a command names (`demo`, `demo-v2` or a directory), the
 * policy, and the data directory (`FLOWGATE_DATA`, default `~/.flowgate`).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';

export interface CatalogChoice {
  catalog: Catalog;
  /** The demo company's catalog: its servers are started in-process to run programs. */
  demo: boolean;
  name: string;
}

const cache = new Map<string, Promise<Catalog>>();

/** `demo` (default), `demo-v2` (billing v2: schema drift) or a directory / file of OpenAPI documents. */
export async function resolveCatalog(option: string | undefined): Promise<CatalogChoice> {
  const name = option ?? 'demo';
  const demoVersion = name === 'demo' ? 1 : name === 'demo-v2' ? 2 : undefined;
  const source = demoVersion ? demoCatalogFiles(demoVersion) : name;
  let loading = cache.get(name);
  if (!loading) {
    loading = loadCatalog(source);
    cache.set(name, loading);
    loading.catch(() => cache.delete(name));
  }
  return { catalog: await loading, demo: demoVersion !== undefined, name };
}

/** Flowgate's state directory: `FLOWGATE_DATA` or `~/.flowgate`. */
export function dataDir(): string {
  return process.env.FLOWGATE_DATA || join(homedir(), '.flowgate');
}

/**
 * The policy and catalog a command names, through the start-up cache (cache.ts): validating
 * the demo's OpenAPI documents and compiling the policy schema cost more than the rest of a
 * `check`, and their results only change when the documents, the policy or the code do.
 * A cache miss does exactly what the core does (`loadPolicy`, `resolveCatalog`) and keeps the result.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Policy } from '../policy/types.ts';
import type { CatalogChoice } from '../service/environment.ts';
import { findWorkspaceFile } from '../workspace/find.ts';
import { cacheGet, cachePut, type CacheKey } from './cache.ts';

/** Code that turns documents into a catalog; the demo's documents count as code here. */
const CATALOG_CODE = ['core/catalog', 'core/demo/openapi', 'core/demo/openapi-v2', 'core/demo/index.ts', 'core/service/environment.ts', 'core/cli/load.ts'];
const POLICY_CODE = ['core/policy', 'policies/policy.schema.json'];
/** Catalog folders larger than this are loaded without the cache (hashing them would cost more than it saves). */
const MAX_CACHED_CATALOG_BYTES = 16 * 1024 * 1024;

/** A policy by name or path, validated; the same result (and the same errors) as `loadPolicy`. */
export async function policyFor(nameOrPath: string): Promise<Policy> {
  const { loadPolicy, resolvePolicyFile } = await import('../policy/load.ts');
  const path = resolvePolicyFile(nameOrPath);
  let text: string | undefined;
  try {
    text = path === undefined ? undefined : readFileSync(path, 'utf8');
  } catch {
    text = undefined; // loadPolicy says why
  }
  if (path === undefined || text === undefined) return loadPolicy(nameOrPath);
  const key: CacheKey = { kind: 'policy', inputs: [nameOrPath, path, process.cwd(), text], code: POLICY_CODE };
  const cached = cacheGet<Policy>(key);
  if (cached) return cached;
  const policy = loadPolicy(nameOrPath);
  cachePut(key, policy);
  return policy;
}

/**
 * The catalog a command serves (`--workspace`, `--catalog`, `FLOWGATE_WORKSPACE`, `./flowgate.json`,
 * else the demo: `resolveChoice`'s order). A workspace is loaded as it is every time (its catalog
 * has a cache of its own, and its credentials are nobody's to copy); a plain catalog, the demo's
 * included, comes through the start-up cache.
 */
export async function choiceFor(options: { workspace?: string; catalog?: string }): Promise<CatalogChoice> {
  const workspace = options.workspace !== undefined || (options.catalog === undefined && (process.env.FLOWGATE_WORKSPACE || findWorkspaceFile(process.cwd())));
  const key = workspace ? undefined : catalogKey(options.catalog);
  const cached = key && cacheGet<CatalogChoice>(key);
  if (cached) return cached;
  const { resolveChoice } = await import('../service/environment.ts');
  const choice = await resolveChoice(workspace ? options : { catalog: options.catalog ?? 'demo' });
  if (key) cachePut(key, choice);
  return choice;
}

/**
 * The demo catalogs are keyed by name (their documents are part of the code stamp); a folder
 * or file by the contents of every file in it. Documents with a `$ref` to another file are not
 * cached: the referenced file would be missing from the key.
 */
function catalogKey(option: string | undefined): CacheKey | undefined {
  const name = option ?? 'demo';
  if (name === 'demo' || name === 'demo-v2') return { kind: 'catalog', inputs: [name], code: CATALOG_CODE };
  const path = resolve(name);
  let files: string[];
  try {
    files = statSync(path).isDirectory() ? readdirSync(path).sort().map((f) => join(path, f)) : [path];
  } catch {
    return undefined; // resolveCatalog says why
  }
  const inputs: string[] = [name, path];
  let bytes = 0;
  for (const file of files) {
    let text: string;
    try {
      if (!statSync(file).isFile()) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    bytes += text.length;
    if (bytes > MAX_CACHED_CATALOG_BYTES || /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"']/.test(text)) return undefined;
    inputs.push(file, text);
  }
  return { kind: 'catalog', inputs, code: CATALOG_CODE };
}

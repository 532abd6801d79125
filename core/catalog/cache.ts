/**
 * A parsed service cached on disk by content hash, so a second load of a large document
 * (GitHub's 13 MB, 1,223 operations) skips parsing, validation and mapping.
 *
 * In memory, schemas are shared graphs (a component schema used by 200 operations is one
 * object); written as JSON they would be copied at every use. The cached form therefore keeps
 * each component schema once, in `schemas`, and every other use becomes a name reference
 * (`{"x-flowgate-type": "Name"}`), which everything reading the catalog already follows.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSchema, Service } from './types.ts';
import { TYPE_NAME } from './schema.ts';

/** Changes whenever the mapping or the cached form changes, so old entries are never read. */
export const CATALOG_CACHE_VERSION = 'flowgate-catalog-2';

/** The hash naming a cache entry: the version, the options, and every input file's bytes, in order. */
export function cacheKey(options: unknown, inputs: ReadonlyArray<Buffer | string>): string {
  const hash = createHash('sha256').update(CATALOG_CACHE_VERSION).update('\0').update(JSON.stringify(options ?? null));
  for (const input of inputs) hash.update('\0').update(input);
  return hash.digest('hex');
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems'];
const SCHEMA_SINGLES = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'];

/** A copy of `schema` in which every named schema known to `names` (other than `keep`) is a name reference. */
function compact(schema: JsonSchema, names: ReadonlySet<string>, keep?: JsonSchema): JsonSchema {
  const name = schema[TYPE_NAME];
  if (schema !== keep && typeof name === 'string' && names.has(name)) return { [TYPE_NAME]: name };
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.includes(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v && typeof v === 'object' ? compact(v as JsonSchema, names) : v]));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => (v && typeof v === 'object' ? compact(v as JsonSchema, names) : v));
    } else if (SCHEMA_SINGLES.includes(key) && value && typeof value === 'object') {
      out[key] = compact(value as JsonSchema, names);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The service in its cached form (see the file comment). */
export function compactService(service: Service): Service {
  const names = new Set(Object.keys(service.schemas ?? {}));
  const schemas = Object.fromEntries(Object.entries(service.schemas ?? {}).map(([n, s]) => [n, compact(s, names, s)]));
  const operations = service.operations.map((op) => {
    const params = op.params.map((p) => ({ ...p, schema: compact(p.schema, names) }));
    const properties = Object.fromEntries(params.map((p) => [p.name, p.schema]));
    const argsSchema = { ...op.argsSchema, properties };
    const copy = { ...op, params, argsSchema };
    if (op.responseSchema) copy.responseSchema = compact(op.responseSchema, names);
    return copy;
  });
  return { ...service, operations, schemas };
}

/** Reads a cached service, or undefined when there is none (or it cannot be read). */
export function readCachedService(dir: string, key: string): Service | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, `catalog-${key}.json`), 'utf8')) as Service;
  } catch {
    return undefined;
  }
}

/** Writes a service to the cache (atomically: a reader never sees half a file). Failures are ignored: the cache is only a cache. */
export function writeCachedService(dir: string, key: string, service: Service): void {
  try {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `catalog-${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(compactService(service)));
    renameSync(tmp, file);
  } catch {
    // A read-only or full disk costs the next load its speed, nothing else.
  }
}

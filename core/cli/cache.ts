/**
 * A small on-disk cache for what every command would otherwise redo at start-up (a validated
 * catalog, a validated policy, the TypeScript lib files without their comments).
 *
 * An entry's key is a SHA-256 over its inputs (the documents' and files' contents) and over the
 * code that computed it (size and mtime of each source file named, package-lock.json, Node's
 * version), so editing a document, a policy or Flowgate's own code misses the cache. Values are
 * stored with v8.serialize (cyclic schemas survive) and written atomically (temp file, rename):
 * two processes filling the same entry at once both succeed.
 *
 * Where: `FLOWGATE_CACHE`, else `node_modules/.cache/flowgate` in the repository. `FLOWGATE_CACHE=off`
 * turns it off. A cache that cannot be read or written is skipped silently: it only costs time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

export const ROOT = join(import.meta.dirname, '..', '..');
/** Entries of one kind kept at most; the oldest go first. */
const MAX_ENTRIES = 32;

/** The cache folder, or undefined when caching is off. */
export function cacheDir(): string | undefined {
  const configured = process.env.FLOWGATE_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  return configured || join(ROOT, 'node_modules', '.cache', 'flowgate');
}

export interface CacheKey {
  /** What is cached (`catalog`, `policy`): a file-name prefix. */
  kind: string;
  /** The inputs' contents (or anything else that determines the value). */
  inputs: Array<string | Uint8Array>;
  /** Source files and folders (relative to the repository) whose code computes the value. */
  code: string[];
}

/** Size and mtime of every file under each path: cheap, and changes whenever the code does. */
function codeStamp(paths: string[]): string {
  const parts: string[] = [process.version];
  for (const rel of [...paths, 'package-lock.json']) {
    const full = join(ROOT, rel);
    let entries: string[];
    try {
      entries = statSync(full).isDirectory() ? readdirSync(full, { recursive: true, encoding: 'utf8' }).sort().map((e) => join(full, e)) : [full];
    } catch {
      parts.push(`${rel}:missing`);
      continue;
    }
    for (const entry of entries) {
      try {
        const stat = statSync(entry);
        if (stat.isFile()) parts.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
      } catch {
        parts.push(`${entry}:gone`);
      }
    }
  }
  return parts.join('\n');
}

function entryPath(dir: string, key: CacheKey): string {
  const hash = createHash('sha256');
  hash.update(`${key.kind}\n${codeStamp(key.code)}\n`);
  for (const input of key.inputs) {
    hash.update(String(typeof input === 'string' ? input.length : input.byteLength) + ':');
    hash.update(input);
  }
  return join(dir, `${key.kind}-${hash.digest('hex').slice(0, 32)}.bin`);
}

/** The cached value, or undefined (not cached, unreadable, or caching off). */
export function cacheGet<T>(key: CacheKey): T | undefined {
  const dir = cacheDir();
  if (!dir) return undefined;
  try {
    return deserialize(readFileSync(entryPath(dir, key))) as T;
  } catch {
    return undefined;
  }
}

/** Stores a value; failures are ignored (a read-only install just runs uncached). */
export function cachePut(key: CacheKey, value: unknown): void {
  const dir = cacheDir();
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    const file = entryPath(dir, key);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, serialize(value));
    renameSync(temp, file);
    prune(dir, key.kind);
  } catch {
    // Caching is an optimisation only.
  }
}

function prune(dir: string, kind: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.bin'))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of entries.slice(MAX_ENTRIES)) unlinkSync(join(dir, f));
}

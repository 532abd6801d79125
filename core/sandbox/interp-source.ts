/**
 * The interpreter's code as the isolate loads it: every module of core/sandbox/interp with its
 * types stripped in place (Node's own `stripTypeScriptTypes`; no bundler, nothing generated on
 * disk). Read once per process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join, posix, relative } from 'node:path';

const ROOT = join(import.meta.dirname, 'interp');

/** The module the host evaluates; it imports the rest. */
export const ENTRY = 'entry.ts';

let cached: Map<string, string> | undefined;

/** Module path (relative to interp/, posix) → JavaScript. */
export function interpreterModules(): Map<string, string> {
  if (cached) return cached;
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const name = relative(ROOT, path).split('\\').join('/');
        out.set(name, stripTypeScriptTypes(readFileSync(path, 'utf8'), { mode: 'strip' }));
      }
    }
  };
  walk(ROOT);
  cached = out;
  return out;
}

/** Resolves an import specifier of module `from` (both relative to interp/). */
export function resolveModule(from: string, specifier: string): string {
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

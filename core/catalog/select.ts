/**
 * The declarations one program needs: the services it names, and of each only the operations
 * it calls by name, so type-checking a program against GitHub's 1,223 operations reads a few
 * hundred lines, not megabytes. Pure.
 *
 * Found by scanning the source for each service's name: `github.reposGet`, `github?.reposGet`
 * and `github['reposGet']` select one operation; any other use of the name (`const gh = github`,
 * `github[name]`) selects the whole service, so what the program can reach is always declared.
 * A name that is no operation selects nothing and the type checker reports it (with a
 * suggestion from the whole catalog, see core/analysis/diagnostics.ts).
 */
import type { Catalog } from './types.ts';
import { PRELUDE, renderDeclarations } from './declarations.ts';
import { docComment } from './ts-type.ts';

/** Catalogs up to this many operations are declared whole (the demo's 17): nothing to gain. */
export const SELECT_ABOVE_OPERATIONS = 200;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Service → the operation names the source calls on it, or `'all'` when it uses the service otherwise. */
export function servicesUsed(catalog: Catalog, source: string): Map<string, Set<string> | 'all'> {
  const used = new Map<string, Set<string> | 'all'>();
  for (const service of catalog.services) {
    const pattern = new RegExp(`(?<![\\w$.])${escapeRegExp(service.name)}(?![\\w$])`, 'g');
    for (const match of source.matchAll(pattern)) {
      const rest = source.slice(match.index + match[0].length, match.index + match[0].length + 200);
      const member = /^\s*\??\.\s*([A-Za-z_$][\w$]*)/.exec(rest) ?? /^\s*(?:\?\.)?\[\s*(['"`])([^'"`\\]+)\1\s*\]/.exec(rest);
      const name = member ? member[member.length - 1] : undefined;
      const current = used.get(service.name);
      if (current === 'all') continue;
      if (name === undefined) {
        used.set(service.name, 'all');
        continue;
      }
      const set = current ?? new Set<string>();
      set.add(name);
      used.set(service.name, set);
    }
  }
  return used;
}

/**
 * The declarations to type-check `source` against: the whole catalog's when it is small, else
 * the prelude, every operation the program names, and an (empty) object for a service it
 * names whose operations it does not (so an unknown operation is reported on the service).
 */
export function declarationsFor(catalog: Catalog, source: string): string {
  if (catalog.operations.size <= SELECT_ABOVE_OPERATIONS) return catalog.declarations;
  const used = servicesUsed(catalog, source);
  const ids: string[] = [];
  const empty: string[] = [];
  for (const service of catalog.services) {
    const names = used.get(service.name);
    if (names === undefined) continue;
    const ops = names === 'all' ? service.operations : service.operations.filter((op) => names.has(op.name));
    if (ops.length === 0) empty.push(service.name);
    ids.push(...ops.map((op) => op.id));
  }
  let out = ids.length ? renderDeclarations(catalog, ids) : PRELUDE;
  for (const name of empty) {
    const service = catalog.services.find((s) => s.name === name);
    out += `\n${docComment([`${service?.title || name} (${service?.host ?? ''}): ${service?.operations.length ?? 0} operations; search_docs finds them`], '')}declare const ${name}: {\n};\n`;
  }
  return out;
}

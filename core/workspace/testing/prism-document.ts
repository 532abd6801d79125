/**
 * What Prism is given for Stripe. Prism 5.16 does not finish starting on Stripe's full
 * document (checked: still "Starting Prism…" after 4 minutes on this machine, also with only
 * the customer paths and the 485 components they reach, whose expandable fields refer to each
 * other). So the test serves Prism the paths it calls with every `$ref` expanded in place down
 * to three levels and deeper ones left as plain objects: the same operations, parameters,
 * security and top-level response shapes as the vendor's document. Flowgate itself always loads
 * the full, untouched document.
 */
import { readFileSync, writeFileSync } from 'node:fs';

type Obj = Record<string, unknown>;

/** Writes to `out` a copy of the document at `file` with only `paths`, refs expanded to `depth` levels. */
export function writeShallowDocument(file: string, out: string, paths: string[], depth = 3): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Obj;
  const resolve = (ref: string): unknown => ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Obj)[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  const inline = (node: unknown, level: number): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((n) => inline(n, level));
    const ref = (node as Obj).$ref;
    if (typeof ref === 'string') return level >= depth ? { type: 'object' } : inline(resolve(ref), level + 1);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, level)]));
  };
  const components = (doc.components ?? {}) as Obj;
  const shallow: Obj = { ...doc, paths: {}, components: { securitySchemes: components.securitySchemes } };
  for (const p of paths) (shallow.paths as Obj)[p] = inline((doc.paths as Obj)[p], 0);
  writeFileSync(out, JSON.stringify(shallow));
}

/**
 * JSON Schema plumbing for the catalog: turning a document's (dereferenced) schemas into the
 * plain JSON Schema the catalog hands out, and finding the labels a response's fields carry.
 */
import type { FieldLabel, JsonSchema } from './types.ts';
import { LABELS } from './extensions.ts';

/**
 * Marks a schema that came from `components/schemas/<name>`, so declarations can give it a
 * name. A schema holding only this key is a reference to that named schema (what a circular
 * `$ref` becomes: schemas in the catalog are finite trees, safe to serialise).
 */
export const TYPE_NAME = 'x-flowgate-type';

const COMPONENT_REF = /^#\/components\/schemas\/([^/]+)$/;

/** What {@link normalizeSchema} needs to know about the document a schema comes from. */
export interface SchemaContext {
  /** Component schema object (by identity, after dereferencing) → its name. */
  names: Map<object, string>;
  /** Memo: source schema → normalised copy, so shared sub-schemas stay shared. */
  memo: Map<object, JsonSchema>;
  /** Schemas being normalised: meeting one again means a cycle, cut with a name reference. */
  inProgress: Set<object>;
  /** Whether `nullable: true` (OpenAPI 3.0) should become a `null` type. */
  openapi30: boolean;
}

/** The context for one dereferenced document. */
export function schemaContextOf(document: Record<string, unknown>): SchemaContext {
  const names = new Map<object, string>();
  const components = document.components as Record<string, unknown> | undefined;
  const schemas = (components?.schemas ?? {}) as Record<string, unknown>;
  for (const [name, schema] of Object.entries(schemas)) {
    if (schema && typeof schema === 'object' && !names.has(schema)) names.set(schema, name);
  }
  return { names, memo: new Map(), inProgress: new Set(), openapi30: String(document.openapi ?? '').startsWith('3.0') };
}

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems'];
const SCHEMA_SINGLES = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'];

/**
 * A plain JSON Schema (2020-12 flavour) copy of a dereferenced OpenAPI schema: `nullable`
 * folded into `type`, component schemas tagged with {@link TYPE_NAME}, and each cycle (a
 * recursive schema, or a `$ref` left in place) cut with a name-only reference, so the copy
 * is a finite tree that serialises as JSON.
 */
export function normalizeSchema(schema: unknown, ctx: SchemaContext): JsonSchema {
  if (schema === true || schema === undefined) return {};
  if (schema === false) return { not: {} };
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return {};
  const name = ctx.names.get(schema);
  if (ctx.inProgress.has(schema)) return name !== undefined ? { [TYPE_NAME]: name } : {};
  const cached = ctx.memo.get(schema);
  if (cached) return cached;
  const src = schema as Record<string, unknown>;
  const ref = typeof src.$ref === 'string' ? COMPONENT_REF.exec(src.$ref) : null;
  if (ref) return { [TYPE_NAME]: decodeURIComponent(ref[1]).replace(/~1/g, '/').replace(/~0/g, '~') };
  const out: JsonSchema = {};
  ctx.inProgress.add(schema);
  if (name !== undefined) out[TYPE_NAME] = name;
  for (const [key, value] of Object.entries(src)) {
    if (key === '$ref' || key === 'nullable' || key === TYPE_NAME) continue;
    // Vendor extensions and examples are not schemas: dereferenced, they can hold the document's
    // cycles (Stripe's `x-expansionResources`), and nothing downstream reads them.
    if ((key.startsWith('x-') && !key.startsWith('x-flowgate-')) || key === 'example' || key === 'examples') continue;
    if (SCHEMA_MAPS.includes(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeSchema(v, ctx)]));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => normalizeSchema(v, ctx));
    } else if (SCHEMA_SINGLES.includes(key) && (typeof value === 'object' || typeof value === 'boolean') && value !== null) {
      out[key] = typeof value === 'boolean' ? value : normalizeSchema(value, ctx);
    } else {
      out[key] = value;
    }
  }
  if (ctx.openapi30 && src.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    else if (out.type === undefined) {
      const copy = { ...out };
      delete copy[TYPE_NAME];
      for (const k of Object.keys(out)) if (k !== TYPE_NAME) delete out[k];
      out.anyOf = [copy, { type: 'null' }];
    }
  }
  ctx.inProgress.delete(schema);
  ctx.memo.set(schema, out);
  return out;
}

/** Whether a normalised schema is only a reference to a named schema. */
export function isNameReference(schema: JsonSchema): boolean {
  return typeof schema[TYPE_NAME] === 'string' && Object.keys(schema).length === 1;
}

/** `x-flowgate-labels` declared on this schema node itself. */
export function ownLabels(schema: JsonSchema): string[] {
  const v = schema[LABELS];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function children(schema: JsonSchema): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const key of SCHEMA_MAPS) {
    const m = schema[key];
    if (m && typeof m === 'object') out.push(...(Object.values(m) as JsonSchema[]));
  }
  for (const key of SCHEMA_LISTS) {
    const l = schema[key];
    if (Array.isArray(l)) out.push(...(l as JsonSchema[]));
  }
  for (const key of SCHEMA_SINGLES) {
    const s = schema[key];
    if (s && typeof s === 'object') out.push(s as JsonSchema);
  }
  return out;
}

/**
 * Labels reachable from each schema node, computed once per set of named schemas: a named
 * schema's labels are its own subtree's plus those of every named schema it refers to (a
 * fixpoint, so recursive schemas are exact), and an anonymous node's are found by walking it
 * down to the named schemas it meets. Memoised per node object: normalised schemas are shared.
 */
class LabelIndex {
  private readonly byName = new Map<string, string[]>();
  private readonly byNode = new WeakMap<JsonSchema, string[]>();
  private readonly defs: Map<string, JsonSchema>;

  constructor(defs: Map<string, JsonSchema>) {
    this.defs = defs;
    const own = new Map<string, Set<string>>();
    const refs = new Map<string, Set<string>>();
    for (const [name, def] of defs) {
      const labels = new Set<string>();
      const names = new Set<string>();
      localWalk(def, labels, names, true);
      own.set(name, labels);
      refs.set(name, names);
    }
    // Propagate along references until nothing changes (few rounds: labels are rare).
    const result = new Map([...own].map(([n, l]) => [n, new Set(l)]));
    for (let changed = true; changed;) {
      changed = false;
      for (const [name, targets] of refs) {
        const into = result.get(name) as Set<string>;
        for (const t of targets) {
          for (const l of result.get(t) ?? []) {
            if (!into.has(l)) {
              into.add(l);
              changed = true;
            }
          }
        }
      }
    }
    for (const [name, labels] of result) this.byName.set(name, [...labels]);
  }

  /** Every label declared anywhere inside `schema`. */
  labelsOf(schema: JsonSchema): string[] {
    const name = schema[TYPE_NAME];
    if (typeof name === 'string' && this.byName.has(name) && (isNameReference(schema) || this.defs.get(name) === schema)) return this.byName.get(name) as string[];
    const cached = this.byNode.get(schema);
    if (cached) return cached;
    const labels = new Set<string>();
    const names = new Set<string>();
    localWalk(schema, labels, names, true);
    for (const n of names) for (const l of this.byName.get(n) ?? []) labels.add(l);
    const out = [...labels];
    this.byNode.set(schema, out);
    return out;
  }
}

/** Own labels of `schema`'s anonymous part; the named schemas it meets go to `names`. */
function localWalk(schema: JsonSchema, labels: Set<string>, names: Set<string>, root: boolean, seen = new Set<JsonSchema>()): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const name = schema[TYPE_NAME];
  if (typeof name === 'string' && (!root || isNameReference(schema))) {
    names.add(name);
    if (isNameReference(schema)) return;
    return;
  }
  for (const l of ownLabels(schema)) labels.add(l);
  for (const c of children(schema)) localWalk(c, labels, names, false, seen);
}

const indexes = new WeakMap<Map<string, JsonSchema>, LabelIndex>();
function labelIndex(defs: Map<string, JsonSchema>): LabelIndex {
  let index = indexes.get(defs);
  if (!index) indexes.set(defs, (index = new LabelIndex(defs)));
  return index;
}

/** Every label declared anywhere inside `schema` (following name references through `defs`). */
export function subtreeLabels(schema: JsonSchema, defs: Map<string, JsonSchema>): string[] {
  return labelIndex(defs).labelsOf(schema);
}

/** Named schemas reachable from `schema` (their full definitions, not name references). */
export function collectDefinitions(schema: JsonSchema, into: Map<string, JsonSchema>, seen = new Set<JsonSchema>()): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const name = schema[TYPE_NAME];
  if (typeof name === 'string' && !isNameReference(schema) && !into.has(name)) into.set(name, schema);
  for (const c of children(schema)) collectDefinitions(c, into, seen);
}

/** How many schema nodes {@link fieldLabelsOf} visits for one response before it summarises. */
const FIELD_WALK_BUDGET = 5_000;
/** How deep a labelled field path may go before the value at that depth is labelled whole. */
const MAX_FIELD_DEPTH = 12;

/**
 * Field labels of a response schema. Each entry's labels are the field's own plus those of
 * labelled ancestor fields (the operation's labels are not repeated). Labels on the root are
 * returned separately (they are carried by the whole response). Where no property path can
 * name a value (map values under `additionalProperties`, recursive schemas), the labels found
 * below are attached to the nearest path that can: over-approximate, never lost.
 */
export function fieldLabelsOf(schema: JsonSchema, defs: Map<string, JsonSchema>): { root: string[]; fields: FieldLabel[] } {
  const byPath = new Map<string, FieldLabel>();
  const root = new Set<string>();
  const add = (path: string[], labels: Iterable<string>): void => {
    const list = [...labels];
    if (list.length === 0) return;
    if (path.length === 0) {
      for (const l of list) root.add(l);
      return;
    }
    const key = JSON.stringify(path);
    const entry = byPath.get(key) ?? { path, labels: [] };
    entry.labels = [...new Set([...entry.labels, ...list])];
    byPath.set(key, entry);
  };
  const stack = new Set<JsonSchema>();
  const names = new Set<string>();
  // The walk unfolds a graph into paths: without a bound, documents whose schemas nest many
  // shared alternatives (Stripe's expandable fields) have more paths than can ever be listed.
  let budget = FIELD_WALK_BUDGET;
  const walk = (s: JsonSchema, path: string[], inherited: string[]): void => {
    const name = typeof s[TYPE_NAME] === 'string' ? (s[TYPE_NAME] as string) : undefined;
    const below = subtreeLabels(s, defs);
    if (below.length === 0) return; // nothing labelled down there: inherited labels reach it through labelsAt
    if (--budget < 0 || path.length > MAX_FIELD_DEPTH) {
      // Past the bound, the whole value here carries everything below it: over-approximate, never lost.
      add(path, [...inherited, ...below]);
      return;
    }
    if (name !== undefined && isNameReference(s)) {
      const def = defs.get(name);
      if (def && !names.has(name)) walk(def, path, inherited);
      else if (def) {
        // Recursion: no finite set of paths names every field, so label the whole value here.
        const below = subtreeLabels(def, defs);
        if (below.length) add(path, [...inherited, ...below]);
      }
      return;
    }
    if (stack.has(s) || (name !== undefined && names.has(name))) {
      const below = subtreeLabels(s, defs);
      if (below.length) add(path, [...inherited, ...below]);
      return;
    }
    stack.add(s);
    if (name !== undefined) names.add(name);
    const own = ownLabels(s);
    const labels = own.length ? [...new Set([...inherited, ...own])] : inherited;
    if (own.length) add(path, labels);
    const props = s.properties;
    if (props && typeof props === 'object') {
      for (const [name, sub] of Object.entries(props as Record<string, JsonSchema>)) walk(sub, [...path, name], labels);
    }
    if (s.items && typeof s.items === 'object') walk(s.items as JsonSchema, [...path, '[]'], labels);
    if (Array.isArray(s.prefixItems)) for (const sub of s.prefixItems as JsonSchema[]) walk(sub, [...path, '[]'], labels);
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
      const list = s[key];
      if (Array.isArray(list)) for (const sub of list as JsonSchema[]) walk(sub, path, labels);
    }
    const opaque: JsonSchema[] = [];
    for (const key of ['additionalProperties', 'unevaluatedProperties', 'then', 'else']) {
      const sub = s[key];
      if (sub && typeof sub === 'object') opaque.push(sub as JsonSchema);
    }
    if (s.patternProperties && typeof s.patternProperties === 'object') opaque.push(...(Object.values(s.patternProperties) as JsonSchema[]));
    for (const sub of opaque) {
      const below = subtreeLabels(sub, defs);
      if (below.length) add(path, [...labels, ...below]);
    }
    stack.delete(s);
    if (name !== undefined) names.delete(name);
  };
  walk(schema, [], []);
  return { root: [...root], fields: [...byPath.values()] };
}

/**
 * Validating one parsed OpenAPI document and dereferencing its `$ref`s, with errors that name
 * the JSON pointer of the problem. Structure is validated by @apidevtools/swagger-parser; for
 * OpenAPI 3.1 it checks Schema Objects only as "object or boolean", so every schema is also
 * checked against the JSON Schema 2020-12 meta-schema here.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import { CatalogError } from './types.ts';
import { checkAllExtensions } from './extensions.ts';
import { childPointer, resolvePointer } from './pointer.ts';

type Obj = Record<string, unknown>;

let metaValidator: Ajv2020 | undefined;
function meta(): Ajv2020 {
  metaValidator ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  return metaValidator;
}

/**
 * Validates `raw` (as parsed from `file`, which is also the base for relative external
 * `$ref`s) and returns a dereferenced copy (recursive schemas become cyclic object graphs).
 */
export async function validateDocument(file: string, raw: unknown): Promise<Obj> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CatalogError(file, '', 'not an OpenAPI document (expected an object at the top level)');
  }
  const doc = raw as Obj;
  if (typeof doc.openapi !== 'string' || !/^3\.[01]\./.test(doc.openapi)) {
    throw new CatalogError(file, '/openapi', `not an OpenAPI 3.0/3.1 document (openapi: ${JSON.stringify(doc.openapi)})`);
  }
  checkAllExtensions(doc, file);
  checkLocalRefs(file, doc);
  let api: Obj;
  try {
    api = (await SwaggerParser.validate(file, structuredClone(doc) as never, { dereference: { circular: true } })) as unknown as Obj;
  } catch (err) {
    throw toCatalogError(file, doc, err);
  }
  if (doc.openapi.startsWith('3.1')) checkSchemas31(file, doc);
  return api;
}

/** Every `$ref` in the document with the pointer of the object holding it. */
function refSites(doc: unknown): Array<{ ref: string; pointer: string }> {
  const out: Array<{ ref: string; pointer: string }> = [];
  const path: Array<string | number> = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
      return;
    }
    for (const k in node) {
      const v = (node as Record<string, unknown>)[k];
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, pointer: childPointer('', ...path) });
      else if (k !== 'example' && k !== 'examples' && v !== null && typeof v === 'object') {
        path.push(k);
        walk(v);
        path.pop();
      }
    }
  };
  walk(doc);
  return out;
}

function checkLocalRefs(file: string, doc: Obj): void {
  for (const { ref, pointer } of refSites(doc)) {
    if (ref.startsWith('#') && resolvePointer(doc, ref) === undefined) {
      throw new CatalogError(file, childPointer(pointer, '$ref'), `unresolvable $ref "${ref}"`);
    }
  }
}

interface AjvLike { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }

const WEAK = new Set(['oneOf', 'anyOf', 'if', 'not', 'false schema', '$ref', 'then', 'else']);

/** The most specific of ajv's errors: deepest location, concrete keywords before combinators. */
export function bestAjvError(errors: readonly AjvLike[]): { pointer: string; message: string } {
  const score = (e: AjvLike): number =>
    e.instancePath.split('/').length * 10 + (WEAK.has(e.keyword) ? 0 : 3) - (e.params.missingProperty === '$ref' ? 5 : 0);
  const best = [...errors].sort((a, b) => score(b) - score(a))[0];
  if (!best) return { pointer: '', message: 'invalid document' };
  if (best.keyword === 'required') {
    const prop = String(best.params.missingProperty);
    return { pointer: childPointer(best.instancePath, prop), message: `missing required property "${prop}"` };
  }
  if (best.keyword === 'additionalProperties') {
    const prop = String(best.params.additionalProperty);
    return { pointer: childPointer(best.instancePath, prop), message: `unknown property "${prop}"` };
  }
  const allowed = Array.isArray(best.params.allowedValues) ? ` (${best.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})` : '';
  return { pointer: best.instancePath, message: `${best.message ?? best.keyword}${allowed}` };
}

function toCatalogError(file: string, doc: Obj, err: unknown): CatalogError {
  if (err instanceof CatalogError) return err;
  const e = err as { message?: string; details?: unknown; code?: string };
  if (Array.isArray(e.details)) {
    const { pointer, message } = bestAjvError(e.details as AjvLike[]);
    return new CatalogError(file, pointer, `invalid OpenAPI: ${message}`);
  }
  const message = String(e.message ?? err);
  if (typeof e.code === 'string' && /POINTER|RESOLVER|PARSER/.test(e.code)) {
    // A $ref the dereferencer could not follow: point at the first one not resolvable locally.
    const site = refSites(doc).find((s) => message.includes(s.ref) || !s.ref.startsWith('#'));
    return new CatalogError(file, site ? childPointer(site.pointer, '$ref') : '', `unresolvable $ref: ${message}`);
  }
  return new CatalogError(file, '', `invalid OpenAPI: ${message}`);
}

/** Checks every Schema Object of a 3.1 document against the JSON Schema 2020-12 meta-schema. */
function checkSchemas31(file: string, doc: Obj): void {
  const check = (schema: unknown, pointer: string): void => {
    if (typeof schema === 'boolean') return;
    if (!meta().validateSchema(schema as object)) {
      const { pointer: at, message } = bestAjvError((meta().errors ?? []) as ErrorObject[] as AjvLike[]);
      throw new CatalogError(file, pointer + at, `invalid schema: ${message}`);
    }
  };
  const walk = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, childPointer(pointer, i)));
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      const at = childPointer(pointer, k);
      if (k === 'example' || k === 'examples' || k.startsWith('x-')) continue;
      if (k === 'schema') check(v, at);
      else if (pointer === '/components' && k === 'schemas' && v && typeof v === 'object') {
        for (const [name, s] of Object.entries(v)) check(s, childPointer(at, name));
      } else walk(v, at);
    }
  };
  walk(doc, '');
}

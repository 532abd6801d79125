/**
 * An operation's arguments: path, query and header parameters and the request body's
 * properties, as the one object a program passes. Parameters that carry credentials are set
 * apart for the host. Pure.
 */
import { CatalogError } from './types.ts';
import type { CredentialParam, JsonSchema, Param, ParamLocation, SecurityScheme } from './types.ts';
import { DESTINATION, ROLE, parseDestination, parseRole } from './extensions.ts';
import { childPointer } from './pointer.ts';
import { normalizeSchema } from './schema.ts';
import type { SchemaContext } from './schema.ts';
import { isCredentialParam } from './security.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What {@link parseParams} needs from the document being mapped. */
export interface ParamContext {
  file: string;
  ctx: SchemaContext;
  schemes: Record<string, SecurityScheme>;
  /** Parameter names a workspace says carry credentials. */
  hidden: ReadonlySet<string>;
}

export interface ParsedParams {
  params: Param[];
  credentialParams: CredentialParam[];
  bodyEncoding?: 'json' | 'form';
}

/** `application/json`, `application/*+json`, `*\/*`-style JSON media types. */
export function isJsonMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0].trim().toLowerCase();
  return base === 'application/json' || /^application\/[\w.+-]*\+json$/.test(base);
}

/** `application/x-www-form-urlencoded` (Slack's and Stripe's request bodies). */
export function isFormMediaType(mediaType: string): boolean {
  return mediaType.split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** The operation's arguments (path-level parameters merged under the operation's own). */
export function parseParams(d: ParamContext, item: Obj, op: Obj, pointer: string, method: string): ParsedParams {
  const { file } = d;
  const merged = new Map<string, { p: Obj; at: string }>();
  const pathPointer = pointer.slice(0, pointer.lastIndexOf('/'));
  const collect = (list: unknown, at: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      if (isObj(p) && typeof p.name === 'string' && typeof p.in === 'string') merged.set(`${p.in}:${p.name}`, { p, at: childPointer(at, 'parameters', i) });
    });
  };
  collect(item.parameters, pathPointer);
  collect(op.parameters, pointer);

  const params: Param[] = [];
  const credentialParams: CredentialParam[] = [];
  const byName = new Map<string, string>();
  const addParam = (param: Param, at: string): void => {
    const prior = byName.get(param.name);
    if (prior !== undefined) {
      throw new CatalogError(file, at, `argument "${param.name}" is defined twice (also at ${prior}); programs pass all arguments in one object, so an overlay must remove or rename one`);
    }
    byName.set(param.name, at);
    params.push(param);
  };

  for (const { p, at } of merged.values()) {
    const location = p.in as string;
    const name = p.name as string;
    if (location !== 'path' && location !== 'query' && location !== 'header' && location !== 'cookie') continue;
    if (isCredentialParam({ name, in: location as ParamLocation }, d.schemes, d.hidden)) {
      credentialParams.push({ name, in: location });
      continue;
    }
    if (location === 'cookie') continue; // not something a program passes
    let rawSchema: unknown = p.schema;
    if (rawSchema === undefined && isObj(p.content)) rawSchema = Object.values(p.content).map((m) => (isObj(m) ? m.schema : undefined))[0];
    const schema = normalizeSchema(rawSchema, d.ctx);
    const param: Param = {
      name,
      in: location as ParamLocation,
      required: location === 'path' ? true : p.required === true,
      schema: withDescription(schema, p.description),
    };
    if (typeof p.description === 'string') param.description = p.description;
    const dest = p[DESTINATION] ?? (isObj(p.schema) ? p.schema[DESTINATION] : undefined);
    if (dest !== undefined) {
      const destAt = p[DESTINATION] !== undefined ? childPointer(at, DESTINATION) : childPointer(at, 'schema', DESTINATION);
      param.destination = parseDestination(dest, file, destAt);
    }
    const role = p[ROLE] ?? (isObj(p.schema) ? p.schema[ROLE] : undefined);
    if (role !== undefined) param.role = parseRole(role, file, p[ROLE] !== undefined ? childPointer(at, ROLE) : childPointer(at, 'schema', ROLE));
    addParam(param, at);
  }

  // A GET or HEAD request has no body (Stripe's documents describe one anyway, empty).
  const body = method === 'GET' || method === 'HEAD' ? undefined : bodyOf(op);
  if (!body) return { params, credentialParams };
  const at = childPointer(pointer, 'requestBody', 'content', body.mediaType, 'schema');
  const raw = body.schema;
  let props = objectProperties(raw);
  // Body properties that carry credentials (a form field `token`) are the host's too.
  if (props) {
    for (const prop of props.filter((x) => d.hidden.has(x.name))) credentialParams.push({ name: prop.name, in: 'body' });
    props = props.filter((x) => !d.hidden.has(x.name));
  }
  // A body property named like a path or query parameter (GitHub's `PATCH …/variables/{name}`
  // with a `name` in the body): the body then travels whole, as the argument `body`.
  const clash = props?.some((x) => byName.has(x.name));
  if (props && props.length > 0 && !clash) {
    for (const { name, schema, required, where } of props) {
      const propAt = childPointer(at, ...where, 'properties', name);
      const param: Param = { name, in: 'body', required: body.required && required, schema: normalizeSchema(schema, d.ctx) };
      if (isObj(schema) && typeof schema.description === 'string') param.description = schema.description;
      if (isObj(schema) && schema[DESTINATION] !== undefined) {
        param.destination = parseDestination(schema[DESTINATION], file, childPointer(propAt, DESTINATION));
      }
      if (isObj(schema) && schema[ROLE] !== undefined) param.role = parseRole(schema[ROLE], file, childPointer(propAt, ROLE));
      addParam(param, propAt);
    }
  } else if (!props || props.length > 0 || clash) {
    const param: Param = { name: 'body', in: 'body', required: body.explicitlyRequired, schema: normalizeSchema(raw, d.ctx), wholeBody: true };
    if (typeof body.description === 'string') param.description = body.description;
    addParam(param, at);
  }
  return { params, credentialParams, bodyEncoding: body.encoding };
}

interface Body {
  mediaType: string;
  schema: Obj;
  encoding: 'json' | 'form';
  /** `requestBody.required` is not false (what per-property `required` lists then mean). */
  required: boolean;
  /** `requestBody.required` is true. */
  explicitlyRequired: boolean;
  description?: string;
}

/** The request body Flowgate can send: JSON first, else a URL-encoded form. */
function bodyOf(op: Obj): Body | undefined {
  const body = isObj(op.requestBody) ? op.requestBody : undefined;
  if (!body || !isObj(body.content)) return undefined;
  const types = Object.keys(body.content);
  const mediaType = types.find(isJsonMediaType) ?? types.find(isFormMediaType);
  const media = mediaType !== undefined ? (body.content as Obj)[mediaType] : undefined;
  if (mediaType === undefined || !isObj(media) || media.schema === undefined) return undefined;
  return {
    mediaType,
    schema: media.schema as Obj,
    encoding: isJsonMediaType(mediaType) ? 'json' : 'form',
    required: body.required !== false,
    explicitlyRequired: body.required === true,
    description: typeof body.description === 'string' ? body.description : undefined,
  };
}

function withDescription(schema: JsonSchema, description: unknown): JsonSchema {
  if (typeof description !== 'string' || schema.description !== undefined) return schema;
  return { ...schema, description };
}

/**
 * The top-level properties of a body schema (through `allOf`), or undefined when the body
 * is not an object with named properties.
 */
function objectProperties(schema: Obj): Array<{ name: string; schema: unknown; required: boolean; where: (string | number)[] }> | undefined {
  const out: Array<{ name: string; schema: unknown; required: boolean; where: (string | number)[] }> = [];
  const requiredNames = new Set<string>();
  const visit = (s: Obj, where: (string | number)[]): void => {
    if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') requiredNames.add(r);
    if (isObj(s.properties)) {
      for (const [name, sub] of Object.entries(s.properties)) out.push({ name, schema: sub, required: false, where });
    }
    if (Array.isArray(s.allOf)) s.allOf.forEach((sub, i) => isObj(sub) && visit(sub, [...where, 'allOf', i]));
  };
  visit(schema, []);
  if (out.length === 0) return isObj(schema.properties) ? [] : undefined;
  const seen = new Set<string>();
  const unique = out.filter((p) => (seen.has(p.name) ? false : (seen.add(p.name), true)));
  for (const p of unique) p.required = requiredNames.has(p.name);
  return unique;
}

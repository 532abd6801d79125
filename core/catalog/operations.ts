/**
 * The pure mapping: validated, dereferenced OpenAPI documents → services and operations,
 * per SCENARIOS.md's extension table. No I/O; `load.ts` wraps it with reading and validation.
 */
import { CatalogError } from './types.ts';
import type { Catalog, JsonSchema, Operation, Param, ParamLocation, Service } from './types.ts';
import {
  APPROVAL, DESTINATION, IDENTIFIER, LABELS, ROLE, SERVICE, VERB, isServiceName, parseRole,
  checkAllExtensions, parseApproval, parseDestination, parseLabels, parseServiceName, parseVerb,
} from './extensions.ts';
import { childPointer, pointerOf } from './pointer.ts';
import { fieldLabelsOf, normalizeSchema, schemaContextOf } from './schema.ts';
import type { SchemaContext } from './schema.ts';
import { buildCatalog } from './build.ts';

/** One document to map: where it came from (for errors) and its dereferenced content. */
export interface CatalogDocument {
  file: string;
  document: object;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'] as const;
type Method = Operation['method'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `info.title` lower-cased with non-alphanumerics removed: `"Sales Force CRM"` → `salesforcecrm`. */
export function serviceNameFromTitle(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The verb an HTTP method implies when `x-flowgate-verb` is absent. */
export function defaultVerb(method: Method): string {
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'DELETE') return 'delete';
  return 'write';
}

/**
 * Maps documents to a catalog. Documents must already be validated and `$ref`-dereferenced
 * (circular `$ref`s may stay); throws {@link CatalogError} naming the file and JSON pointer.
 */
export function parseCatalogDocuments(docs: CatalogDocument[]): Catalog {
  const services: Service[] = [];
  const byName = new Map<string, string>();
  for (const { file, document } of docs) {
    const service = parseService(file, document as Obj);
    const other = byName.get(service.name);
    if (other !== undefined) {
      const info = (document as Obj).info as Obj;
      const at = info[SERVICE] !== undefined ? `/info/${SERVICE}` : '/info/title';
      throw new CatalogError(file, at, `duplicate service name "${service.name}" (already defined by ${other})`);
    }
    byName.set(service.name, file);
    services.push(service);
  }
  return buildCatalog(services);
}

/** Maps one document to a service. */
export function parseService(file: string, doc: Obj): Service {
  checkAllExtensions(doc, file);
  const info = isObj(doc.info) ? doc.info : {};
  const title = typeof info.title === 'string' ? info.title : '';
  let name: string;
  if (info[SERVICE] !== undefined) {
    name = parseServiceName(info[SERVICE], file, `/info/${SERVICE}`);
  } else {
    name = serviceNameFromTitle(title);
    if (!isServiceName(name)) {
      throw new CatalogError(file, '/info/title', `cannot derive a service name from title ${JSON.stringify(title)}; add ${SERVICE}`);
    }
  }
  const { serverUrl, host } = serverOf(file, doc);
  const ctx = schemaContextOf(doc);
  const schemas: Record<string, JsonSchema> = {};
  for (const [schemaObj, schemaName] of ctx.names) schemas[schemaName] = normalizeSchema(schemaObj, ctx);
  const defs = new Map(Object.entries(schemas));
  const operations: Operation[] = [];
  const seen = new Map<string, string>();
  const paths = isObj(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const m of METHODS) {
      const op = item[m];
      if (!isObj(op)) continue;
      const pointer = pointerOf(['paths', path, m]);
      const operation = parseOperation({ file, name, serverUrl, host, ctx, defs }, path, item, m.toUpperCase() as Method, op, pointer);
      const dup = seen.get(operation.name);
      if (dup !== undefined) {
        throw new CatalogError(file, childPointer(pointer, 'operationId'), `duplicate operationId "${operation.name}" (also at ${dup})`);
      }
      seen.set(operation.name, pointer);
      operations.push(operation);
    }
  }
  return { name, title, version: String(info.version ?? ''), host, serverUrl, file, operations, schemas };
}

function serverOf(file: string, doc: Obj): { serverUrl: string; host: string } {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0];
  if (!isObj(first) || typeof first.url !== 'string') {
    throw new CatalogError(file, '/servers', 'servers[0].url is needed: it names the logical host checked against egress');
  }
  const serverUrl = first.url;
  const vars = isObj(first.variables) ? first.variables : {};
  const concrete = serverUrl.replace(/\{([^}]+)\}/g, (_, v: string) => {
    const def = isObj(vars[v]) ? (vars[v] as Obj).default : undefined;
    return typeof def === 'string' ? def : v;
  });
  let host: string;
  try {
    host = new URL(concrete).hostname;
  } catch {
    host = '';
  }
  if (!host) throw new CatalogError(file, '/servers/0/url', `servers[0].url must be an absolute URL naming a host, got ${JSON.stringify(serverUrl)}`);
  return { serverUrl, host };
}

interface DocContext {
  file: string;
  name: string;
  serverUrl: string;
  host: string;
  ctx: SchemaContext;
  /** The document's named schemas, normalised. */
  defs: Map<string, JsonSchema>;
}

function parseOperation(d: DocContext, path: string, item: Obj, method: Method, op: Obj, pointer: string): Operation {
  const { file } = d;
  if (typeof op.operationId !== 'string' || op.operationId === '') {
    throw new CatalogError(file, childPointer(pointer, 'operationId'), 'missing operationId: it is the method name programs call');
  }
  const name = op.operationId;
  if (!IDENTIFIER.test(name)) {
    throw new CatalogError(file, childPointer(pointer, 'operationId'), `operationId ${JSON.stringify(name)} must be an identifier (programs call ${d.name}.${name}(…))`);
  }
  const verb = op[VERB] !== undefined ? parseVerb(op[VERB], file, childPointer(pointer, VERB)) : defaultVerb(method);
  const labels = op[LABELS] !== undefined ? parseLabels(op[LABELS], file, childPointer(pointer, LABELS)) : [];
  const approval = op[APPROVAL] !== undefined ? parseApproval(op[APPROVAL], file, childPointer(pointer, APPROVAL)) : undefined;
  const params = parseParams(d, item, op, pointer);

  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = p.schema;
    if (p.required) required.push(p.name);
  }
  const argsSchema: JsonSchema = { type: 'object', properties, required, additionalProperties: false };

  const responseSchema = responseSchemaOf(d, op);
  const fl = responseSchema ? fieldLabelsOf(responseSchema, d.defs) : { root: [], fields: [] };

  const operation: Operation = {
    id: `${d.name}.${name}`,
    service: d.name,
    name,
    verb,
    method,
    path,
    host: d.host,
    serverUrl: d.serverUrl,
    params,
    argsSchema,
    labels: [...new Set([...labels, ...fl.root])],
    fieldLabels: fl.fields,
    source: { file, pointer },
  };
  if (typeof op.summary === 'string') operation.summary = op.summary;
  if (typeof op.description === 'string') operation.description = op.description;
  if (responseSchema) operation.responseSchema = responseSchema;
  if (approval) operation.approval = approval;
  return operation;
}

function parseParams(d: DocContext, item: Obj, op: Obj, pointer: string): Param[] {
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
  const byName = new Map<string, string>();
  const addParam = (param: Param, at: string): void => {
    const prior = byName.get(param.name);
    if (prior !== undefined) {
      throw new CatalogError(file, at, `argument "${param.name}" is defined twice (also at ${prior}); programs pass all arguments in one object`);
    }
    byName.set(param.name, at);
    params.push(param);
  };

  for (const { p, at } of merged.values()) {
    const location = p.in as string;
    if (location === 'cookie') continue; // not something a program passes
    let rawSchema: unknown = p.schema;
    if (rawSchema === undefined && isObj(p.content)) rawSchema = Object.values(p.content).map((m) => (isObj(m) ? m.schema : undefined))[0];
    const schema = normalizeSchema(rawSchema, d.ctx);
    const param: Param = {
      name: p.name as string,
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

  const body = isObj(op.requestBody) ? op.requestBody : undefined;
  if (body && isObj(body.content)) {
    const mediaType = Object.keys(body.content).find(isJsonMediaType);
    const media = mediaType !== undefined ? (body.content as Obj)[mediaType] : undefined;
    if (mediaType !== undefined && isObj(media) && media.schema !== undefined) {
      const at = childPointer(pointer, 'requestBody', 'content', mediaType, 'schema');
      const bodyRequired = body.required !== false;
      const raw = media.schema as Obj;
      const props = objectProperties(raw);
      if (props) {
        for (const { name, schema, required, where } of props) {
          const propAt = childPointer(at, ...where, 'properties', name);
          const param: Param = {
            name,
            in: 'body',
            required: bodyRequired && required,
            schema: normalizeSchema(schema, d.ctx),
          };
          if (isObj(schema) && typeof schema.description === 'string') param.description = schema.description;
          if (isObj(schema) && schema[DESTINATION] !== undefined) {
            param.destination = parseDestination(schema[DESTINATION], file, childPointer(propAt, DESTINATION));
          }
          if (isObj(schema) && schema[ROLE] !== undefined) param.role = parseRole(schema[ROLE], file, childPointer(propAt, ROLE));
          addParam(param, propAt);
        }
      } else {
        const param: Param = { name: 'body', in: 'body', required: body.required === true, schema: normalizeSchema(raw, d.ctx), wholeBody: true };
        if (typeof body.description === 'string') param.description = body.description;
        addParam(param, at);
      }
    }
  }
  return params;
}

function withDescription(schema: JsonSchema, description: unknown): JsonSchema {
  if (typeof description !== 'string' || schema.description !== undefined) return schema;
  return { ...schema, description };
}

/** `application/json`, `application/*+json`, `*\/*`-style JSON media types. */
export function isJsonMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0].trim().toLowerCase();
  return base === 'application/json' || /^application\/[\w.+-]*\+json$/.test(base);
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
  if (out.length === 0) return undefined;
  const seen = new Set<string>();
  const unique = out.filter((p) => (seen.has(p.name) ? false : (seen.add(p.name), true)));
  for (const p of unique) p.required = requiredNames.has(p.name);
  return unique;
}

function responseSchemaOf(d: DocContext, op: Obj): JsonSchema | undefined {
  if (!isObj(op.responses)) return undefined;
  const codes = Object.keys(op.responses).filter((c) => /^2(\d\d|XX)$/i.test(c)).sort();
  for (const code of codes) {
    const response = (op.responses as Obj)[code];
    if (!isObj(response) || !isObj(response.content)) continue;
    const mediaType = Object.keys(response.content).find(isJsonMediaType);
    const media = mediaType !== undefined ? (response.content as Obj)[mediaType] : undefined;
    if (isObj(media) && media.schema !== undefined) return normalizeSchema(media.schema, d.ctx);
  }
  return undefined;
}

/**
 * The pure mapping: validated, dereferenced OpenAPI documents → services and operations,
 * per SCENARIOS.md's extension table. No I/O; `load.ts` wraps it with reading and validation.
 */
import { CatalogError } from './types.ts';
import type { Catalog, JsonSchema, Operation, SecurityScheme, Service } from './types.ts';
import {
  APPROVAL, LABELS, SERVICE, VERB,
  checkAllExtensions, parseApproval, parseLabels, parseServiceName, parseVerb,
} from './extensions.ts';
import { childPointer, pointerOf } from './pointer.ts';
import { fieldLabelsOf, normalizeSchema, schemaContextOf } from './schema.ts';
import type { SchemaContext } from './schema.ts';
import { buildCatalog } from './build.ts';
import { derivedServiceName, methodName } from './naming.ts';
import { isJsonMediaType, parseParams } from './params.ts';
import { securityOf, securitySchemesOf } from './security.ts';

export { serviceNameFromTitle } from './naming.ts';
export { isJsonMediaType } from './params.ts';

/** What a workspace says about one document, beyond the document itself. */
export interface ServiceOptions {
  /** The service's name when the document has no `x-flowgate-service`. */
  name?: string;
  /** Names of parameters (or form fields) that carry credentials: the host fills them, programs never see them. */
  credentialParams?: readonly string[];
  /** Security schemes to use when the document declares none (GitHub's has none). */
  securitySchemes?: Record<string, SecurityScheme>;
}

/** One document to map: where it came from (for errors) and its dereferenced content. */
export interface CatalogDocument {
  file: string;
  document: object;
  options?: ServiceOptions;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'] as const;
type Method = Operation['method'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The verb an HTTP method implies when `x-flowgate-verb` is absent. */
export function defaultVerb(method: Method): string {
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'DELETE') return 'delete';
  return 'write';
}

/** The label an unannotated operation's response carries: `<service>.data`. */
export function defaultLabel(service: string): string {
  return `${service}.data`;
}

/**
 * Maps documents to a catalog. Documents must already be validated and `$ref`-dereferenced
 * (circular `$ref`s may stay); throws {@link CatalogError} naming the file and JSON pointer.
 */
export function parseCatalogDocuments(docs: CatalogDocument[]): Catalog {
  const services: Service[] = [];
  const byName = new Map<string, string>();
  for (const { file, document, options } of docs) {
    const service = parseService(file, document as Obj, options);
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
export function parseService(file: string, doc: Obj, options: ServiceOptions = {}): Service {
  checkAllExtensions(doc, file);
  const info = isObj(doc.info) ? doc.info : {};
  const title = typeof info.title === 'string' ? info.title : '';
  const { serverUrl, host } = serverOf(file, doc);
  let name: string;
  if (info[SERVICE] !== undefined) {
    name = parseServiceName(info[SERVICE], file, `/info/${SERVICE}`);
  } else if (options.name !== undefined) {
    name = parseServiceName(options.name, file, '/info/title');
  } else {
    const derived = derivedServiceName(title, host);
    if (derived === undefined) {
      throw new CatalogError(file, '/info/title', `cannot derive a service name from title ${JSON.stringify(title)} or host ${JSON.stringify(host)}; add ${SERVICE} or name the service in a workspace`);
    }
    name = derived;
  }
  const ctx = schemaContextOf(doc);
  const schemas: Record<string, JsonSchema> = {};
  for (const [schemaObj, schemaName] of ctx.names) schemas[schemaName] = normalizeSchema(schemaObj, ctx);
  const defs = new Map(Object.entries(schemas));
  const own = securitySchemesOf(doc);
  const securitySchemes = Object.keys(own).length ? own : { ...(options.securitySchemes ?? {}) };
  const d: DocContext = { file, name, serverUrl, host, ctx, defs, doc, schemes: securitySchemes, hidden: new Set(options.credentialParams ?? []) };
  const operations: Operation[] = [];
  const seen = new Map<string, { pointer: string; operationId: string }>();
  const paths = isObj(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const m of METHODS) {
      const op = item[m];
      if (!isObj(op)) continue;
      const pointer = pointerOf(['paths', path, m]);
      const operation = parseOperation(d, path, item, m.toUpperCase() as Method, op, pointer);
      const dup = seen.get(operation.name);
      if (dup !== undefined) {
        const written = operation.operationId ?? operation.name;
        const message = dup.operationId === written
          ? `duplicate operationId "${written}" (also at ${dup.pointer})`
          : `operationIds "${written}" and "${dup.operationId}" (at ${dup.pointer}) both become the method name ${operation.name}; give one of them another operationId with an overlay`;
        throw new CatalogError(file, childPointer(pointer, 'operationId'), message);
      }
      seen.set(operation.name, { pointer, operationId: operation.operationId ?? operation.name });
      operations.push(operation);
    }
  }
  const service: Service = { name, title, version: String(info.version ?? ''), host, serverUrl, file, operations, schemas };
  if (Object.keys(securitySchemes).length) service.securitySchemes = securitySchemes;
  return service;
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
  return { serverUrl: concrete, host };
}

interface DocContext {
  file: string;
  name: string;
  serverUrl: string;
  host: string;
  ctx: SchemaContext;
  /** The document's named schemas, normalised. */
  defs: Map<string, JsonSchema>;
  doc: Obj;
  schemes: Record<string, SecurityScheme>;
  hidden: ReadonlySet<string>;
}

/** Whether the operation object itself carries an `x-flowgate-*` key (verb, labels, approval). */
function mentionsFlowgate(op: Obj): boolean {
  return Object.keys(op).some((k) => k.startsWith('x-flowgate-'));
}

function parseOperation(d: DocContext, path: string, item: Obj, method: Method, op: Obj, pointer: string): Operation {
  const { file } = d;
  if (typeof op.operationId !== 'string' || op.operationId === '') {
    throw new CatalogError(file, childPointer(pointer, 'operationId'), 'missing operationId: it is the method name programs call (an overlay can add one)');
  }
  const name = methodName(op.operationId);
  if (name === '') {
    throw new CatalogError(file, childPointer(pointer, 'operationId'), `operationId ${JSON.stringify(op.operationId)} has no letters or digits to make a method name of (programs call ${d.name}.<name>(…))`);
  }
  const verb = op[VERB] !== undefined ? parseVerb(op[VERB], file, childPointer(pointer, VERB)) : defaultVerb(method);
  const declared = op[LABELS] !== undefined ? parseLabels(op[LABELS], file, childPointer(pointer, LABELS)) : [];
  const approval = op[APPROVAL] !== undefined ? parseApproval(op[APPROVAL], file, childPointer(pointer, APPROVAL)) : undefined;
  const { params, credentialParams, bodyEncoding } = parseParams(d, item, op, pointer, method);

  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = p.schema;
    if (p.required) required.push(p.name);
  }
  const argsSchema: JsonSchema = { type: 'object', properties, required, additionalProperties: false };

  const responseSchema = responseSchemaOf(d, op);
  const fl = responseSchema ? fieldLabelsOf(responseSchema, d.defs) : { root: [], fields: [] };
  let labels = [...new Set([...declared, ...fl.root])];
  // Nothing Flowgate-specific anywhere on the operation: safe defaults, and the lint says so.
  const unannotated = labels.length === 0 && fl.fields.length === 0 && !mentionsFlowgate(op) && !params.some((p) => p.destination);
  if (unannotated) labels = [defaultLabel(d.name)];

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
    labels,
    fieldLabels: fl.fields,
    source: { file, pointer },
  };
  if (name !== op.operationId) operation.operationId = op.operationId;
  if (typeof op.summary === 'string') operation.summary = op.summary;
  if (typeof op.description === 'string') operation.description = op.description;
  if (responseSchema) operation.responseSchema = responseSchema;
  if (approval) operation.approval = approval;
  if (unannotated) operation.unannotated = true;
  if (bodyEncoding === 'form') operation.bodyEncoding = 'form';
  const security = securityOf(op, d.doc);
  if (security) operation.security = security;
  if (credentialParams.length) operation.credentialParams = credentialParams;
  return operation;
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

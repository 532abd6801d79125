/**
 * The TypeScript declarations programs are written against: a prelude (`console`), named
 * types from component schemas, and one `declare const <service>: { … }` per service whose
 * methods take one argument object and resolve to the typed JSON response.
 */
import type { Catalog, JsonSchema, Operation, Param, Service } from './types.ts';
import { collectDefinitions } from './schema.ts';
import { docComment, propertyKey, schemaDocLines, schemaToTs } from './ts-type.ts';
import { catchesAll } from './destinations.ts';

/** Options of {@link renderDeclarations}. */
export interface RenderOptions {
  /** Include the prelude that declares `console`. Default true. */
  prelude?: boolean;
}

/** Declares the program's non-service globals besides the language's built-ins. */
export const PRELUDE = `declare const console: {
  log(...a: unknown[]): void;
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
  debug(...a: unknown[]): void;
};
/** The task's own inputs, given with the program (execute_code's \`params\`, \`flowgate run --param k=v\`). */
declare const params: Readonly<Record<string, any>>;
`;

/** `salesforce` → `Salesforce`, `my_api` → `MyApi`. */
export function pascalCase(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** The TypeScript name of a service's named schema: prefixed with the service so services never clash. */
export function typeNameFor(service: string, schemaName: string): string {
  const prefix = pascalCase(service);
  let base = pascalCase(schemaName) || 'Type';
  if (/^\d/.test(base)) base = '_' + base;
  return base.startsWith(prefix) ? base : prefix + base;
}

/**
 * Renders the declarations of `catalog`, or only of the operations in `operationIds`
 * (`service.operationId`), with only the named types those operations use.
 */
export function renderDeclarations(catalog: Catalog, operationIds?: string[], options: RenderOptions = {}): string {
  const { prelude = true } = options;
  const wanted = operationIds ? new Set(operationIds) : undefined;
  let out = prelude ? PRELUDE : '';
  for (const service of catalog.services) {
    const ops = wanted ? service.operations.filter((op) => wanted.has(op.id)) : service.operations;
    if (ops.length === 0) continue;
    out += (out ? '\n' : '') + renderService(service, ops);
  }
  return out;
}

const definitions = new WeakMap<Service, Map<string, JsonSchema>>();

/**
 * A service's named schemas: its `schemas`, plus any named schema its operations use that is
 * not there (catalogs assembled by hand), so a name reached only through a recursive reference
 * still resolves. Computed once per service: `searchDocs` renders a few operations at a time.
 */
function definitionsOf(service: Service): Map<string, JsonSchema> {
  let defs = definitions.get(service);
  if (defs) return defs;
  defs = new Map<string, JsonSchema>(Object.entries(service.schemas ?? {}));
  for (const op of service.operations) {
    if (op.responseSchema) collectDefinitions(op.responseSchema, defs);
    for (const p of op.params) collectDefinitions(p.schema, defs);
  }
  definitions.set(service, defs);
  return defs;
}

/** Declarations of one service restricted to `ops`: its named types, then its object. */
export function renderService(service: Service, ops: Operation[]): string {
  const defs = definitionsOf(service);
  const used = new Set<string>();
  const queue: string[] = [];
  const refName = (name: string): string => {
    if (!used.has(name) && defs.has(name)) {
      used.add(name);
      queue.push(name);
    }
    return defs.has(name) ? typeNameFor(service.name, name) : 'unknown';
  };

  let methods = '';
  for (const op of ops) methods += renderMethod(op, refName);

  let types = '';
  while (queue.length) {
    const name = queue.shift() as string;
    const def = defs.get(name) as JsonSchema;
    const body = schemaToTs(def, { refName }, '', true);
    const tsName = typeNameFor(service.name, name);
    const doc = docComment(schemaDocLines(def), '');
    const isPlainObject = body.startsWith('{\n') && body.endsWith('}') && !/\n}\s*[&|]/.test(body);
    types += isPlainObject ? `${doc}interface ${tsName} ${body}\n` : `${doc}type ${tsName} = ${body};\n`;
  }
  const header = docComment([`${service.title || service.name} (${service.host}${service.version ? `, version ${service.version}` : ''})`], '');
  return `${types}${header}declare const ${service.name}: {\n${methods}};\n`;
}

function renderMethod(op: Operation, refName: (name: string) => string): string {
  const indent = '  ';
  const lines: string[] = [];
  if (op.summary) lines.push(op.summary.trim());
  if (op.description && op.description.trim() !== op.summary?.trim()) lines.push('', op.description.trim());
  if (lines.length) lines.push('');
  lines.push(`@verb ${op.verb} (${op.method} ${op.path}${op.operationId ? `, operationId ${op.operationId}` : ''})`);
  if (op.labels.length) lines.push(`@labels ${op.labels.join(', ')} (carried by the whole result)`);
  const byLabel = new Map<string, string[]>();
  for (const f of op.fieldLabels) for (const l of f.labels) byLabel.set(l, [...(byLabel.get(l) ?? []), pathText(f.path)]);
  for (const [label, paths] of byLabel) lines.push(`@labels ${label} on ${paths.join(', ')}`);
  for (const p of op.params) {
    if (!p.destination) continue;
    const classes = p.destination.map((r) => `${r.destination} (${r.patterns.join(', ')})`);
    const matchesAll = catchesAll(p.destination);
    lines.push(`@destination \`${p.name}\` names where the data goes: ${classes.join('; ')}${matchesAll ? '' : `; otherwise ${op.service}`}`);
  }
  if (op.approval) lines.push(`@approval needs a human's approval ${op.approval.kind === 'always' ? 'on every call' : `when ${op.approval.when}`}`);

  const args = renderArgs(op.params, refName, indent);
  const result = op.responseSchema ? schemaToTs(op.responseSchema, { refName }, indent) : 'unknown';
  return `${docComment(lines, indent)}${indent}${propertyKey(op.name)}(${args}): Promise<${result}>;\n`;
}

function pathText(path: string[]): string {
  return path.reduce((acc, step) => (step === '[]' ? `${acc}[]` : acc ? `${acc}.${step}` : step), '');
}

function renderArgs(params: Param[], refName: (name: string) => string, indent: string): string {
  if (params.length === 0) return 'args?: Record<string, never>';
  const inner = indent + '  ';
  let body = '';
  for (const p of params) {
    const doc = schemaDocLines(p.schema);
    if (p.destination) doc.push(`Destination: ${p.destination.map((r) => r.destination).join(', ')}`);
    body += docComment(doc, inner);
    body += `${inner}${propertyKey(p.name)}${p.required ? '' : '?'}: ${schemaToTs(p.schema, { refName }, inner)};\n`;
  }
  const optional = params.every((p) => !p.required);
  return `args${optional ? '?' : ''}: {\n${body}${indent}}`;
}

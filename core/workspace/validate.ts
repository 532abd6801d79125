/**
 * Validating a parsed workspace document against schemas/workspace.schema.json, with errors
 * that name the JSON pointer of the bad field in one sentence (as the policy loader does).
 * Pure: the schema is imported as a module.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../schemas/workspace.schema.json' with { type: 'json' };
import { nearest } from '../policy/suggest.ts';
import { WorkspaceError } from './types.ts';
import type { WorkspaceDocument } from './types.ts';

/** The workspace schema (JSON Schema 2020-12), for editors and the workbench. */
export const WORKSPACE_SCHEMA: Record<string, unknown> = schema;

let validator: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  validator ??= new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, strict: false }).compile(schema);
  return validator;
}

const escape = (s: string | number): string => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const segmentsOf = (pointer: string): string[] => (pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));

/** A noun phrase for the value at a pointer: `the service "github"`, `credential 0 of "slack"`. */
function describeAt(segs: string[]): string {
  const [top, service, field, index] = segs;
  if (segs.length === 0) return 'the workspace';
  if (top !== 'services' || service === undefined) return `"${segs.join('.')}"`;
  if (segs.length === 2) return `the service "${service}"`;
  if (field === 'credentials' && index !== undefined) {
    const rest = segs.slice(4);
    return rest.length ? `"${rest.join('.')}" of credential ${index} of "${service}"` : `credential ${index} of "${service}"`;
  }
  return `"${segs.slice(2).join('.')}" of "${service}"`;
}

function explain(e: ErrorObject): { pointer: string; message: string } {
  const segs = segmentsOf(e.instancePath);
  const noun = describeAt(segs);
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = e.params.additionalProperty as string;
      const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      const fields = Object.keys(props).filter((k) => k !== '$schema');
      const guess = nearest(key, fields);
      return {
        pointer: e.instancePath + '/' + escape(key),
        message: `"${key}" is not a field of ${noun}${guess ? `; did you mean "${guess}"?` : `; the fields are ${fields.map((f) => `"${f}"`).join(', ')}`}`,
      };
    }
    case 'required':
      return { pointer: e.instancePath, message: `${noun} needs "${e.params.missingProperty as string}"` };
    case 'type':
      return { pointer: e.instancePath, message: `${noun} must be ${String(e.params.type)}, not ${Array.isArray(e.data) ? 'an array' : typeof e.data}` };
    case 'enum':
      return { pointer: e.instancePath, message: `${JSON.stringify(e.data)} is not a choice for ${noun}; use ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(' or ')}` };
    case 'pattern':
      if (propertyName !== undefined) return { pointer: e.instancePath + '/' + escape(propertyName), message: `"${propertyName}" is not a service name: programs call it as a global, so use letters, digits and _ (e.g. "github")` };
      if (segs.at(-1) === 'baseUrl' || segs.at(-1) === 'tokenUrl') return { pointer: e.instancePath, message: `${noun} must be an http:// or https:// URL, not ${JSON.stringify(e.data)}` };
      if (segs.at(-1) === 'env') return { pointer: e.instancePath, message: `${JSON.stringify(e.data)} is not an environment variable name` };
      return { pointer: e.instancePath, message: `${noun} does not have the expected form` };
    case 'minProperties':
      return { pointer: e.instancePath, message: segs.at(-1) === 'secret' ? `${noun} must say where the secret comes from: "env", "file" or "keyring"` : `${noun} must list at least one service` };
    case 'maxProperties':
      return { pointer: e.instancePath, message: `${noun} must name one source: "env", "file" or "keyring"` };
    case 'minLength':
      return { pointer: e.instancePath, message: `${noun} must not be empty` };
    case 'oneOf': {
      const d = (e.data ?? {}) as Record<string, unknown>;
      if (segs[2] === 'credentials' && segs.length === 4) {
        const both = 'scheme' in d && 'parameter' in d;
        return { pointer: e.instancePath, message: `${noun} must name either a "scheme" or a "parameter", ${both ? 'not both' : 'but names neither'}` };
      }
      return { pointer: e.instancePath, message: `${noun} is not valid here (a scheme name, or {"type": …})` };
    }
  }
  return { pointer: e.instancePath, message: `${noun} ${e.message ?? 'is not valid'}` };
}

function rank(e: ErrorObject): number {
  if (e.keyword === 'additionalProperties') return 0;
  if (e.keyword === 'oneOf') return 3;
  if (e.keyword === 'required') return 2;
  return 1;
}

/** Checks a parsed workspace document. Throws {@link WorkspaceError} naming `file` and the pointer of the first problem. */
export function validateWorkspaceDocument(value: unknown, file: string): WorkspaceDocument {
  const validate = getValidator();
  if (!validate(value)) {
    const all = validate.errors ?? [];
    // Errors inside a oneOf's branches are explained by the oneOf itself, unless one is about a field.
    const errors = all.filter((e) => e.keyword !== 'propertyNames' && e.keyword !== 'not' && (!e.schemaPath.includes('/oneOf/') || e.keyword === 'additionalProperties' || e.keyword === 'enum' || e.keyword === 'pattern'));
    const first = [...errors].sort((x, y) => rank(x) - rank(y) || y.instancePath.length - x.instancePath.length)[0] ?? all[0];
    const { pointer, message } = explain(first);
    throw new WorkspaceError(file, pointer, message);
  }
  const doc = value as WorkspaceDocument;
  for (const [name, service] of Object.entries(doc.services)) {
    (service.credentials ?? []).forEach((c, i) => {
      const at = `/services/${escape(name)}/credentials/${i}`;
      const inline = typeof c.scheme === 'object' ? c.scheme : undefined;
      if (inline?.type === 'http' && !inline.scheme) throw new WorkspaceError(file, `${at}/scheme`, 'an http scheme needs "scheme": "bearer" or "basic"');
      if (inline?.type === 'apiKey' && (!inline.in || !inline.name)) throw new WorkspaceError(file, `${at}/scheme`, 'an apiKey scheme needs "in" (header, query or cookie) and "name"');
      if (inline?.type === 'oauth2' && !inline.tokenUrl) throw new WorkspaceError(file, `${at}/scheme`, 'an oauth2 scheme written here needs "tokenUrl" (client credentials)');
    });
  }
  return doc;
}

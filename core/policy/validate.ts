/**
 * Validation of a parsed policy document against policies/policy.schema.json, with errors a
 * person can act on: the JSON pointer of the bad field and one plain sentence. Pure (the schema
 * is imported as a module, not read from disk).
 *
 * Beyond the schema: verbs one typo away from a known verb are refused with a suggestion
 * (custom verbs from `x-flowgate-verb` stay allowed: the lint checks them against the
 * catalog), and every approval's `when` must parse.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import schema from '../../policies/policy.schema.json' with { type: 'json' };
import { PolicyError } from './types.ts';
import type { PolicyDocument } from './types.ts';
import { nearest } from './suggest.ts';
import { parseWhen, WhenSyntaxError } from './when.ts';
import { parseDuration, parseMemory } from './units.ts';

/** Verbs Flowgate derives from HTTP methods plus those the demo catalog declares. */
export const KNOWN_VERBS = ['read', 'write', 'delete', 'post', 'send', 'refund'] as const;

/** The policy schema (JSON Schema 2020-12), for editors and the workbench. */
export const POLICY_SCHEMA: Record<string, unknown> = schema;

let validator: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  if (!validator) {
    // Loaded on first use: a command that reads an already-validated policy (the CLI's start-up
    // cache) never loads the schema compiler (Ajv: some 60 modules).
    const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    validator = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true, strictRequired: false }).compile(schema);
  }
  return validator;
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + pointerSegment(s)).join('');
}

function segmentsOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A noun phrase for the value at a pointer, e.g. `the verbs of "slack"`, `an egress host`. */
function describeAt(segs: string[]): string {
  const [top, a, b, c] = segs;
  if (segs.length === 0) return 'a policy';
  if (segs.length === 1) return top;
  switch (top) {
    case 'permissions':
      return segs.length === 2 ? `the verbs of "${a}"` : `a verb of "${a}"`;
    case 'dataFlows':
      if (segs.length === 2) return `the rule for "${a}"`;
      if (segs.length === 3) return `${b} of "${a}"`;
      return `a destination in ${b} of "${a}"`;
    case 'egress':
      return 'an egress host';
    case 'approvals':
      if (segs.length === 2) return `approval ${a}`;
      if (b === 'flow' && c) return segs.length === 4 ? `"${c}" of approval ${a}'s flow` : `an entry of "${c}" of approval ${a}'s flow`;
      return `"${b}" of approval ${a}`;
  }
  return segs.join('.');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': return `a string (${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)})`;
    case 'number': return `a number (${v})`;
    case 'boolean': return `a boolean (${v})`;
    case 'object': return 'an object';
  }
  return typeof v;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false',
  object: 'an object', array: 'an array', null: 'null',
};

function expectedTypes(t: unknown): string {
  const list = (Array.isArray(t) ? t : [t]).map((x) => TYPE_WORDS[String(x)] ?? String(x));
  return list.join(' or ');
}

/** What a string at this schema location should look like, for pattern errors. */
function patternMessage(e: ErrorObject, value: unknown): string {
  const v = JSON.stringify(value);
  const p = e.schemaPath;
  if (p.includes('/permissions/propertyNames')) return `${v} is not a service name: use the service's name from the catalog, e.g. "slack"`;
  if (p.includes('/permissions/')) return `${v} is not a verb: verbs are lower-case words such as "read", "write" or "post"`;
  if (p.includes('/dataFlows/propertyNames') || p.includes('/label/') || p.includes('/from/')) {
    return `${v} is not a label: labels are service.dataClass, e.g. "workday.compensation"`;
  }
  if (p.includes('/destination/') || p.includes('/to/')) return `${v} is not a destination: write a service ("sendgrid") or service.target ("slack.public")`;
  if (p.includes('/egress/')) return `${v} is not a host: write the host name alone, e.g. "api.stripe.com" or "*.example.com"`;
  if (p.includes('/maxDuration/')) return `${v} is not a duration: write e.g. "30s", "500ms" or "2m", or a number of milliseconds`;
  if (p.includes('/maxMemory/')) return `${v} is not a memory size: write e.g. "256MB" or "1GB", or a number of megabytes`;
  if (p.includes('/operation/')) return `${v} is not an operation: write service.operationId, e.g. "billing.createRefund"`;
  return `${v} does not have the expected form (${e.params.pattern as string})`;
}

function knownFields(e: ErrorObject): string[] {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).filter((k) => k !== '$schema') : [];
}

/** One ajv error → pointer and sentence. */
function explain(e: ErrorObject): { pointer: string; message: string } {
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  const segs = segmentsOf(e.instancePath);
  const noun = describeAt(segs);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = e.params.additionalProperty as string;
      const fields = knownFields(e);
      const guess = nearest(key, fields);
      const what = segs.length === 0 ? 'a policy field' : `a field of ${noun}`;
      const hint = guess ? `; did you mean "${guess}"?` : `; the fields are ${fields.map((f) => `"${f}"`).join(', ')}`;
      return { pointer: pointerOf([...segs, key]), message: `"${key}" is not ${what}${hint}` };
    }
    case 'required': {
      const missing = e.params.missingProperty as string;
      return { pointer: e.instancePath, message: `${noun} needs "${missing}"` };
    }
    case 'type':
      return { pointer: e.instancePath, message: `${noun} must be ${expectedTypes(e.params.type)}, not ${describeValue(e.data)}` };
    case 'pattern':
      if (propertyName !== undefined) return { pointer: pointerOf([...segs, propertyName]), message: patternMessage(e, propertyName) };
      return { pointer: e.instancePath, message: patternMessage(e, e.data) };
    case 'enum':
      return {
        pointer: e.instancePath,
        message: `${JSON.stringify(e.data)} is not a choice for ${noun}; use ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(' or ')}`,
      };
    case 'minimum':
      return { pointer: e.instancePath, message: `${noun} must be at least ${e.params.limit as number}, not ${JSON.stringify(e.data)}` };
    case 'exclusiveMinimum':
      return { pointer: e.instancePath, message: `${noun} must be more than ${e.params.limit as number}, not ${JSON.stringify(e.data)}` };
    case 'oneOf': {
      const d = e.data as Record<string, unknown>;
      const both = 'operation' in d && 'flow' in d;
      return {
        pointer: e.instancePath,
        message: `${noun} must name either an "operation" or a "flow", ${both ? 'not both' : 'but names neither'}`,
      };
    }
  }
  return { pointer: e.instancePath, message: `${noun} ${e.message ?? 'is not valid'}` };
}

/** Orders errors so the most useful comes first: a misspelt field explains a "missing" one. */
function rank(e: ErrorObject): number {
  if (e.keyword === 'additionalProperties') return 0;
  if (e.keyword === 'required') return 2;
  return 1;
}

/**
 * Checks a parsed JSON value against the policy schema and the rules beyond it. Throws a
 * {@link PolicyError} naming `file` and the JSON pointer of the first problem.
 */
export function validatePolicyDocument(value: unknown, file: string): PolicyDocument {
  const validate = getValidator();
  if (!validate(value)) {
    const errors = (validate.errors ?? []).filter(
      // The `propertyNames` wrapper repeats its inner error; oneOf's branches are explained by the oneOf error.
      (e) => e.keyword !== 'propertyNames' && !e.schemaPath.includes('/oneOf/'),
    );
    const first = [...errors].sort((x, y) => rank(x) - rank(y))[0] ?? validate.errors![0];
    const { pointer, message } = explain(first);
    throw new PolicyError(file, pointer, message);
  }
  const doc = value as PolicyDocument;

  for (const [service, verbs] of Object.entries(doc.permissions)) {
    verbs.forEach((verb, i) => {
      if ((KNOWN_VERBS as readonly string[]).includes(verb)) return;
      const guess = nearest(verb, KNOWN_VERBS);
      if (guess) {
        throw new PolicyError(file, pointerOf(['permissions', service, i]), `"${verb}" is not a verb; did you mean "${guess}"?`);
      }
    });
  }

  (doc.approvals ?? []).forEach((rule, i) => {
    if (rule.when === undefined) return;
    try {
      parseWhen(rule.when);
    } catch (err) {
      if (!(err instanceof WhenSyntaxError)) throw err;
      throw new PolicyError(file, pointerOf(['approvals', i, 'when']), `${JSON.stringify(rule.when)} is not a valid condition: ${err.message}`);
    }
  });

  for (const [key, parse] of [['maxDuration', parseDuration], ['maxMemory', parseMemory]] as const) {
    const v = doc[key];
    if (v === undefined) continue;
    try {
      parse(v);
    } catch (err) {
      throw new PolicyError(file, pointerOf([key]), (err as Error).message);
    }
  }
  return doc;
}

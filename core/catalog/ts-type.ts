/**
 * JSON Schema → TypeScript type text, for the declarations programs are written against.
 * Handles objects (required/optional, additionalProperties), arrays and tuples, enums and
 * const, type arrays (nullable), oneOf/anyOf unions and allOf intersections; `format` and
 * validation-only keywords are ignored. Named schemas become references through `refName`.
 */
import type { JsonSchema } from './types.ts';
import { LABELS } from './extensions.ts';
import { TYPE_NAME } from './schema.ts';

export interface TsTypeOptions {
  /** The TypeScript name for a named schema (and a chance to record that it is used). */
  refName: (schemaName: string) => string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_DEPTH = 24;

/** A property key as written in a type literal: bare when an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

/** A one-or-more-line TSDoc comment, or '' when there is nothing to say. */
export function docComment(lines: string[], indent: string): string {
  const clean = lines
    .flatMap((l) => l.split('\n'))
    .map((l) => l.replace(/\*\//g, '*\\/').trimEnd());
  while (clean.length && clean[clean.length - 1] === '') clean.pop();
  if (clean.length === 0) return '';
  if (clean.length === 1) return `${indent}/** ${clean[0]} */\n`;
  return `${indent}/**\n${clean.map((l) => `${indent} *${l ? ' ' + l : ''}`).join('\n')}\n${indent} */\n`;
}

/** Documentation lines for a schema used as a property: its description and the labels it carries. */
export function schemaDocLines(schema: JsonSchema): string[] {
  const lines: string[] = [];
  if (typeof schema.description === 'string' && schema.description.trim()) lines.push(schema.description.trim());
  const labels = schema[LABELS];
  if (Array.isArray(labels) && labels.length) lines.push(`Labels: ${labels.join(', ')}`);
  if (schema.deprecated === true) lines.push('@deprecated');
  return lines;
}

function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return 'unknown';
}

function join(parts: string[], op: '|' | '&'): string {
  const unique = [...new Set(parts)];
  if (unique.length === 0) return op === '|' ? 'never' : 'unknown';
  if (unique.length === 1) return unique[0];
  if (op === '|' && unique.includes('unknown')) return 'unknown';
  return unique.map((p) => (op === '&' && p.includes(' | ') ? `(${p})` : p)).join(` ${op} `);
}

function arrayOf(element: string): string {
  return /^[\w$.]+$/.test(element) ? `${element}[]` : `Array<${element}>`;
}

/**
 * The TypeScript type for `schema`. `asDefinition` renders a named schema's own body instead
 * of a reference to its name. `indent` is the indentation of the line the type starts on.
 */
export function schemaToTs(schema: JsonSchema | boolean | undefined, options: TsTypeOptions, indent = '', asDefinition = false, depth = 0): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (depth > MAX_DEPTH) return 'unknown';
  const name = schema[TYPE_NAME];
  if (typeof name === 'string' && !asDefinition) return options.refName(name);
  const next = (s: unknown, ind = indent): string => schemaToTs(s as JsonSchema, options, ind, false, depth + 1);

  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return join(schema.enum.map(literal), '|');

  const parts: string[] = [];
  const base = baseType(schema, options, indent, depth);
  if (base !== undefined) parts.push(base);
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) parts.push(next(s));
  for (const key of ['oneOf', 'anyOf']) {
    const list = schema[key];
    if (Array.isArray(list) && list.length) parts.push(join(list.map((s) => next(s)), '|'));
  }
  const meaningful = parts.filter((p) => p !== 'unknown');
  if (meaningful.length === 0) return 'unknown';
  return join(meaningful, '&');
}

function typesOf(schema: JsonSchema): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items !== undefined || schema.prefixItems !== undefined) return ['array'];
  return [];
}

function baseType(schema: JsonSchema, options: TsTypeOptions, indent: string, depth: number): string | undefined {
  const types = typesOf(schema);
  if (types.length === 0) return undefined;
  const out = types.map((t) => {
    switch (t) {
      case 'string': return 'string';
      case 'number':
      case 'integer': return 'number';
      case 'boolean': return 'boolean';
      case 'null': return 'null';
      case 'array': return arrayType(schema, options, indent, depth);
      case 'object': return objectType(schema, options, indent, depth);
      default: return 'unknown';
    }
  });
  return join(out, '|');
}

function arrayType(schema: JsonSchema, options: TsTypeOptions, indent: string, depth: number): string {
  if (Array.isArray(schema.prefixItems)) {
    const items = schema.prefixItems.map((s) => schemaToTs(s as JsonSchema, options, indent, false, depth + 1));
    const rest = schema.items === false || schema.items === undefined ? '' : `, ...${arrayOf(schemaToTs(schema.items as JsonSchema, options, indent, false, depth + 1))}`;
    return `[${items.join(', ')}${rest}]`;
  }
  return arrayOf(schemaToTs(schema.items as JsonSchema | undefined, options, indent, false, depth + 1));
}

function objectType(schema: JsonSchema, options: TsTypeOptions, indent: string, depth: number): string {
  const props = schema.properties && typeof schema.properties === 'object' ? (schema.properties as Record<string, JsonSchema>) : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const extra = schema.additionalProperties;
  const names = Object.keys(props);
  if (names.length === 0) {
    if (extra === false) return 'Record<string, never>';
    if (extra === undefined || extra === true) return 'Record<string, unknown>';
    return `Record<string, ${schemaToTs(extra as JsonSchema, options, indent, false, depth + 1)}>`;
  }
  const inner = indent + '  ';
  let body = '';
  for (const name of names) {
    const sub = props[name];
    const type = schemaToTs(sub, options, inner, false, depth + 1);
    body += docComment(typeof sub === 'object' ? schemaDocLines(sub) : [], inner);
    body += `${inner}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${type};\n`;
  }
  if (extra !== undefined && extra !== false) body += `${inner}[key: string]: unknown;\n`;
  return `{\n${body}${indent}}`;
}

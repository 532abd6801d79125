/**
 * The `x-flowgate-*` vocabulary (SCENARIOS.md, "Describing an API to Flowgate"): parsing and
 * shape checks. A value of the wrong shape, or an unknown `x-flowgate-*` name, is an error:
 * a typo in a label or a destination rule would otherwise silently let data through.
 */
import { CatalogError } from './types.ts';
import type { ApprovalMark, DestinationRule } from './types.ts';
import { childPointer } from './pointer.ts';

export const SERVICE = 'x-flowgate-service';
export const VERB = 'x-flowgate-verb';
export const LABELS = 'x-flowgate-labels';
export const DESTINATION = 'x-flowgate-destination';
export const APPROVAL = 'x-flowgate-approval';
export const ROLE = 'x-flowgate-role';

/** Every extension Flowgate reads. */
export const KNOWN_EXTENSIONS: readonly string[] = [SERVICE, VERB, LABELS, DESTINATION, APPROVAL, ROLE];

/** What an argument chooses, for the integrity rules (`x-flowgate-role`). */
export const ROLES = ['destination', 'recipient', 'url', 'amount'] as const;

/** `x-flowgate-role`: one of ROLES. */
export function parseRole(value: unknown, file: string, pointer: string): (typeof ROLES)[number] {
  if (typeof value !== 'string' || !(ROLES as readonly string[]).includes(value)) {
    fail(file, pointer, `x-flowgate-role must be one of ${ROLES.map((r) => `"${r}"`).join(', ')}`);
  }
  return value as (typeof ROLES)[number];
}

/** A JavaScript identifier: what service names and method names must be in programs. */
export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Names a service cannot take: reserved words and the program's other globals. */
const RESERVED = new Set(`break case catch class const continue debugger default delete do else enum export extends
false finally for function if import in instanceof new null return super switch this throw true try typeof var void
while with yield let static implements interface package private protected public await async undefined NaN Infinity
eval arguments console params globalThis Object Array String Number Boolean Symbol BigInt Math JSON Date RegExp Error Promise
Map Set WeakMap WeakSet Proxy Reflect Intl`.split(/\s+/));

/** Whether `name` can be a service's global name in programs. */
export function isServiceName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name);
}

function fail(file: string, pointer: string, message: string): never {
  throw new CatalogError(file, pointer, message);
}

/** `x-flowgate-service`: a non-empty identifier. `pointer` is the extension's own location. */
export function parseServiceName(value: unknown, file: string, pointer: string): string {
  if (typeof value !== 'string' || !isServiceName(value)) {
    fail(file, pointer, `${SERVICE} must be an identifier string such as "slack" (not a reserved word or built-in global), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `x-flowgate-verb`: a non-empty string without spaces. */
export function parseVerb(value: unknown, file: string, pointer: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z][\w.-]*$/.test(value)) {
    fail(file, pointer, `${VERB} must be a word such as "post", got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `x-flowgate-labels`: an array of non-empty strings (a single string is a mistake, not a shorthand). */
export function parseLabels(value: unknown, file: string, pointer: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    fail(file, pointer, `${LABELS} must be an array of label strings such as ["slack.messages"], got ${JSON.stringify(value)}`);
  }
  return [...new Set(value as string[])];
}

/** `x-flowgate-destination`: an object mapping each destination class to an array of glob patterns, order kept. */
export function parseDestination(value: unknown, file: string, pointer: string): DestinationRule[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) {
    fail(file, pointer, `${DESTINATION} must be an object mapping destination classes to glob patterns, e.g. {"slack.public": ["#general"]}, got ${JSON.stringify(value)}`);
  }
  const rules: DestinationRule[] = [];
  for (const [destination, patterns] of Object.entries(value)) {
    if (destination.trim() === '') fail(file, pointer, `${DESTINATION} has an empty destination class`);
    if (!Array.isArray(patterns) || patterns.length === 0 || patterns.some((p) => typeof p !== 'string')) {
      fail(file, childPointer(pointer, destination), `${DESTINATION} class "${destination}" must map to a non-empty array of glob pattern strings, got ${JSON.stringify(patterns)}`);
    }
    rules.push({ destination, patterns: [...(patterns as string[])] });
  }
  return rules;
}

/** `x-flowgate-approval`: `"always"` or `{ "when": "<condition>" }`. */
export function parseApproval(value: unknown, file: string, pointer: string): ApprovalMark {
  if (value === 'always') return { kind: 'always' };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const when = (value as Record<string, unknown>).when;
    if (keys.length === 1 && typeof when === 'string' && when.trim() !== '') return { kind: 'when', when };
  }
  return fail(file, pointer, `${APPROVAL} must be "always" or {"when": "<condition>"}, got ${JSON.stringify(value)}`);
}

/**
 * Checks one `x-flowgate-*` key found anywhere in a document: the name must be known and the
 * value well-shaped. Used on raw documents so errors point where the author wrote the value.
 */
export function checkExtension(name: string, value: unknown, file: string, pointer: string): void {
  switch (name) {
    case SERVICE: parseServiceName(value, file, pointer); return;
    case VERB: parseVerb(value, file, pointer); return;
    case LABELS: parseLabels(value, file, pointer); return;
    case DESTINATION: parseDestination(value, file, pointer); return;
    case APPROVAL: parseApproval(value, file, pointer); return;
    default:
      fail(file, pointer, `unknown extension ${name}; Flowgate reads ${KNOWN_EXTENSIONS.join(', ')}`);
  }
}

/** Walks a whole document and checks every `x-flowgate-*` key (see {@link checkExtension}). */
export function checkAllExtensions(document: unknown, file: string): void {
  const seen = new Set<object>();
  // The path is kept as tokens and made a pointer only where an extension is found: building a
  // pointer for each of a 13 MB document's nodes took most of a second.
  const path: Array<string | number> = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
      return;
    }
    for (const key in node) {
      const value = (node as Record<string, unknown>)[key];
      if (key.startsWith('x-flowgate-')) checkExtension(key, value, file, childPointer('', ...path, key));
      else if (key !== 'example' && key !== 'examples' && value !== null && typeof value === 'object') {
        path.push(key);
        walk(value);
        path.pop();
      }
    }
  };
  walk(document);
}

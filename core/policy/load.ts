/**
 * Loading policies. {@link parsePolicy} is pure (text in, Policy out); {@link loadPolicy} is the
 * adapter that finds and reads the file: a name (`seed`, `hr-assistant`, any `<name>.json` in
 * the repository's `policies/` folder) or a path.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, PolicyError } from './types.ts';
import type { Limits, Policy, PolicyDocument } from './types.ts';
import { validatePolicyDocument } from './validate.ts';
import { parseDuration, parseMemory } from './units.ts';

export { parseDuration, parseMemory } from './units.ts';

/** The repository's `policies/` folder (example policies and policy.schema.json). */
export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));

/** Line and column (1-based) of a 0-based offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function syntaxError(text: string, file: string, err: Error): PolicyError {
  const m = /at position (\d+)/.exec(err.message);
  const offset = m ? Number(m[1]) : text.length;
  const { line, column } = lineColumn(text, offset);
  let reason = err.message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/,\s*".*" is not valid JSON$/s, '');
  if (/Unexpected end of JSON input/.test(err.message)) reason = 'the file ends too early (a missing "}" or "]"?)';
  const rest = text.slice(offset);
  if (rest.startsWith('//') || rest.startsWith('/*')) reason = 'JSON has no comments; remove the comment';
  else if (/^[}\]]/.test(rest) && /,\s*$/.test(text.slice(0, offset))) reason = 'remove the trailing comma before this';
  return new PolicyError(file, '', `invalid JSON at line ${line}, column ${column}: ${reason}`, { line, column });
}

/** Normalised limits from the document, DEFAULT_LIMITS for those not given. */
export function limitsOf(doc: PolicyDocument): Limits {
  return {
    maxDurationMs: doc.maxDuration === undefined ? DEFAULT_LIMITS.maxDurationMs : parseDuration(doc.maxDuration),
    maxMemoryMb: doc.maxMemory === undefined ? DEFAULT_LIMITS.maxMemoryMb : parseMemory(doc.maxMemory),
    maxApiCalls: doc.maxApiCalls ?? DEFAULT_LIMITS.maxApiCalls,
  };
}

/**
 * Parses and validates a policy file's text. Pure. `file` names the file in error messages;
 * `name` defaults to the file's base name without `.json`.
 * @throws PolicyError for invalid JSON (with line and column) or a document that breaks the
 *   schema (with the JSON pointer of the bad field).
 */
export function parsePolicy(text: string, file: string, name?: string): Policy {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    throw syntaxError(source, file, err as Error);
  }
  const document = validatePolicyDocument(value, file);
  return { name: name ?? basename(file).replace(/\.json$/i, ''), document, limits: limitsOf(document) };
}

/** Names of the policies in `policies/` (every `*.json` except the schema). */
export function listPolicies(dir: string = POLICIES_DIR): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Where `nameOrPath` points: a path when it has a separator; a bare `x.json` in the working
 * directory, else in `policies/`; a name is `policies/<name>.json`, else a file of that name.
 */
export function resolvePolicyFile(nameOrPath: string): string | undefined {
  const hasSeparator = /[/\\]/.test(nameOrPath);
  if (hasSeparator) return resolve(nameOrPath);
  if (/\.json$/i.test(nameOrPath)) {
    // A bare file name: the working directory first, then policies/.
    const inPolicies = resolve(POLICIES_DIR, nameOrPath);
    return !existsSync(nameOrPath) && existsSync(inPolicies) ? inPolicies : resolve(nameOrPath);
  }
  const named = resolve(POLICIES_DIR, `${nameOrPath}.json`);
  if (existsSync(named)) return named;
  if (existsSync(nameOrPath)) return resolve(nameOrPath);
  return undefined;
}

/**
 * Loads a policy by name (`seed`, `hr-assistant`, any file in `policies/`) or by path.
 * @throws PolicyError when the policy cannot be found, read or parsed.
 */
export function loadPolicy(nameOrPath: string): Policy {
  const path = resolvePolicyFile(nameOrPath);
  if (!path) {
    const known = listPolicies();
    throw new PolicyError(nameOrPath, '', `no policy named "${nameOrPath}"; known policies: ${known.join(', ') || 'none'} (or give the path of a .json file)`);
  }
  const isName = !/[/\\]/.test(nameOrPath) && !/\.json$/i.test(nameOrPath) && path.startsWith(POLICIES_DIR);
  const file = isName ? `policies/${nameOrPath}.json` : nameOrPath;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (err as Error).message;
    throw new PolicyError(file, '', `cannot read the policy: ${why}`);
  }
  return parsePolicy(text, file, isName ? nameOrPath : undefined);
}

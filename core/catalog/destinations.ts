/**
 * Destinations a call names (SCENARIOS.md: every call is the destination `<service>`; an
 * argument with `x-flowgate-destination` adds the class its value matches, first match wins).
 */
import type { DestinationRule, Operation } from './types.ts';
import { globMatch } from './glob.ts';

/** The class of the first rule with a pattern matching `value`, or undefined. */
export function classify(rules: readonly DestinationRule[], value: string): string | undefined {
  for (const rule of rules) {
    if (rule.patterns.some((p) => globMatch(p, value))) return rule.destination;
  }
  return undefined;
}

/** Whether some pattern matches every value (`*`, `**`…), so no value can go unmatched. */
export function catchesAll(rules: readonly DestinationRule[]): boolean {
  return rules.some((r) => r.patterns.some((p) => p.length > 0 && /^\*+$/.test(p)));
}

/**
 * The classes a value of an argument names. Strings (and numbers, booleans) are matched as
 * text; arrays give the union over their elements; `null`/`undefined` name nothing; any other
 * value (an object) cannot be classified, so it is taken to name every class (sound, not precise).
 */
function classesOf(rules: readonly DestinationRule[], value: unknown, out: Set<string>): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) classesOf(rules, v, out);
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    const c = classify(rules, String(value));
    if (c !== undefined) out.add(c);
    return;
  }
  for (const r of rules) out.add(r.destination);
}

/**
 * The destinations of one concrete call: `[service, ...classes]`, where each destination
 * argument's value adds the class it matches (none when unmatched). Duplicates removed.
 */
export function destinationsOf(op: Operation, args: Record<string, unknown> | undefined | null): string[] {
  const out = new Set<string>([op.service]);
  for (const p of op.params) {
    if (!p.destination) continue;
    const found = new Set<string>();
    classesOf(p.destination, args?.[p.name], found);
    for (const c of found) out.add(c);
  }
  return [...out];
}

/**
 * Every alternative destination set a call of `op` could have when its arguments are unknown:
 * per destination argument, one alternative per class plus `[service]` when a value could go
 * unmatched; several destination arguments combine as a product. An array argument can name
 * several classes at once; that set is the union of single-class alternatives, so checking
 * each alternative covers it.
 */
export function possibleDestinations(op: Operation): string[][] {
  let alternatives: string[][] = [[op.service]];
  for (const p of op.params) {
    if (!p.destination) continue;
    const choices: (string | undefined)[] = [...new Set(p.destination.map((r) => r.destination))];
    if (!catchesAll(p.destination) || !p.required) choices.push(undefined);
    const next: string[][] = [];
    for (const alt of alternatives) {
      for (const c of choices) next.push(c === undefined || alt.includes(c) ? alt : [...alt, c]);
    }
    alternatives = dedupe(next);
  }
  return alternatives;
}

function dedupe(sets: string[][]): string[][] {
  const seen = new Set<string>();
  return sets.filter((s) => {
    const key = JSON.stringify([s[0], ...s.slice(1).sort()]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What an argument chooses, for the integrity rules: where things go, who gets them, which URL, how much. */
export type Choice = 'destination' | 'recipient' | 'url' | 'amount' | 'target';

/**
 * The arguments of `op` that choose rather than carry: destination arguments, arguments with an
 * `x-flowgate-role`, and the path parameters of an operation that changes something (they pick
 * which record is written).
 */
export function choicesOf(op: Operation): Map<string, Choice> {
  const out = new Map<string, Choice>();
  for (const p of op.params) {
    if (p.role) out.set(p.name, p.role);
    else if (p.destination) out.set(p.name, 'destination');
    else if (p.in === 'path' && op.verb !== 'read') out.set(p.name, 'target');
  }
  return out;
}

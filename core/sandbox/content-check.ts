/**
 * The second layer of runtime enforcement: what an outgoing call *contains*, whatever the
 * program did to it on the way. Values this run read from labelled fields are remembered;
 * an argument that carries one of them (or a payment card number) counts as that label's data.
 */
import type { FieldLabel } from '../catalog/types.ts';

/** Shorter values match too much innocent text to be evidence of a flow. */
const MIN_VALUE_LENGTH = 4;

export class SensitiveValues {
  private readonly byValue = new Map<string, Set<string>>();

  remember(value: string, label: string): void {
    if (value.length < MIN_VALUE_LENGTH) return;
    let labels = this.byValue.get(value);
    if (!labels) this.byValue.set(value, (labels = new Set()));
    labels.add(label);
  }

  /** Labels whose remembered values occur anywhere in `data` (strings searched, numbers compared). */
  labelsIn(data: unknown): Set<string> {
    const found = new Set<string>();
    if (this.byValue.size === 0) return found;
    const text = JSON.stringify(data) ?? '';
    for (const [value, labels] of this.byValue) {
      if (text.includes(value)) for (const l of labels) found.add(l);
    }
    return found;
  }
}

/** Walks a response along each field label's path and yields the leaf values found there. */
export function* labelledValues(response: unknown, fieldLabels: FieldLabel[]): Generator<{ value: string; labels: string[] }> {
  for (const field of fieldLabels) {
    for (const value of walk(response, field.path, 0)) {
      for (const leaf of leaves(value)) yield { value: leaf, labels: field.labels };
    }
  }
}

function* walk(node: unknown, path: string[], i: number): Generator<unknown> {
  if (i === path.length) {
    yield node;
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const step = path[i];
  if (step === '[]') {
    if (Array.isArray(node)) for (const item of node) yield* walk(item, path, i + 1);
    return;
  }
  yield* walk((node as Record<string, unknown>)[step], path, i + 1);
}

function* leaves(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (typeof value === 'number' || typeof value === 'bigint') yield String(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* leaves(v);
}

/** Digit runs of 13–19 (spaces or dashes allowed between) that pass the Luhn check. */
export function containsCardNumber(data: unknown): boolean {
  const text = JSON.stringify(data) ?? '';
  for (const match of text.matchAll(/\d(?:[ -]?\d){12,18}/g)) {
    if (luhn(match[0].replace(/\D/g, ''))) return true;
  }
  return false;
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

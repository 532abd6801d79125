/**
 * The second layer of runtime enforcement: what an outgoing call *contains*, whatever the
 * program did to it on the way. Values this run read from labelled fields are remembered;
 * an argument that carries one of them (or a payment card number) counts as that label's data.
 */
import type { FieldLabel } from '../catalog/types.ts';

/** Shorter values match too much innocent text to be evidence of a flow. */
const MIN_VALUE_LENGTH = 4;

export class SensitiveValues {
  private readonly strings = new Map<string, Set<string>>();
  private readonly numbers = new Map<string, Set<string>>();

  remember(value: string, label: string): void {
    const numeric = /^-?\d+(\.\d+)?$/.test(value);
    // Dates are shared by unrelated records (a grant date is also a start date): no evidence.
    if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(value)) return;
    // Small numbers (counts, ratings, years' digits) occur everywhere; they prove nothing.
    if (numeric ? Math.abs(Number(value)) < 1000 : value.length < MIN_VALUE_LENGTH) return;
    const table = numeric ? this.numbers : this.strings;
    let labels = table.get(value);
    if (!labels) table.set(value, (labels = new Set()));
    labels.add(label);
  }

  /** Labels whose remembered values occur in `data`: strings anywhere, numbers as whole numbers. */
  labelsIn(data: unknown): Set<string> {
    const found = new Set<string>();
    if (this.strings.size === 0 && this.numbers.size === 0) return found;
    const text = JSON.stringify(data) ?? '';
    for (const [value, labels] of this.strings) {
      if (text.includes(value)) for (const l of labels) found.add(l);
    }
    if (this.numbers.size) {
      for (const match of text.matchAll(/(?<![\d.])-?\d+(?:\.\d+)?(?![\d.])/g)) {
        const labels = this.numbers.get(match[0]);
        if (labels) for (const l of labels) found.add(l);
      }
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

/**
 * Payment card numbers: a run of 13–19 digits (single spaces or dashes allowed between), not part
 * of a longer digit run, starting as the card networks do (2–6), not one repeated digit, passing
 * the Luhn check.
 */
export function containsCardNumber(data: unknown): boolean {
  const text = JSON.stringify(data) ?? '';
  for (const match of text.matchAll(/(?<![\d-])[2-6](?:[ -]?\d){12,18}(?![\d])/g)) {
    const digits = match[0].replace(/\D/g, '');
    if (!/^(\d)\1+$/.test(digits) && luhn(digits)) return true;
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

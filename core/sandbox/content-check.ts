/**
 * The second layer of runtime enforcement (ENFORCEMENT.md §7): what an outgoing call *contains*.
 * Values this run read from labelled fields are remembered; an argument that carries one of
 * them, as written or reformatted in one short step (separators, case, whitespace, reversed,
 * hex, base64, escapes: see core/audit/forms.ts), counts as that label's data. Payment card
 * numbers and national ids are recognised by pattern, whatever their source.
 *
 * This is never the guarantee: the interpreter's per-value label tracking is. Arithmetic,
 * ciphers and values split across calls are out of its reach by design.
 *
 * Invariant: nothing here logs or stringifies a remembered value; findings name labels and forms.
 */
import type { FieldLabel } from '../catalog/types.ts';
import type { Form } from '../audit/forms.ts';
import { jsonSegments } from '../audit/segments.ts';
import { ValueIndex } from '../audit/value-index.ts';

/** Shorter values match too much innocent text to be evidence of a flow. */
const MIN_VALUE_LENGTH = 4;
/** Small numbers (counts, ratings, years' digits) occur everywhere; they prove nothing. */
const MIN_NUMBER = 1000;
const NUMERIC = /^-?\d+(\.\d+)?$/;
/** Dates are shared by unrelated records (a grant date is also a start date): no evidence. */
const DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/;

/** A remembered value found in data: its label and the form it was found in, never the value. */
export interface ContentFinding {
  label: string;
  form: Form;
  /** Found after reading escape sequences (`%31`, `\u0031`, `&#49;`). */
  decoded: boolean;
}

export class SensitiveValues {
  private readonly index = new ValueIndex({ literalMin: MIN_VALUE_LENGTH, literalNumbers: false, literalBoundary: 'word' });
  /** Labels per value id. */
  private readonly labels: Set<string>[] = [];

  /** Remembers a value read from a field carrying `label` (ignored when too short or a date). */
  remember(value: string, label: string): void {
    if (DATE.test(value)) return;
    if (NUMERIC.test(value) ? Math.abs(Number(value)) < MIN_NUMBER : value.length < MIN_VALUE_LENGTH) return;
    const id = this.index.add(value);
    (this.labels[id] ??= new Set()).add(label);
  }

  /** How many distinct values are remembered. */
  get size(): number {
    return this.index.size;
  }

  /**
   * Labels whose remembered values occur in `data`: strings anywhere as written, and every
   * value under its normalised forms at word boundaries (numbers as whole numbers).
   */
  labelsIn(data: unknown): Set<string> {
    return new Set(this.findIn(data).map((f) => f.label));
  }

  /** Each (label, form) under which a remembered value occurs in `data`, once. */
  findIn(data: unknown): ContentFinding[] {
    if (this.index.size === 0) return [];
    const found = new Map<string, ContentFinding>();
    for (const match of this.index.find(jsonSegments(data))) {
      for (const label of this.labels[match.id]) {
        const key = `${label}\u0000${match.form}\u0000${match.decoded}`;
        if (!found.has(key)) found.set(key, { label, form: match.form, decoded: match.decoded });
      }
    }
    return [...found.values()];
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
 * Payment card numbers: a run of 13–19 digits (single spaces, dashes, dots, underscores or
 * slashes allowed between), not part of a longer digit run, starting as the card networks do
 * (2–6), not one repeated digit, passing the Luhn check. Read after compatibility folding
 * (fullwidth digits), without invisible characters, and across short array items (`[4, 2, …]`).
 */
export function containsCardNumber(data: unknown): boolean {
  for (const text of patternTexts(data)) {
    for (const match of text.matchAll(/(?<![\d.-])[2-6](?:[ ._/-]?\d){12,18}(?![\d])/g)) {
      const digits = match[0].replace(/\D/g, '');
      if (!/^(\d)\1+$/.test(digits) && luhn(digits)) return true;
    }
  }
  return false;
}

/**
 * The texts the patterns read: each string, number and key of `data`, short array items that
 * chain (see core/audit/segments.ts) joined by a space; compatibility-folded, invisible
 * characters removed.
 */
function* patternTexts(data: unknown): Generator<string> {
  let chain: string[] = [];
  const flush = function* () {
    if (chain.length) yield fold(chain.join(' '));
    chain = [];
  };
  for (const { text, joined } of jsonSegments(data)) {
    if (!joined) yield* flush();
    chain.push(text);
  }
  yield* flush();
}

function fold(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(text) ? text.normalize('NFKC').replace(/\p{Cf}/gu, '') : text;
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

/** A label that stands for national ids found by pattern, whatever their source. */
export const NATIONAL_ID_LABEL = 'content.nationalId';

/**
 * National ids by pattern: US Social Security numbers written `ddd-dd-dddd` or `ddd dd dddd`
 * (or nine digits right after "SSN"), excluding ranges never issued (area 000, 666, 900–999;
 * group 00; serial 0000) and well-known sample numbers; UK National Insurance numbers
 * (`AB 12 34 56 C`, prefixes never issued excluded). Read as card numbers are.
 */
export function containsNationalId(data: unknown): boolean {
  for (const text of patternTexts(data)) {
    if (!/\d{2}/.test(text)) continue;
    for (const m of text.matchAll(SSN)) if (validSsn(m[1], m[3], m[4])) return true;
    for (const m of text.matchAll(SSN_AFTER_KEYWORD)) if (validSsn(m[1], m[2], m[3])) return true;
    if (NINO.test(text)) return true;
  }
  return false;
}

const SSN = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_AFTER_KEYWORD = /\b(?:ssn|social security(?: number| no\.?)?)\W{0,3}(\d{3})(\d{2})(\d{4})(?!\d)/gi;
const NINO = /\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/i;
const SAMPLE_SSNS = new Set(['078051120', '219099999', '123456789']);

function validSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9' || group === '00' || serial === '0000') return false;
  return !SAMPLE_SSNS.has(area + group + serial);
}

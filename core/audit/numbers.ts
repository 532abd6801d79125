/**
 * Numbers as written in text, reduced to one canonical form so a registered amount is recognised
 * however a program printed it: `179000`, `179,000`, `179 000`, `179.000,00` (European),
 * `179000.00`, `0179000`, `1.79e5`, `-179000` all read as `179000`.
 *
 * Out of scope (the label tracking is the guarantee): arithmetic (`salary + 1`, `salary / 1000`
 * printed as `179k`), rounding, number words ("one hundred seventy-nine thousand").
 *
 * Pure (no I/O). Nothing here logs or stringifies the text it is given.
 */

/** Numbers smaller than this (counts, ratings, small ids) occur everywhere; they prove nothing. */
export const MIN_EVIDENT_NUMBER = 1000;

/**
 * A number token: digits, optionally grouped by thousands with one consistent separator, an
 * optional decimal part and exponent; not part of a longer run of digits, decimals or groups.
 */
const NUMBER_TOKEN =
  /(?<![\d.,])[-+]?(?<int>\d{1,3}(?:(?<sep>[,.' _\u00a0\u2009\u202f])\d{3})(?:\k<sep>\d{3})*|\d+)(?:(?<dp>[.,])(?<frac>\d+))?(?:[eE](?<exp>[-+]?\d+))?(?![\d]|[.,]\d)/g;

/** Only what a number token can be made of (a quick test before the full one). */
const NUMBER_CHARS = /^[-+]?\d[\d.,' _\u00a0\u2009\u202feE+-]*$/;

/** A number found in text: its span and the canonical values it may stand for. */
export interface NumberToken {
  start: number;
  end: number;
  /** Canonical forms (see {@link canonicalNumber}); two when the separator is ambiguous (`1.500`). */
  values: string[];
}

/** The canonical form of a number: its absolute value in ECMAScript's shortest form. */
export function canonicalNumber(value: number): string | undefined {
  return Number.isFinite(value) ? String(Math.abs(value)) : undefined;
}

/** Every number token in `text`. */
export function* numberTokens(text: string): Generator<NumberToken> {
  if (!/\d/.test(text)) return;
  for (const m of text.matchAll(NUMBER_TOKEN)) {
    const values = readings(m.groups as Record<string, string | undefined>);
    if (values.length) yield { start: m.index, end: m.index + m[0].length, values };
  }
}

/** The canonical value of a string that is one number and nothing else (`" 179,000.00 "`). */
export function wholeNumber(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 64 || !NUMBER_CHARS.test(trimmed)) return undefined;
  for (const token of numberTokens(trimmed)) {
    return token.start === 0 && token.end === trimmed.length ? token.values[0] : undefined;
  }
  return undefined;
}

function readings(g: Record<string, string | undefined>): string[] {
  const { int = '', sep, dp, frac, exp } = g;
  const digits = sep ? int.split(sep).join('') : int;
  const out = new Set<string>();
  const add = (text: string) => {
    const canonical = canonicalNumber(Number(text));
    if (canonical !== undefined) out.add(canonical);
  };
  add(`${digits}${frac ? `.${frac}` : ''}${exp ? `e${exp}` : ''}`);
  // `1.500` / `1,500`: one group of three after a comma or a point is a thousands group in some
  // locales and a decimal part in others.
  if (sep && (sep === '.' || sep === ',') && !frac && !exp && int.length - digits.length === 1) add(int.replace(sep, '.'));
  // `179000,5`: a comma with no grouping before it may separate list items rather than decimals.
  if (!sep && dp === ',') add(digits);
  return [...out];
}

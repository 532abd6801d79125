/**
 * The forms under which a registered value is recognised inside text, computed once when the
 * value is registered. Each form is a *key*: a string looked up in a skeleton (normalize.ts:
 * letters and digits only, case and compatibility forms folded, invisible characters dropped,
 * escapes such as `%31`, `\u0031`, `&#49;` read on a second pass), with the boundary it must
 * respect there. Two forms are matched outside skeletons by value-index.ts: `literal` (the
 * value as written) and `number` (numbers.ts: `179,000`, `179.000,00`, `1.79e5`, `-0179000`).
 *
 * | form         | example for `179000` / `Ana Diaz`              | boundary                       |
 * |--------------|------------------------------------------------|--------------------------------|
 * | `text`       | `1-7-9-0-0-0`, `ANA_DIAZ`, `a n a d i a z`     | word (see below)               |
 * | `reversed`   | `005971` (of 179500), `zaiD anA`               | word                           |
 * | `hex`        | `313739303030`, `31 37 39 …` (UTF-8 bytes)     | anywhere if ≥ 12 chars, else a whole run |
 * | `base64`     | `MTc5MDAw` (standard or URL-safe, any padding) | a whole run                    |
 * | `base64`     | inside base64 of a longer text, 3 alignments   | anywhere if ≥ 7 chars (case-sensitive) |
 * | `radix`      | `2bb38`, `0x2BB38`, `101011101100111000`       | a whole run                    |
 * | `char-codes` | `49,55,57,48,48,48` (`[...s].map(c => c.charCodeAt(0))`) | word                  |
 *
 * Word boundary: a match starts and ends where a separator lies or letters meet digits, so
 * `179000` is not found in `91790001` but is in `USD179000`. A key shorter than
 * {@link SHORT_KEY} must appear as one word, spelled out one character at a time, or split only
 * where the value itself is split (`Bo Li`); longer keys may be split anywhere (`+1 555 0100`
 * as `1-555-0100`); character codes split only between codes. Spelled out, the match is the whole spelled-out run (`1-7-9-0-0-0` is not
 * in `1-7-9-0-0-0-1`). Separators of up to eight characters may lie between two characters;
 * array items of up to four characters chain (segments.ts), so `[..."179000"]` is found.
 *
 * What proves nothing is left out: numbers below 1000, skeletons shorter than four characters,
 * a fraction's digits run together (`98765.5` is found only as a number), a reversed number
 * with fewer than four significant digits (`000971` could be a padded id).
 *
 * Out of scope, by design (the interpreter's label tracking is the guarantee): arbitrary ciphers
 * (ROT13, XOR, character shifts), arithmetic on numbers (`salary + 1`, `179k`), number words,
 * encodings of encodings, UTF-16 byte encodings, homoglyphs (Cyrillic `а` for `a`), separators
 * longer than eight characters, and a value split into pieces across calls, fields or words.
 *
 * Pure (no I/O). Nothing here logs or stringifies a registered value.
 */
import { wholeNumber } from './numbers.ts';
import { wordsOf } from './normalize.ts';

export type Form = 'literal' | 'number' | 'text' | 'reversed' | 'hex' | 'base64' | 'radix' | 'char-codes';

/** Where a key may match: at word boundaries, as a whole run of letters and digits, or anywhere. */
export type Boundary = 'word' | 'run' | 'none';

export interface FormKey {
  /** The key, in skeleton form (letters and digits only). */
  text: string;
  form: Form;
  /** Compared case-folded, or against the text's own case (base64). */
  caseSensitive: boolean;
  boundary: Boundary;
  /**
   * Offsets where the value itself is split into words, one UTF-16 code unit per offset (a
   * run holds thousands of keys: a string is the compact form). See {@link hasSplit}.
   */
  splits: string;
  /** Base64 inside a longer text: bits the value fixes in the characters just before and after. */
  head: EdgeBits;
  tail: EdgeBits;
  /** The registered value's id, set by the index (-1 until then; part of the shape from the start). */
  id: number;
}

/**
 * Bits a base64 character next to a key must carry, packed in one number (`mask << 6 | bits`;
 * 0 for no check): `(sextet(char) & mask) === bits`. See {@link edgeFits}.
 */
export type EdgeBits = number;

/** Whether `splits` (see {@link FormKey.splits}) holds `offset`. */
export function hasSplit(splits: string, offset: number): boolean {
  for (let k = 0; k < splits.length; k++) if (splits.charCodeAt(k) === offset) return true;
  return false;
}

/** Whether a base64 character (its code) carries the bits `edge` asks for. */
export function edgeFits(edge: EdgeBits, char: number): boolean {
  const v = sextet(char);
  return v >= 0 && (v & (edge >> 6)) === (edge & 63);
}

/** Shortest skeleton that counts as evidence (`Diaz`, `1500`). */
export const MIN_KEY = 4;
/** Word keys shorter than this must not be re-split arbitrarily (see the module comment). */
export const SHORT_KEY = 7;
/** Shortest whole-run encoded key (base64 of four bytes). */
const MIN_WHOLE_ENCODED = 6;
/** Shortest base64 key matched inside a longer base64 text (case-sensitive, so 62^7 to one). */
const MIN_EMBEDDED_BASE64 = 7;
/** Shortest hex key matched inside a longer hex text. */
const MIN_EMBEDDED_HEX = 12;
/** Values longer than this are matched as text and literally, not under encodings. */
export const MAX_ENCODED_VALUE = 4096;
/** Values longer than this (a whole document) are matched literally only. */
export const MAX_NORMALISED_VALUE = 16_384;

/**
 * The keys of one value. The caller has already judged the value long enough to be evidence;
 * `number` is its canonical number when it is one (numbers.ts `wholeNumber`).
 */
export function keysOf(value: string, number = wholeNumber(value)): FormKey[] {
  const keys: FormKey[] = [];
  if (value.length > MAX_NORMALISED_VALUE) return keys;
  const add = (key: FormKey) => {
    if (!keys.some((k) => k.text === key.text && k.caseSensitive === key.caseSensitive && k.boundary === key.boundary)) keys.push(key);
  };
  const { lower: text, splits } = wordsOf(value);
  const integer = number !== undefined && /^\d+$/.test(number);
  // A fraction's digits run together read as another number (`98765.5` is not `987655`):
  // fractions are found as numbers only.
  if (text.length >= MIN_KEY && (number === undefined || integer)) {
    add(makeKey(text, 'text', false, 'word', offsets(splits)));
    if (reversible(text)) {
      const reversed = [...text].reverse().join('');
      add(makeKey(reversed, 'reversed', false, 'word', offsets(splits.map((k) => text.length - k).reverse())));
    }
  }
  if (integer && Number.isSafeInteger(Number(number))) {
    const n = Number(number);
    const hex = n.toString(16);
    // A hex form made only of digits reads as another decimal number.
    if (/[a-f]/.test(hex)) {
      add(makeKey(hex, 'radix', false, 'run'));
      add(makeKey(`0x${hex}`, 'radix', false, 'run'));
    }
    add(makeKey(n.toString(2), 'radix', false, 'run'));
  }
  if (value.length <= MAX_ENCODED_VALUE) for (const key of encodedKeys(value)) add(key);
  return keys;
}

/** A key; every key has the same fields, so the index's keys share one object shape. */
function makeKey(text: string, form: Form, caseSensitive: boolean, boundary: Boundary, splits = '', head = 0, tail = 0): FormKey {
  return { text, form, caseSensitive, boundary, splits, head, tail, id: -1 };
}

/** Offsets in the compact form of {@link FormKey.splits} (offsets stay below 2^16: see the limits). */
function offsets(list: number[]): string {
  return list.length ? String.fromCharCode.apply(null, list) : '';
}

/**
 * Whether the reversed key is evidence. A short reversed word is often another word (`Diaz` →
 * `zaid`). Reversed digits start with the value's trailing zeros (`179000` → `000971`), which a
 * zero-padded id may equal, so they need four significant digits (`179500` → `005971`).
 */
function reversible(text: string): boolean {
  if (/^\d+$/.test(text)) return text.replace(/0+$/, '').length >= MIN_KEY;
  return text.length >= 6;
}

function encodedKeys(value: string): FormKey[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length < MIN_KEY) return [];
  const keys: FormKey[] = [];
  const hex = bytes.toString('hex');
  keys.push(makeKey(hex, 'hex', false, hex.length >= MIN_EMBEDDED_HEX ? 'none' : 'run'));
  const whole = alnum(bytes.toString('base64'));
  if (whole.length >= MIN_WHOLE_ENCODED) keys.push(makeKey(whole, 'base64', true, 'run'));
  for (const { text, head, tail } of embeddedBase64(bytes)) {
    if (text.length >= MIN_EMBEDDED_BASE64) keys.push(makeKey(text, 'base64', true, 'none', '', head, tail));
  }
  const codes = [...value].map((c) => String(c.codePointAt(0)));
  const splits: number[] = [];
  for (let k = 0, at = 0; k < codes.length - 1; k++) splits.push((at += codes[k].length));
  keys.push(makeKey(codes.join(''), 'char-codes', false, 'word', offsets(splits)));
  return keys;
}

/**
 * The base64 characters that depend only on `bytes` when they sit at offset 0, 1 or 2 (mod 3)
 * inside a longer text. Base64 packs 3 bytes into 4 characters of 6 bits, so at either end one
 * character mixes the value's bits with its neighbours': those are left out of the key, and the
 * bits the value fixes in them are kept as `head`/`tail`, checked when a match is found (else
 * `179001` would match `179000`, which differs only in the last byte's low bits).
 */
function embeddedBase64(bytes: Buffer): Array<{ text: string; head: EdgeBits; tail: EdgeBits }> {
  const parts: Array<{ text: string; head: EdgeBits; tail: EdgeBits }> = [];
  const padded = Buffer.alloc(bytes.length + 2);
  bytes.copy(padded, 2);
  for (let align = 0; align < 3; align++) {
    const encoded = padded.subarray(2 - align).toString('base64');
    const from = Math.ceil((8 * align) / 6);
    const to = Math.floor((8 * (align + bytes.length)) / 6);
    const stable = encoded.slice(from, to);
    // The edge checks read the characters next to the match; a stable part that starts or ends
    // with `+` or `/` (dropped from skeletons) would misplace them, so it goes unchecked.
    const plainEdges = /^[0-9A-Za-z].*[0-9A-Za-z]$/s.test(stable);
    const headBits = 6 * from - 8 * align;
    const tailBits = 8 * (align + bytes.length) - 6 * to;
    parts.push({
      text: alnum(stable),
      head: plainEdges && headBits > 0 ? edge(encoded[from - 1], (1 << headBits) - 1) : 0,
      tail: plainEdges && tailBits > 0 ? edge(encoded[to], ((1 << tailBits) - 1) << (6 - tailBits)) : 0,
    });
  }
  return parts;
}

function edge(char: string, mask: number): EdgeBits {
  return (mask << 6) | (sextet(char.charCodeAt(0)) & mask);
}

/** The 6-bit value of a base64 character (standard or URL-safe alphabet), or -1. */
export function sextet(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43 || c === 45) return 62;
  if (c === 47 || c === 95) return 63;
  return -1;
}

/** A base64 text in skeleton form: `+ / - _ =` are separators there, as in any scanned text. */
function alnum(text: string): string {
  return text.replace(/[^0-9A-Za-z]/g, '');
}

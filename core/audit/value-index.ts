/**
 * Finds registered values in text under every form of forms.ts, fast with thousands of values.
 *
 * Cost: registering a value computes its keys once. Scanning builds the text's skeleton once
 * (twice when it holds escape sequences) and probes each position with a hash of its first
 * characters: one typed-array test for most positions, a map lookup and a `startsWith` for the
 * rare candidates. Work is proportional to the text, not to text × values.
 *
 * Invariant: clear values live only in this object's memory. Nothing here logs, throws on or
 * stringifies a registered value; a match names the value by id, never by its text.
 */
import { edgeFits, hasSplit, keysOf, MIN_KEY, SHORT_KEY, type EdgeBits, type Form, type FormKey } from './forms.ts';
import { CHAIN_BREAK, hasEscapes, segmentAt, segmentBases, SkeletonBuffer, skeletonOf, type Segment, type Skeleton } from './normalize.ts';
import { MIN_EVIDENT_NUMBER, numberTokens, wholeNumber } from './numbers.ts';

export interface ValueIndexOptions {
  /** Shortest value matched literally inside text. */
  literalMin: number;
  /** Whether numeric values are also matched literally. */
  literalNumbers: boolean;
  /**
   * Where a literal match may lie: `word`, not glued to a letter (or digit) where the value
   * starts or ends with one (`Ana Diaz` is not in `Ana Diazo`); `none`, anywhere (redaction,
   * which prefers hiding too much).
   */
  literalBoundary: 'word' | 'none';
}

/** One occurrence: which value, in which form, where (offsets as in {@link segmentBases}). */
export interface ValueMatch {
  id: number;
  form: Form;
  /** Found after reading escape sequences (`%31`, `\u0031`, `&#49;`). */
  decoded: boolean;
  start: number;
  end: number;
}

/** A number of 1000 or more needs four digits in a row, a thousands group or an exponent. */
const MAY_HOLD_EVIDENT_NUMBER = /\d{4}|\d[,.' _\u00a0\u2009\u202f]\d{3}|\d[eE][-+]?\d/;

const LITERAL_WIDTH = 3;
const SKELETON_WIDTH = MIN_KEY;

export class ValueIndex {
  private readonly ids = new Map<string, number>();
  private readonly literal = new PrefixTable(LITERAL_WIDTH, false);
  private readonly skeleton = new PrefixTable(SKELETON_WIDTH, true);
  private readonly numbers = new Map<string, number[]>();
  private readonly options: ValueIndexOptions;
  /** Scratch for the skeletons of short texts (find is synchronous and keeps none of them). */
  private readonly buffer = new SkeletonBuffer();

  constructor(options: ValueIndexOptions) {
    this.options = options;
  }

  /** How many distinct values are registered. */
  get size(): number {
    return this.ids.size;
  }

  /**
   * Registers `value` and returns its id (the same id for the same text). Numbers below
   * {@link MIN_EVIDENT_NUMBER} and skeletons shorter than {@link MIN_KEY} get no normalised form.
   */
  add(value: string): number {
    const known = this.ids.get(value);
    if (known !== undefined) return known;
    const id = this.ids.size;
    this.ids.set(value, id);
    const number = wholeNumber(value);
    if (value.length >= Math.max(this.options.literalMin, LITERAL_WIDTH) && (number === undefined || this.options.literalNumbers)) {
      this.literal.add({ text: value, form: 'literal', caseSensitive: true, boundary: 'none', splits: '', head: 0, tail: 0, id });
    }
    if (number !== undefined && Number(number) < MIN_EVIDENT_NUMBER) return id;
    if (number !== undefined) {
      const list = this.numbers.get(number);
      if (list) list.push(id);
      else this.numbers.set(number, [id]);
    }
    for (const key of keysOf(value, number)) {
      key.id = id;
      this.skeleton.add(key);
    }
    return id;
  }

  /** Every occurrence of a registered value in `segments`. */
  find(segments: readonly Segment[]): ValueMatch[] {
    const out: ValueMatch[] = [];
    if (this.ids.size === 0) return out;
    const bases = segmentBases(segments);
    segments.forEach((segment, k) => {
      if (this.literal.size) this.findLiteral(segment.text, bases[k], out);
      if (this.numbers.size) this.findNumbers(segment.text, bases[k], out);
    });
    const escapes = hasEscapes(segments);
    if (this.skeleton.size && (escapes || this.skeleton.mayStartIn(segments))) {
      const charAt = (offset: number) => {
        const k = segmentAt(bases, offset);
        return offset < bases[k] ? NaN : segments[k].text.charCodeAt(offset - bases[k]);
      };
      this.findInSkeleton(skeletonOf(segments, false, this.buffer), false, charAt, out);
      if (escapes) this.findInSkeleton(skeletonOf(segments, true, this.buffer), true, charAt, out);
    }
    return out;
  }

  private findLiteral(text: string, base: number, out: ValueMatch[]): void {
    const bounded = this.options.literalBoundary === 'word';
    this.literal.scan(text, (key, i) => {
      if (!text.startsWith(key.text, i)) return;
      const j = i + key.text.length;
      if (bounded && (glued(text, i - 1, i) || glued(text, j - 1, j))) return;
      out.push({ id: key.id, form: 'literal', decoded: false, start: base + i, end: base + j });
    });
  }

  private findNumbers(text: string, base: number, out: ValueMatch[]): void {
    if (!MAY_HOLD_EVIDENT_NUMBER.test(text)) return;
    for (const token of numberTokens(text)) {
      for (const value of token.values) {
        for (const id of this.numbers.get(value) ?? []) out.push({ id, form: 'number', decoded: false, start: base + token.start, end: base + token.end });
      }
    }
  }

  /** Keys found in a skeleton; `charAt` reads the original text (for base64 edge bits). */
  private findInSkeleton(s: Skeleton, decoded: boolean, charAt: (offset: number) => number, out: ValueMatch[]): void {
    this.skeleton.scan(s.lower, (key, i) => {
      const stream = key.caseSensitive ? s.raw : s.lower;
      if (!stream.startsWith(key.text, i)) return;
      const j = i + key.text.length;
      if (!fits(s, key, i, j)) return;
      const start = s.start[i];
      const end = s.end[j - 1];
      if (key.head && !edgeNear(key.head, charAt, start - 1, -1)) return;
      if (key.tail && !edgeNear(key.tail, charAt, end, 1)) return;
      out.push({ id: key.id, form: key.form, decoded, start, end });
    });
  }
}

/** Whether a key found at `[i, j)` of the skeleton respects its boundary and split rules. */
function fits(s: Skeleton, key: FormKey, i: number, j: number): boolean {
  const { gap, lower } = s;
  const n = lower.length;
  let splitCount = 0;
  let splitsOk = true;
  for (let k = i + 1; k < j; k++) {
    if (gap[k] === CHAIN_BREAK) return false;
    if (gap[k] > 0) {
      splitCount += 1;
      if (splitsOk && !hasSplit(key.splits, k - i)) splitsOk = false;
    }
  }
  if (key.boundary === 'none') return true;
  const runStart = i === 0 || gap[i] > 0;
  const runEnd = j === n || gap[j] > 0;
  if (key.boundary === 'run') return runStart && runEnd;
  if (!(runStart || isDigit(lower, i - 1) !== isDigit(lower, i))) return false;
  if (!(runEnd || isDigit(lower, j - 1) !== isDigit(lower, j))) return false;
  const spelledOut = splitCount > 0 && splitCount === j - i - 1;
  // Spelled out one character at a time, the match is the whole spelled-out sequence: not
  // `1-7-9-0-0-0` inside `1-7-9-0-0-0-1`.
  if (spelledOut && (singleBefore(s, i) || singleAfter(s, j))) return false;
  // Character codes of a list of small numbers (ages 48–57) must not re-split into another list.
  if (key.text.length >= SHORT_KEY && key.form !== 'char-codes') return true;
  // A short key: one word, spelled out one character at a time, or split as the value is.
  if (!(splitCount === 0 || spelledOut || splitsOk)) return false;
  // …and not the whole or the decimal part of a longer number (`179000.5`, `3.179000`).
  return !(inNumber(s, i - 1, i) || inNumber(s, j - 1, j));
}

/**
 * Whether the base64 character next to a match (from `at`, stepping by `step` over line breaks
 * and spaces, as in wrapped base64) carries the bits the value fixes there.
 */
function edgeNear(edge: EdgeBits, charAt: (offset: number) => number, at: number, step: number): boolean {
  let c = charAt(at);
  for (let k = 0; k < 4 && (c === 10 || c === 13 || c === 32); k++) c = charAt((at += step));
  return edgeFits(edge, c);
}

/** Whether a one-character word of the same chain ends right before `i`. */
function singleBefore(s: Skeleton, i: number): boolean {
  return i > 0 && s.gap[i] > 0 && s.gap[i] !== CHAIN_BREAK && (i === 1 || s.gap[i - 1] > 0);
}

/** Whether a one-character word of the same chain starts at `j`. */
function singleAfter(s: Skeleton, j: number): boolean {
  const n = s.lower.length;
  return j < n && s.gap[j] > 0 && s.gap[j] !== CHAIN_BREAK && (j + 1 === n || s.gap[j + 1] > 0);
}

/** Whether text[a] and text[b] are both letters or both digits (a word goes on across them). */
function glued(text: string, a: number, b: number): boolean {
  if (a < 0 || b >= text.length) return false;
  const x = charClass(text.charCodeAt(a));
  return x !== 0 && x === charClass(text.charCodeAt(b));
}

/** 1 for a digit, 2 for a letter, 0 otherwise (non-ASCII letters and digits by Unicode class). */
function charClass(c: number): number {
  if (c >= 48 && c <= 57) return 1;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return 2;
  if (c < 128) return 0;
  const ch = String.fromCharCode(c);
  return /\p{Nd}/u.test(ch) ? 1 : /\p{L}/u.test(ch) ? 2 : 0;
}

/** Whether the characters at `a` and `b = a + 1` are digits joined by a single `.` or `,`. */
function inNumber(s: Skeleton, a: number, b: number): boolean {
  if (a < 0 || b >= s.lower.length) return false;
  return s.gap[b] === 1 && (s.sepBefore[b] === 46 || s.sepBefore[b] === 44) && isDigit(s.lower, a) && isDigit(s.lower, b);
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Keys bucketed by a hash of their first `width` characters (case-folded when `fold`: the
 * skeleton table is scanned over the case-folded stream). A bitset of the hashes present (2^20
 * bits: a few percent full with tens of thousands of keys) lets a
 * scan skip almost every position with one typed-array read.
 */
class PrefixTable {
  private readonly buckets = new Map<number, Bucket>();
  private readonly present = new Uint32Array(1 << 15);
  /** 31^(width - 1), to roll the hash along a text. */
  private readonly lead: number;
  private count = 0;
  private readonly width: number;
  private readonly fold: boolean;

  constructor(width: number, fold: boolean) {
    this.width = width;
    this.fold = fold;
    let lead = 1;
    for (let k = 1; k < width; k++) lead = Math.imul(lead, 31);
    this.lead = lead;
  }

  private has(h: number): boolean {
    return (this.present[(h >>> 5) & 0x7fff] & (1 << (h & 31))) !== 0;
  }

  get size(): number {
    return this.count;
  }

  add(key: FormKey): void {
    const h = hashAt(this.fold ? key.text.slice(0, this.width).toLowerCase() : key.text, 0, this.width);
    let bucket = this.buckets.get(h);
    if (!bucket) this.buckets.set(h, (bucket = new Bucket(this.fold)));
    bucket.add(key);
    this.present[(h >>> 5) & 0x7fff] |= 1 << (h & 31);
    this.count += 1;
  }

  /**
   * A quick test before building a skeleton (most texts scanned are ids, times and labels):
   * whether any four consecutive letters or digits of the segments, case-folded and read across
   * separators and joined segments, hash to a bucket. Conservative: a non-ASCII character
   * answers yes. Only for a folding table of width 4.
   */
  mayStartIn(segments: readonly Segment[]): boolean {
    let a = 0;
    let b = 0;
    let c = 0;
    let kept = 0;
    for (const { text, joined } of segments) {
      if (!joined) kept = 0;
      for (let i = 0; i < text.length; i++) {
        let d = text.charCodeAt(i);
        if (d >= 128) return true;
        if (d >= 65 && d <= 90) d += 32;
        else if (!((d >= 48 && d <= 57) || (d >= 97 && d <= 122))) continue;
        if (++kept >= 4) {
          const h = (Math.imul((Math.imul((Math.imul(a, 31) + b) | 0, 31) + c) | 0, 31) + d) | 0;
          if (this.has(h)) return true;
        }
        a = b;
        b = c;
        c = d;
      }
    }
    return false;
  }

  /** Calls `visit` with every key that may start at a position of `text` (the caller verifies). */
  scan(text: string, visit: (key: FormKey, i: number) => void): void {
    const last = text.length - this.width;
    if (last < 0) return;
    // The hash of text[i, i + width), rolled: drop text[i - 1], take in text[i + width - 1].
    let h = hashAt(text, 0, this.width);
    for (let i = 0; ; i++) {
      if (this.has(h)) this.buckets.get(h)?.visit(text, i, visit);
      if (i === last) return;
      h = (Math.imul((h - Math.imul(text.charCodeAt(i), this.lead)) | 0, 31) + text.charCodeAt(i + this.width)) | 0;
    }
  }
}

/** Most keys a bucket checks one by one; past this, it looks keys up by length and text. */
const SMALL_BUCKET = 8;

/**
 * The keys sharing a prefix hash. Values often share prefixes (a thousand `employee.<n>@…`
 * addresses), so a large bucket is searched by exact lookup per key length present: its cost
 * stays bounded by the number of distinct lengths, not the number of keys.
 */
class Bucket {
  /** The keys while few; null once they are indexed by length and text. */
  private keys: FormKey[] | null = [];
  /** Lookup text → the key, or the keys when several share it (most texts have one). */
  private byLength: Map<number, Map<string, FormKey | FormKey[]>> | null = null;
  private readonly fold: boolean;

  constructor(fold: boolean) {
    this.fold = fold;
  }

  add(key: FormKey): void {
    if (this.byLength) return this.index(key);
    const keys = this.keys as FormKey[];
    keys.push(key);
    if (keys.length > SMALL_BUCKET) {
      this.byLength = new Map();
      this.keys = null;
      for (const k of keys) this.index(k);
    }
  }

  visit(text: string, i: number, visit: (key: FormKey, i: number) => void): void {
    if (this.keys) {
      for (const key of this.keys) visit(key, i);
      return;
    }
    for (const [length, byText] of this.byLength as Map<number, Map<string, FormKey | FormKey[]>>) {
      if (i + length > text.length) continue;
      const found = byText.get(text.slice(i, i + length));
      if (found === undefined) continue;
      if (Array.isArray(found)) for (const key of found) visit(key, i);
      else visit(found, i);
    }
  }

  private index(key: FormKey): void {
    // The text a key is looked up by: case-folded in a folding table (keys of other forms already are).
    const text = this.fold && key.caseSensitive ? key.text.toLowerCase() : key.text;
    const byLength = this.byLength as Map<number, Map<string, FormKey | FormKey[]>>;
    let byText = byLength.get(text.length);
    if (!byText) byLength.set(text.length, (byText = new Map()));
    const known = byText.get(text);
    if (known === undefined) byText.set(text, key);
    else if (Array.isArray(known)) known.push(key);
    else byText.set(text, [known, key]);
  }
}

function hashAt(text: string, i: number, width: number): number {
  let h = 0;
  for (let k = 0; k < width; k++) h = (Math.imul(h, 31) + text.charCodeAt(i + k)) | 0;
  return h;
}

/**
 * Normalised views of text for the content layer, the *second* layer of enforcement
 * (ENFORCEMENT.md §7): the interpreter's label tracking is the guarantee; this only recognises a
 * known sensitive value that a program reformatted in one short step.
 *
 * A skeleton keeps the letters and digits of some text and drops everything else, recording for
 * each kept character where it came from and how much separated it from the previous one:
 * - compatibility folding: fullwidth and styled characters, ligatures and accents fold to their
 *   plain letters (`Ｄíaz` → `diaz`), decimal digits of any script to `0`–`9`;
 * - `lower` is case-folded; `raw` keeps ASCII case, for case-sensitive encodings (base64);
 * - separators (punctuation, symbols, whitespace) become a gap: a run of whitespace counts as one,
 *   every other separator as one; a gap longer than {@link MAX_GAP}, or the end of a segment that
 *   is not joined to the next, breaks the chain (no match spans a break);
 * - invisible format characters (zero-width spaces and joiners, soft hyphens, bidi marks) are
 *   dropped as if absent, so they neither separate nor join.
 *
 * With `decode`, escapes a short program produces in one step read as the character they stand
 * for: `%31` (UTF-8 percent-encoding), `\u0031`, `\u{31}`, `\x31`, `&#49;`, `&#x31;`, `0x31`; a
 * named HTML entity (`&nbsp;`) counts as a separator.
 *
 * Pure (no I/O). Nothing here logs, throws on, or stringifies the text it is given.
 */

/** Most separator characters between two characters of one value (`1 - 7 - 9` has 3). */
export const MAX_GAP = 8;
/** The gap of a character that starts a new chain. */
export const CHAIN_BREAK = 255;

/** A piece of text to scan. Consecutive `joined` segments chain as if one separator lay between. */
export interface Segment {
  text: string;
  joined: boolean;
}

/** Letters and digits of a list of segments, with where each came from. */
export interface Skeleton {
  /** Case-folded characters. */
  lower: string;
  /** The same characters with ASCII case kept (same length as `lower`). */
  raw: string;
  /** Per character, its span `[start, end)` in the segments' offsets (see {@link segmentBases}). */
  start: Uint32Array;
  end: Uint32Array;
  /** Per character, the separators since the previous one: 0 adjacent, 1..MAX_GAP, or CHAIN_BREAK. */
  gap: Uint8Array;
  /** Per character with a gap of exactly one separator character: that character's code, else 0. */
  sepBefore: Uint16Array;
}

/**
 * Where each segment starts in the offsets a {@link Skeleton} and a match use: segments laid end
 * to end with one position between them.
 */
export function segmentBases(segments: readonly Segment[]): number[] {
  const bases: number[] = [];
  let base = 0;
  for (const segment of segments) {
    bases.push(base);
    base += segment.text.length + 1;
  }
  return bases;
}

/** The index of the segment holding `offset`, given {@link segmentBases}. */
export function segmentAt(bases: readonly number[], offset: number): number {
  let lo = 0;
  let hi = bases.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bases[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whether any segment holds an escape sequence that `decode` would read. */
export function hasEscapes(segments: readonly Segment[]): boolean {
  return segments.some((s) => ESCAPE_HINT.test(s.text));
}

const ESCAPE_HINT = /%[0-9a-f]{2}|\\u|\\x[0-9a-f]{2}|&#|&[a-z]{2,8};|0x[0-9a-f]{2}/i;

/**
 * The skeleton of one value, for its keys: the case-folded characters and the offsets where the
 * value itself separates them (`Bo Li` → `boli`, [2]). Reuses one scratch builder: a run
 * registers thousands of values.
 */
export function wordsOf(value: string): { lower: string; splits: number[] } {
  const b = value.length <= SCRATCH_LIMIT ? scratch.reset() : new Builder(value.length);
  b.breakChain();
  scan(b, value, 0, false);
  return b.words();
}

/**
 * Storage a caller may lend {@link skeletonOf} to scan many small texts without allocating:
 * a skeleton built into it is valid only until the next build into the same buffer.
 */
export class SkeletonBuffer {
  /** @internal */
  readonly builder = new Builder(SCRATCH_LIMIT);
}

/** Texts up to this length are built into a lent {@link SkeletonBuffer}; longer ones get their own. */
const REUSE_LIMIT = 64 * 1024;

/**
 * The skeleton of `segments`; with `decode`, escape sequences are read as their characters.
 * With `buffer`, a short text's skeleton lives in it (see {@link SkeletonBuffer}).
 */
export function skeletonOf(segments: readonly Segment[], decode = false, buffer?: SkeletonBuffer): Skeleton {
  const bases = segmentBases(segments);
  const total = bases.length ? bases[bases.length - 1] + segments[segments.length - 1].text.length : 0;
  const b = buffer && total <= REUSE_LIMIT ? buffer.builder.reset() : new Builder(total);
  segments.forEach((segment, k) => {
    if (segment.joined && k > 0) b.separator(0);
    else b.breakChain();
    scan(b, segment.text, bases[k], decode);
  });
  return b.finish();
}

function scan(b: Builder, text: string, base: number, decode: boolean): void {
  const n = text.length;
  let p = 0;
  while (p < n) {
    const c = text.charCodeAt(p);
    if (decode && (c === 37 || c === 92 || c === 38 || c === 48)) {
      const escape = readEscape(text, p);
      if (escape) {
        if (escape.codePoint === undefined) b.separator(0);
        else b.codePoint(escape.codePoint, base + p, base + p + escape.length);
        p += escape.length;
        continue;
      }
    }
    if (c < 128) {
      if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) b.keep(c, c, base + p, base + p + 1);
      else if (c >= 65 && c <= 90) b.keep(c + 32, c, base + p, base + p + 1);
      else if (c === 32 || (c >= 9 && c <= 13)) b.space();
      else b.separator(c);
      p += 1;
      continue;
    }
    const cp = text.codePointAt(p) as number;
    const width = cp > 0xffff ? 2 : 1;
    b.codePoint(cp, base + p, base + p + width);
    p += width;
  }
}

/** Accumulates a skeleton in typed arrays (grown by doubling): one scan may cover a megabyte. */
class Builder {
  private lower: Uint16Array;
  private raw: Uint16Array;
  private start: Uint32Array;
  private end: Uint32Array;
  private gap: Uint8Array;
  private sep: Uint16Array;
  private n = 0;
  private pending = CHAIN_BREAK;
  private pendingSep = 0;
  private inSpace = false;

  constructor(capacity: number) {
    const c = Math.max(4, capacity);
    this.lower = new Uint16Array(c);
    this.raw = new Uint16Array(c);
    this.start = new Uint32Array(c);
    this.end = new Uint32Array(c);
    this.gap = new Uint8Array(c);
    this.sep = new Uint16Array(c);
  }

  /** Keeps one character (UTF-16 code units `lower` and `raw`) spanning `[start, end)`. */
  keep(lower: number, raw: number, start: number, end: number): void {
    if (this.n === this.lower.length) this.grow();
    const i = this.n++;
    this.lower[i] = lower;
    this.raw[i] = raw;
    this.start[i] = start;
    this.end[i] = end;
    this.gap[i] = this.pending;
    this.sep[i] = this.pending === 1 ? this.pendingSep : 0;
    this.pending = 0;
    this.pendingSep = 0;
    this.inSpace = false;
  }

  space(): void {
    if (!this.inSpace) this.widen(32);
    this.inSpace = true;
  }

  separator(code: number): void {
    this.widen(code);
    this.inSpace = false;
  }

  breakChain(): void {
    this.pending = CHAIN_BREAK;
    this.inSpace = false;
  }

  codePoint(cp: number, start: number, end: number): void {
    const folded = fold(cp);
    if (folded === SKIP) return;
    if (folded === SPACE) return this.space();
    if (folded === SEPARATOR) return this.separator(cp < 0x10000 ? cp : 0);
    for (let i = 0; i < folded.raw.length; i++) this.keep(folded.lower[i], folded.raw[i], start, end);
  }

  finish(): Skeleton {
    const n = this.n;
    return {
      lower: text(this.lower.subarray(0, n)),
      raw: text(this.raw.subarray(0, n)),
      start: this.start.subarray(0, n),
      end: this.end.subarray(0, n),
      gap: this.gap.subarray(0, n),
      sepBefore: this.sep.subarray(0, n),
    };
  }

  /** Empties the builder for reuse. */
  reset(): this {
    this.n = 0;
    this.pending = CHAIN_BREAK;
    this.pendingSep = 0;
    this.inSpace = false;
    return this;
  }

  /** The case-folded characters and the offsets of the separated ones (see {@link wordsOf}). */
  words(): { lower: string; splits: number[] } {
    const splits: number[] = [];
    for (let k = 1; k < this.n; k++) if (this.gap[k] > 0) splits.push(k);
    return { lower: text(this.lower.subarray(0, this.n)), splits };
  }

  private widen(code: number): void {
    if (this.pending === CHAIN_BREAK) return;
    this.pending = this.pending >= MAX_GAP ? CHAIN_BREAK : this.pending + 1;
    this.pendingSep = code;
  }

  private grow(): void {
    const c = this.lower.length * 2;
    const grown = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(c);
      b.set(a);
      return b;
    };
    this.lower = grown(this.lower, (k) => new Uint16Array(k));
    this.raw = grown(this.raw, (k) => new Uint16Array(k));
    this.start = grown(this.start, (k) => new Uint32Array(k));
    this.end = grown(this.end, (k) => new Uint32Array(k));
    this.gap = grown(this.gap, (k) => new Uint8Array(k));
    this.sep = grown(this.sep, (k) => new Uint16Array(k));
  }
}

const SCRATCH_LIMIT = 256;
const scratch = new Builder(SCRATCH_LIMIT);

/** Kept characters are single BMP code units that are not surrogates, so this never replaces one. */
const UTF16 = new TextDecoder('utf-16le');

/** A string of code units: directly when very short (the decoder's call costs more), else decoded. */
function text(units: Uint16Array): string {
  return units.length <= 32 ? String.fromCharCode.apply(null, units as unknown as number[]) : UTF16.decode(units);
}

const SKIP = 0;
const SPACE = 1;
const SEPARATOR = 2;
/** A code point dropped, read as whitespace or a separator, or kept as these code units. */
type Folded = typeof SKIP | typeof SPACE | typeof SEPARATOR | { lower: number[]; raw: number[] };

/** Folding of non-ASCII code points, memoised (the set of code points met is small in practice). */
const foldCache = new Map<number, Folded>();
const FOLD_CACHE_LIMIT = 65_536;
const ASTRAL_LETTER = '\ue000';

function fold(cp: number): Folded {
  let folded = foldCache.get(cp);
  if (folded === undefined) {
    folded = computeFold(cp);
    if (foldCache.size < FOLD_CACHE_LIMIT) foldCache.set(cp, folded);
  }
  return folded;
}

function computeFold(cp: number): Folded {
  if (cp < 128) {
    const ch = String.fromCharCode(cp);
    if (/[0-9a-z]/i.test(ch)) return { lower: [ch.toLowerCase().charCodeAt(0)], raw: [cp] };
    return /\s/.test(ch) ? SPACE : SEPARATOR;
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return SEPARATOR; // a lone surrogate
  const ch = String.fromCodePoint(cp);
  if (/\p{Cf}/u.test(ch)) return SKIP;
  if (/\s/u.test(ch)) return SPACE;
  if (/\p{Nd}/u.test(ch)) {
    const digit = 48 + ndValue(cp);
    return { lower: [digit], raw: [digit] };
  }
  // Every kept entry is one UTF-16 unit, so offsets into `lower` and `raw` stay aligned: a
  // letter outside the BMP that does not fold into it stands as one placeholder.
  const kept = [...ch.normalize('NFKD').replace(/\p{M}/gu, '')]
    .filter((c) => /[\p{L}\p{N}]/u.test(c))
    .map((c) => (c.length === 1 ? c : ASTRAL_LETTER));
  if (kept.length === 0) return SEPARATOR;
  const lower = kept.map((c) => {
    const l = c.toLowerCase();
    return l.length === 1 ? l : c;
  });
  return {
    lower: lower.map((c) => c.charCodeAt(0)),
    raw: kept.map((c, i) => (c.charCodeAt(0) < 128 ? c : lower[i]).charCodeAt(0)),
  };
}

/** The value of a decimal digit of any script: Unicode lays each script's digits out 0–9 in a row. */
function ndValue(cp: number): number {
  let zero = cp;
  while (zero > cp - 9 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
  return cp - zero;
}

interface Escape {
  /** The character it stands for, or undefined for a separator (a named entity). */
  codePoint: number | undefined;
  length: number;
}

const PERCENT = /%([0-9a-f]{2})/iy;
const PERCENT_RUN = /(?:%[0-9a-f]{2})+/iy;
const BACKSLASH = /\\(?:u([0-9a-f]{4})|u\{([0-9a-f]{1,6})\}|x([0-9a-f]{2}))/iy;
const ENTITY = /&#(?:([0-9]{1,7})|[xX]([0-9a-f]{1,6}));|&[a-z]{2,8};/iy;
const BYTE_LITERAL = /0x([0-9a-f]{2})(?![0-9a-z])/iy;

/** The escape sequence at `p`, if one starts there. */
function readEscape(text: string, p: number): Escape | undefined {
  switch (text.charCodeAt(p)) {
    case 37: // %
      return readPercent(text, p);
    case 92: {
      const m = match(BACKSLASH, text, p);
      return m ? escapeOf(parseInt(m[1] ?? m[2] ?? m[3], 16), m[0].length) : undefined;
    }
    case 38: {
      const m = match(ENTITY, text, p);
      if (!m) return undefined;
      if (m[1] === undefined && m[2] === undefined) return { codePoint: undefined, length: m[0].length };
      return escapeOf(m[1] !== undefined ? Number(m[1]) : parseInt(m[2], 16), m[0].length);
    }
    case 48: {
      if (p > 0 && /[0-9a-z]/i.test(text[p - 1])) return undefined;
      const m = match(BYTE_LITERAL, text, p);
      return m ? escapeOf(parseInt(m[1], 16), m[0].length) : undefined;
    }
  }
  return undefined;
}

/** One UTF-8 character percent-encoded in 1–4 bytes. */
function readPercent(text: string, p: number): Escape | undefined {
  const first = match(PERCENT, text, p);
  if (!first) return undefined;
  const lead = parseInt(first[1], 16);
  const bytes = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (bytes === 1) return escapeOf(lead < 0x80 ? lead : undefined, 3);
  const run = match(PERCENT_RUN, text, p);
  const length = Math.min(run ? run[0].length : 3, bytes * 3);
  try {
    return escapeOf(decodeURIComponent(text.slice(p, p + length)).codePointAt(0), length);
  } catch {
    return { codePoint: undefined, length: 3 };
  }
}

function escapeOf(cp: number | undefined, length: number): Escape {
  return { codePoint: cp !== undefined && cp <= 0x10ffff ? cp : undefined, length };
}

function match(re: RegExp, text: string, p: number): RegExpExecArray | null {
  re.lastIndex = p;
  return re.exec(text);
}

/**
 * Redaction before storage. The runtime registers every sensitive value it sees (values of fields
 * whose labels the policy marks `redactInLogs`, and every `vault.secret` value, whatever the
 * policy says); `redact` then replaces each occurrence in any JSON value by `[REDACTED:<label>]`:
 * as written, and reformatted in one short step (separators, case, whitespace, reversed, hex,
 * base64, escapes, one character per array item: see forms.ts). A match inside an encoded text
 * takes the whole encoded run with it, so no decodable remainder of the value is left.
 *
 * Invariant: clear values live only in this object's memory. Nothing here logs, throws or
 * stringifies a registered value.
 */
import { isShort, leafText } from './segments.ts';
import { segmentAt, segmentBases, type Segment } from './normalize.ts';
import { ValueIndex, type ValueMatch } from './value-index.ts';

/** The label whose values are always redacted, even when the policy forgets it. */
export const ALWAYS_REDACTED_LABEL = 'vault.secret';

/**
 * Shortest value matched *inside* strings. Shorter values ("US", "5", "ok") occur everywhere in
 * ordinary text, so substring replacement would shred unrelated strings (false positives) and,
 * worse, reveal by its pattern which short value was registered. Short values are still redacted
 * where a whole string or a whole JSON number equals them.
 */
export const MIN_EMBEDDED_LENGTH = 3;

export interface RedactorOptions {
  /** Labels whose values must not reach storage (the policy's `redactInLogs` labels). */
  redactLabels: Iterable<string>;
}

/** The text that replaces a value carrying `label`. */
export function redactionMarker(label: string): string {
  return `[REDACTED:${label}]`;
}

const NUMERIC = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export class Redactor {
  readonly redactLabels: ReadonlySet<string>;
  /** value → label, for every registered value. */
  private readonly values = new Map<string, string>();
  /** canonical number text (`String(Number(v))`, and its absolute value from 1000 up) → label. */
  private readonly numbers = new Map<string, string>();
  /** Registered values under all their forms (literal from MIN_EMBEDDED_LENGTH). */
  private readonly index = new ValueIndex({ literalMin: MIN_EMBEDDED_LENGTH, literalNumbers: true, literalBoundary: 'none' });
  /** Label per index id (first wins, except that `vault.secret` always wins). */
  private readonly labelById: string[] = [];

  constructor(options: RedactorOptions) {
    this.redactLabels = new Set(options.redactLabels);
  }

  /** A redactor for a policy that redacts nothing (still redacts `vault.secret`). */
  static forLabels(...labels: string[]): Redactor {
    return new Redactor({ redactLabels: labels });
  }

  /** Whether values carrying `label` are redacted. */
  redacts(label: string): boolean {
    return label === ALWAYS_REDACTED_LABEL || this.redactLabels.has(label);
  }

  /**
   * Records a sensitive value seen at run time. Returns whether it will be redacted (its label is
   * redacted by the policy, or it is a `vault.secret`). When a value is registered under several
   * labels the first wins, except that `vault.secret` always wins.
   */
  register(value: string | number, label: string): boolean {
    if (!this.redacts(label)) return false;
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || text.length === 0) return false;
    const wins = (known: string | undefined) => known === undefined || (label === ALWAYS_REDACTED_LABEL && known !== label);
    if (wins(this.values.get(text))) this.values.set(text, label);
    const id = this.index.add(text);
    if (wins(this.labelById[id])) this.labelById[id] = label;
    const trimmed = text.trim();
    if (NUMERIC.test(trimmed)) {
      const n = Number(trimmed);
      for (const key of Math.abs(n) >= MIN_NUMBER_FORMS ? [String(n), String(Math.abs(n))] : [String(n)]) {
        if (wins(this.numbers.get(key))) this.numbers.set(key, label);
      }
    }
    return true;
  }

  /**
   * Registers every string and number leaf of a JSON value under `label` (for a response or field
   * that carries the label as a whole). Returns how many leaves were registered.
   */
  registerLeaves(value: unknown, label: string): number {
    if (!this.redacts(label)) return 0;
    let n = 0;
    const walk = (v: unknown): void => {
      if (typeof v === 'string' || typeof v === 'number') {
        if (this.register(v, label)) n++;
      } else if (Array.isArray(v)) {
        for (const item of v) walk(item);
      } else if (v !== null && typeof v === 'object') {
        for (const item of Object.values(v)) walk(item);
      }
    };
    walk(value);
    return n;
  }

  /** How many distinct values are registered. */
  get size(): number {
    return this.values.size;
  }

  /** A deep copy of a JSON value with every registered value replaced (strings, keys, numbers). */
  redact<T>(data: T): T {
    if (this.values.size === 0) return structuredCopy(data) as T;
    return this.walk(data) as T;
  }

  /** Replaces registered values inside one string, in every form forms.ts lists. */
  redactString(text: string): string {
    const exact = this.values.get(text);
    if (exact !== undefined) return redactionMarker(exact);
    if (text.length < MIN_EMBEDDED_LENGTH || this.index.size === 0) return text;
    const matches = this.index.find([{ text, joined: false }]);
    return matches.length ? replaceMatches(text, matches, (id) => this.labelById[id]) : text;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (typeof value === 'number') {
      const label = this.numbers.get(String(value)) ?? (Math.abs(value) >= MIN_NUMBER_FORMS ? this.numbers.get(String(Math.abs(value))) : undefined);
      return label === undefined ? value : redactionMarker(label);
    }
    if (Array.isArray(value)) {
      const spread = this.spreadAcrossItems(value);
      return value.map((v, i) => {
        const label = spread.get(i);
        return label === undefined ? this.walk(v) : redactionMarker(label);
      });
    }
    if (value !== null && typeof value === 'object') {
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return this.walk(withToJson.toJSON());
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redactString(k)] = this.walk(v);
      return out;
    }
    return value;
  }

  /**
   * Items of an array that together spell a registered value, one or a few characters each
   * (`[..."179000"]`): item index → label. Each item alone is too short to be recognised.
   */
  private spreadAcrossItems(items: unknown[]): Map<number, string> {
    const covered = new Map<number, string>();
    if (items.filter(isShort).length < 2) return covered;
    const segments: Segment[] = items.map((item, i) => (isShort(item)
      ? { text: leafText(item) as string, joined: i > 0 && isShort(items[i - 1]) }
      : { text: '', joined: false }));
    const bases = segmentBases(segments);
    for (const match of this.index.find(segments)) {
      const first = segmentAt(bases, match.start);
      const last = segmentAt(bases, match.end - 1);
      if (first === last) continue;
      for (let i = first; i <= last; i++) covered.set(i, this.labelById[match.id]);
    }
    return covered;
  }
}

/** Numbers from this size up are also redacted by absolute value and in normalised forms. */
const MIN_NUMBER_FORMS = 1000;

/** Encoded forms: a match takes the whole run of that encoding's characters around it. */
const ENCODED_RUN: Partial<Record<ValueMatch['form'], RegExp>> = { hex: /[0-9A-Fa-f]/, base64: /[0-9A-Za-z+/_-]/ };

/**
 * `text` with every matched span replaced by its label's marker. Overlapping spans merge into
 * one marker (the `vault.secret` label if any match carries it, else the longest match's).
 */
function replaceMatches(text: string, matches: ValueMatch[], labelOf: (id: number) => string): string {
  const spans = matches.map((m) => {
    let { start, end } = m;
    const run = m.decoded ? undefined : ENCODED_RUN[m.form];
    if (run) {
      while (start > 0 && run.test(text[start - 1])) start -= 1;
      while (end < text.length && run.test(text[end])) end += 1;
      if (m.form === 'base64') while (text[end] === '=') end += 1;
    }
    return { start, end, label: labelOf(m.id), length: m.end - m.start };
  }).sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (let k = 0; k < spans.length;) {
    const group = spans[k];
    let { end, label, length } = group;
    for (k += 1; k < spans.length && spans[k].start < end; k += 1) {
      const next = spans[k];
      end = Math.max(end, next.end);
      if (label !== ALWAYS_REDACTED_LABEL && (next.label === ALWAYS_REDACTED_LABEL || next.length > length)) ({ label, length } = next);
    }
    out += text.slice(at, group.start) + redactionMarker(label);
    at = end;
  }
  return out + text.slice(at);
}

/** A plain deep copy of a JSON value (no registered values to replace). */
function structuredCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCopy);
  if (value !== null && typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return structuredCopy(withToJson.toJSON());
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = structuredCopy(v);
    return out;
  }
  return value;
}

/**
 * Redacts a structured response by its field labels, without a prior registration: every field
 * whose path carries a redacted label is replaced whole. `fieldLabels` maps a dotted path
 * (`contacts[].email`, `salary`; `''` for the whole response) to its labels. Values replaced are
 * also registered in `redactor` when given, so the same values are caught later in free text.
 */
export function redactFields(
  response: unknown,
  fieldLabels: Record<string, readonly string[]>,
  redactLabels: ReadonlySet<string>,
  redactor?: Redactor,
): unknown {
  const labelFor = (path: string): string | undefined => {
    const labels = fieldLabels[path];
    return labels?.find((l) => l === ALWAYS_REDACTED_LABEL || redactLabels.has(l));
  };
  const walk = (value: unknown, path: string): unknown => {
    const label = labelFor(path);
    if (label !== undefined) {
      redactor?.registerLeaves(value, label);
      return redactionMarker(label);
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, `${path}[]`));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, path ? `${path}.${k}` : k);
      return out;
    }
    return value;
  };
  return walk(response, '');
}

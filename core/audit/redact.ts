/**
 * Redaction before storage. The runtime registers every sensitive value it sees (values of fields
 * whose labels the policy marks `redactInLogs`, and every `vault.secret` value, whatever the
 * policy says); `redact` then replaces each occurrence in any JSON value by `[REDACTED:<label>]`.
 *
 * Invariant: clear values live only in this object's memory. Nothing here logs, throws or
 * stringifies a registered value.
 */

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
  /** canonical number text (`String(Number(v))`) → label, for registered numeric values. */
  private readonly numbers = new Map<string, string>();
  /** Alternation of registered values ≥ MIN_EMBEDDED_LENGTH, longest first; rebuilt lazily. */
  private pattern: RegExp | null = null;
  private dirty = false;

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
    const known = this.values.get(text);
    if (known === undefined || (label === ALWAYS_REDACTED_LABEL && known !== label)) {
      this.values.set(text, label);
      this.dirty = true;
    }
    const trimmed = text.trim();
    if (NUMERIC.test(trimmed)) {
      const key = String(Number(trimmed));
      const knownNumber = this.numbers.get(key);
      if (knownNumber === undefined || label === ALWAYS_REDACTED_LABEL) this.numbers.set(key, label);
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

  /** Replaces registered values inside one string. */
  redactString(text: string): string {
    const exact = this.values.get(text);
    if (exact !== undefined) return redactionMarker(exact);
    const pattern = this.embeddedPattern();
    if (!pattern) return text;
    pattern.lastIndex = 0;
    if (!pattern.test(text)) return text;
    pattern.lastIndex = 0;
    return text.replace(pattern, (match) => redactionMarker(this.values.get(match) ?? 'unknown'));
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (typeof value === 'number') {
      const label = this.numbers.get(String(value));
      return label === undefined ? value : redactionMarker(label);
    }
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object') {
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return this.walk(withToJson.toJSON());
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redactString(k)] = this.walk(v);
      return out;
    }
    return value;
  }

  private embeddedPattern(): RegExp | null {
    if (this.dirty) {
      const candidates = [...this.values.keys()].filter((v) => v.length >= MIN_EMBEDDED_LENGTH);
      // Longest first: the regex alternation takes the first alternative that matches at a
      // position, so a value containing another (a full card number and its last digits) wins.
      candidates.sort((a, b) => b.length - a.length);
      this.pattern = candidates.length ? new RegExp(candidates.map(escapeRegExp).join('|'), 'g') : null;
      this.dirty = false;
    }
    return this.pattern;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/**
 * Program values ↔ plain JSON data, with labels. Used for API arguments (out), API responses and
 * `JSON.parse` (in), `JSON.stringify`, the run's result and console output (out, redacted).
 *
 * Redaction works on labels, not on matching text: a value whose labels include a redacted label
 * (the policy's `redactInLogs`, secrets) is replaced by `[REDACTED:<label>]` wherever it is, however
 * the program transformed it — a salary reversed and spaced out is still the salary's value.
 */
import { NONE } from './labels.ts';
import { ownEntries } from './props.ts';
import type { Runtime } from './runtime.ts';
import { GArray, GFunction, GObject, LV } from './values.ts';

export type OutMode = 'json' | 'args' | 'result' | 'display';

export interface Out {
  value: unknown;
  /** Every label the output carries. */
  l: number;
}

const MAX_DEPTH = 200;

/** What replaces a value in output to the agent: withheld (may not go to it) or redacted (not in clear). */
export function redactionMarker(rt: Runtime, l: number): string | undefined {
  if (l === NONE) return undefined;
  const withheld = rt.withhold === NONE ? [] : rt.L.both(l, rt.withhold);
  if (withheld.length) return `[WITHHELD:${withheld[0]}]`;
  if (rt.redact === NONE) return undefined;
  const hit = rt.L.both(l, rt.redact);
  return hit.length ? `[REDACTED:${hit[0]}]` : undefined;
}

/**
 * Converts a value to JSON data. `json`: JSON.stringify's rules; `args`: the same but a function
 * or service object is an error (the real values: this is what the API receives); `result`:
 * JSON's rules with redaction; `display` (console): functions shown as text, cycles marked,
 * redaction on.
 */
export function toNative(rt: Runtime, x: LV, mode: OutMode): Out {
  let l = NONE;
  const stack: GObject[] = [];
  const redact = mode === 'display' || mode === 'result';
  const visit = (v: LV, depth: number): unknown => {
    l = rt.join(l, v.l);
    const marker = redact ? redactionMarker(rt, v.l) : undefined;
    const value = v.v;
    if (!(value instanceof GObject)) {
      if (marker && value !== undefined && value !== null) return marker;
      if (typeof value === 'bigint') {
        if (mode === 'display') return `${value}n`;
        rt.throwError('TypeError', 'a BigInt cannot be converted to JSON', v.l);
      }
      if (typeof value === 'number' && !Number.isFinite(value)) return mode === 'display' ? String(value) : null;
      return value;
    }
    if (value instanceof GFunction) {
      if (mode === 'args') rt.throwError('TypeError', `a function (${value.name || 'anonymous'}) cannot be sent to an API`, v.l);
      return mode === 'display' ? `[Function ${value.name || 'anonymous'}]` : undefined;
    }
    if (value.cls === 'Service') {
      if (mode === 'args') rt.throwError('TypeError', 'a service object cannot be sent to an API', v.l);
      return mode === 'display' ? '[Service]' : {};
    }
    if (stack.includes(value)) {
      if (mode === 'display') return '[Circular]';
      rt.throwError('TypeError', 'the value has a cycle and cannot be converted to JSON', v.l);
    }
    if (depth > MAX_DEPTH) rt.throwError('RangeError', `the value nests deeper than ${MAX_DEPTH} levels`, v.l);
    if (marker) {
      l = rt.join(l, value.shape);
      return marker;
    }
    l = rt.join(l, value.shape);
    if (value.cls === 'Date') {
      const time = rt.realm.dateValue(value);
      l = rt.join(l, time.l);
      const m = redact ? redactionMarker(rt, time.l) : undefined;
      if (m) return m;
      const t = time.v as number;
      return Number.isFinite(t) ? new Date(t).toISOString() : null;
    }
    if (value.cls === 'Error' && mode === 'display') {
      const name = value.props.get('name')?.v ?? 'Error';
      const message = value.props.get('message');
      if (message) l = rt.join(l, message.l);
      const mm = message && redact ? redactionMarker(rt, message.l) : undefined;
      return `${String(name)}: ${mm ?? String(message?.v ?? '')}`;
    }
    stack.push(value);
    try {
      if (value instanceof GArray) return value.items.map((item) => {
        const out = visit(item, depth + 1);
        return out === undefined ? null : out;
      });
      if (mode === 'display' && (value.cls === 'Map' || value.cls === 'Set')) return rt.realm.displayCollection(value, (item) => visit(item, depth + 1));
      const out: Record<string, unknown> = {};
      const keyMarker = redact ? redactionMarker(rt, value.shape) : undefined;
      let i = 0;
      for (const [k, item] of ownEntries(rt, value)) {
        const converted = visit(item, depth + 1);
        if (converted === undefined) continue;
        const key = keyMarker ? `${keyMarker}#${i++}` : k;
        Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      stack.pop();
    }
  };
  return { value: visit(x, 0), l };
}

/**
 * Labels by position in JSON data: `base` everywhere, plus each field's labels at its path and
 * below (`[]` stands for any array index).
 */
export interface LabelMap {
  base: number;
  fields: { path: string[]; l: number }[];
}

/** Builds program values from JSON data. */
export function fromNative(rt: Runtime, data: unknown, labels: LabelMap, shapeAt = rt.pc): LV {
  const build = (v: unknown, path: string[], inherited: number): LV => {
    let l = inherited;
    for (const f of labels.fields) if (f.path.length === path.length && samePath(f.path, path)) l = rt.join(l, f.l);
    if (v === null || typeof v !== 'object') return new LV(v as string | number | boolean | null, l);
    if (Array.isArray(v)) {
      const items = v.map((item) => build(item, [...path, '[]'], l));
      return new LV(rt.realm.makeArray(items, rt.join(l, shapeAt)), l);
    }
    const obj = rt.realm.makeObject(rt.join(l, shapeAt));
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) obj.props.set(k, build(item, [...path, k], l));
    return new LV(obj, l);
  };
  return build(data, [], labels.base);
}

function samePath(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] === '[]' && b[i] === '[]')) return false;
  return true;
}

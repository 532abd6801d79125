/**
 * Conversions and operators. The interpreter never lets the engine convert a program object
 * implicitly: objects become primitives here, by the built-in rules only. An object of the
 * program's own with a `toString`/`valueOf` method is refused rather than silently called
 * behind the reader's back (the program may call the method explicitly).
 */
import { NONE } from './labels.ts';
import { deepLabel, getProp } from './props.ts';
import type { Runtime } from './runtime.ts';
import { GArray, GFunction, GObject, LV, type Prim, type Val } from './values.ts';

/** Converts to a primitive; the label of the result covers everything the conversion read. */
export function toPrimitive(rt: Runtime, x: LV, hint: 'string' | 'number' | 'default' = 'default'): LV {
  const v = x.v;
  if (!(v instanceof GObject)) return x;
  for (const name of ['toString', 'valueOf']) {
    // Whether the object has such a method is its key set's business: the refusal carries it.
    const m = getProp(rt, x, name, NONE);
    if (m.v instanceof GFunction && !m.v.native) {
      rt.throwError('TypeError', `Flowgate does not call a program's own ${name}() implicitly; call it yourself (x.${name}())`, m.l);
    }
    if (m.l !== NONE) x = new LV(v, rt.join(x.l, m.l));
  }
  if (v.cls === 'Date') {
    const time = rt.realm.dateValue(v);
    const l = rt.join(x.l, time.l);
    if (hint === 'number') return new LV(time.v, l);
    return new LV(new Date(time.v as number).toString(), l);
  }
  if (v instanceof GArray) return new LV(joinArray(rt, v, ',', new Set()), deepLabel(rt, x));
  if (v instanceof GFunction) return new LV(`function ${v.name}() { [code] }`, x.l);
  if (v.cls === 'Error') {
    const name = rt.realm.get(x, 'name');
    const message = rt.realm.get(x, 'message');
    const n = toStr(rt, name);
    const m = toStr(rt, message);
    return new LV(m.v ? `${n.v}: ${m.v}` : String(n.v), rt.join(n.l, m.l));
  }
  if (v.cls === 'RegExp') return new LV(String(rt.realm.regexpOf(v)), x.l);
  return new LV('[object Object]', x.l);
}

function joinArray(rt: Runtime, a: GArray, sep: string, seen: Set<GArray>): string {
  if (seen.has(a)) return '';
  seen.add(a);
  const parts = a.items.map((item) => {
    if (item.v === undefined || item.v === null) return '';
    if (item.v instanceof GArray) return joinArray(rt, item.v, ',', seen);
    return String(toPrimitive(rt, item, 'string').v);
  });
  seen.delete(a);
  return parts.join(sep);
}

export function toStr(rt: Runtime, x: LV): LV {
  const p = toPrimitive(rt, x, 'string');
  if (typeof p.v === 'string') return p;
  if (typeof p.v === 'symbol') rt.throwError('TypeError', 'cannot convert a symbol to a string', p.l);
  return new LV(String(p.v), p.l);
}

export function toNum(rt: Runtime, x: LV): LV {
  const p = toPrimitive(rt, x, 'number');
  if (typeof p.v === 'number') return p;
  if (typeof p.v === 'bigint') rt.throwError('TypeError', 'cannot convert a BigInt to a number', p.l);
  return new LV(Number(p.v), p.l);
}

/** Numeric conversion that keeps BigInts (for arithmetic). */
function toNumeric(rt: Runtime, x: LV): LV {
  const p = toPrimitive(rt, x, 'number');
  if (typeof p.v === 'number' || typeof p.v === 'bigint') return p;
  return new LV(Number(p.v), p.l);
}

export function truthy(x: LV): boolean {
  return x.v instanceof GObject ? true : Boolean(x.v);
}

export function typeOf(v: Val): string {
  if (v instanceof GFunction) return 'function';
  if (v instanceof GObject) return 'object';
  return typeof v;
}

/** Property key from a value (numbers and other primitives become strings). */
export function toKey(rt: Runtime, x: LV): LV {
  if (typeof x.v === 'string') return x;
  if (typeof x.v === 'number') return new LV(String(x.v), x.l);
  return toStr(rt, x);
}

/** `===`. */
export function strictEquals(a: Val, b: Val): boolean {
  return a === b;
}

/** `==`: objects compare by identity with objects, else through toPrimitive. */
export function looseEquals(rt: Runtime, a: LV, b: LV): LV {
  const l = rt.join(a.l, b.l);
  const x = a.v;
  const y = b.v;
  if (x instanceof GObject && y instanceof GObject) return new LV(x === y, l);
  if (x instanceof GObject) {
    if (y === null || y === undefined) return new LV(false, l);
    const p = toPrimitive(rt, a);
    return new LV(p.v == (y as Prim), rt.join(l, p.l));
  }
  if (y instanceof GObject) {
    if (x === null || x === undefined) return new LV(false, l);
    const p = toPrimitive(rt, b);
    return new LV((x as Prim) == p.v, rt.join(l, p.l));
  }
  return new LV((x as Prim) == (y as Prim), l);
}

/** Runs a native operation; an error the engine throws becomes the program's, labelled. */
export function guard<T>(rt: Runtime, control: number, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      rt.halt('limit', 'maxDepth', 'stopped: the program nests too deeply for the interpreter (runaway recursion?)');
    }
    if (error instanceof Error) rt.throwError(error.name, error.message, control);
    throw error;
  }
}

export function binary(rt: Runtime, op: string, a: LV, b: LV): LV {
  const l = rt.join(a.l, b.l);
  switch (op) {
    case '===': return new LV(a.v === b.v, l);
    case '!==': return new LV(a.v !== b.v, l);
    case '==': return looseEquals(rt, a, b);
    case '!=': {
      const r = looseEquals(rt, a, b);
      return new LV(!r.v, r.l);
    }
    case '+': {
      const x = toPrimitive(rt, a);
      const y = toPrimitive(rt, b);
      const ll = rt.join(x.l, y.l);
      if (typeof x.v === 'string' || typeof y.v === 'string') {
        const s = guard(rt, ll, () => String(x.v) + String(y.v));
        return new LV(s, ll);
      }
      return new LV(guard(rt, ll, () => (x.v as number) + (y.v as number)), ll);
    }
    case '<': case '>': case '<=': case '>=': {
      const x = toPrimitive(rt, a, 'number');
      const y = toPrimitive(rt, b, 'number');
      const ll = rt.join(x.l, y.l);
      const xv = x.v as number;
      const yv = y.v as number;
      const r = guard(rt, ll, () => (op === '<' ? xv < yv : op === '>' ? xv > yv : op === '<=' ? xv <= yv : xv >= yv));
      return new LV(r, ll);
    }
    default: {
      const x = toNumeric(rt, a);
      const y = toNumeric(rt, b);
      const ll = rt.join(x.l, y.l);
      const xv = x.v as number;
      const yv = y.v as number;
      const r = guard(rt, ll, () => arith(op, xv, yv));
      if (typeof r === 'bigint' && (r > 2n ** 100000n || r < -(2n ** 100000n))) rt.throwError('RangeError', 'BigInt too large', ll);
      return new LV(r, ll);
    }
  }
}

function arith(op: string, x: number, y: number): number {
  switch (op) {
    case '-': return x - y;
    case '*': return x * y;
    case '/': return x / y;
    case '%': return x % y;
    case '**': return x ** y;
    case '&': return x & y;
    case '|': return x | y;
    case '^': return x ^ y;
    case '<<': return x << y;
    case '>>': return x >> y;
    case '>>>': return x >>> y;
    default: throw new TypeError(`unknown operator ${op}`);
  }
}

export function unary(rt: Runtime, op: string, a: LV): LV {
  switch (op) {
    case '!': return new LV(!truthy(a), a.l);
    case 'typeof': return new LV(typeOf(a.v), a.l);
    case 'void': return new LV(undefined, NONE);
    case '-': {
      const x = toNumeric(rt, a);
      return new LV(-(x.v as number), x.l);
    }
    case '+': return toNum(rt, a);
    case '~': {
      const x = toNumeric(rt, a);
      return new LV(~(x.v as number), x.l);
    }
    default: throw new TypeError(`unknown operator ${op}`);
  }
}

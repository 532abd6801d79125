/**
 * Property reads, writes, deletes and key listings with their label rules.
 *
 * - A read carries the labels of the reference, the key, the object's shape (which keys exist:
 *   present or absent is decided by it) and the slot.
 * - A write is a write to a location: the slot if it exists, else the shape. The location must
 *   already carry the context (the pc, and the reference: which object is written), else the run
 *   stops (no-sensitive-upgrade); the new slot carries the value's labels and the context.
 * - A labelled key chooses which slot of the object is written: every slot and the shape of that
 *   object take the key's labels first (the slots not written then tell nothing either).
 * - The shape of an object only ever grows.
 */
import { NONE } from './labels.ts';
import { upgradeObject } from './regions.ts';
import type { Runtime } from './runtime.ts';
import { GArray, GFunction, GObject, LV, type Val } from './values.ts';

/** Longest array a program may build. */
export const MAX_ARRAY_LENGTH = 10_000_000;

const INDEX = /^(?:0|[1-9]\d{0,8})$/;

export function isIndex(key: string): boolean {
  return INDEX.test(key);
}

/** `obj[key]`. */
export function getProp(rt: Runtime, obj: LV, key: string, keyL: number): LV {
  const v = obj.v;
  const ctx = rt.join(obj.l, keyL);
  if (v instanceof GObject) return readObject(rt, v, key, ctx);
  if (v === undefined || v === null) {
    rt.throwError('TypeError', `cannot read properties of ${v} (reading "${short(key)}")`, ctx);
  }
  if (typeof v === 'string') {
    if (key === 'length') return new LV(v.length, ctx);
    if (isIndex(key)) {
      const i = Number(key);
      return new LV(i < v.length ? v[i] : undefined, ctx);
    }
  }
  const proto = rt.realm.protoOf(v);
  return readChain(rt, proto, key, ctx);
}

function readObject(rt: Runtime, o: GObject, key: string, ctx: number): LV {
  ctx = rt.join(ctx, o.shape);
  if (o instanceof GArray) {
    if (key === 'length') return new LV(o.items.length, ctx);
    if (isIndex(key)) {
      const i = Number(key);
      if (i < o.items.length) {
        const item = o.items[i];
        return new LV(item.v, rt.join(item.l, ctx));
      }
      return new LV(undefined, ctx);
    }
  }
  const own = o.props.get(key);
  if (own) return new LV(own.v, rt.join(own.l, ctx));
  if (key === 'size' && (o.cls === 'Map' || o.cls === 'Set')) return new LV((o.internal as Map<unknown, unknown>).size, ctx);
  if (o instanceof GFunction && (key === 'name' || key === 'length')) {
    return new LV(key === 'name' ? o.name : o.code?.params.length ?? 0, ctx);
  }
  return readChain(rt, o.proto, key, ctx);
}

function readChain(rt: Runtime, proto: GObject | null, key: string, ctx: number): LV {
  for (let p = proto; p; p = p.proto) {
    ctx = rt.join(ctx, p.shape);
    const found = p.props.get(key);
    if (found) return new LV(found.v, rt.join(found.l, ctx));
  }
  return new LV(undefined, ctx);
}

/** Finds a method on a value without labels (for the interpreter's own dispatch). */
export function lookup(rt: Runtime, v: Val, key: string): Val {
  let p: GObject | null = v instanceof GObject ? v : rt.realm.protoOf(v);
  for (; p; p = p.proto) {
    const found = p.props.get(key);
    if (found) return found.v;
  }
  return undefined;
}

/** A write through a labelled key: the whole object carries the key's labels from now on. */
export function keyedWrite(rt: Runtime, o: GObject, keyL: number): void {
  if (keyL !== NONE && !o.frozen) upgradeObject(rt, o, keyL);
}

/** `obj[key] = value` (strict mode: failures throw). */
export function setProp(rt: Runtime, obj: LV, key: string, keyL: number, value: LV): void {
  const o = obj.v;
  const ctx = rt.join(rt.pc, obj.l);
  if (!(o instanceof GObject)) {
    rt.throwError('TypeError', o === undefined || o === null ? `cannot set properties of ${o} (setting "${short(key)}")` : `cannot create property "${short(key)}" on a ${typeof o}`, ctx);
  }
  if (o.frozen) rt.throwError('TypeError', `cannot assign to "${short(key)}": the object is read-only`, rt.join(rt.join(ctx, keyL), o.shape));
  keyedWrite(rt, o, keyL);
  const stored = new LV(value.v, rt.join(rt.join(value.l, ctx), keyL));
  if (o instanceof GArray) {
    if (key === 'length') {
      setLength(rt, o, value, ctx);
      return;
    }
    if (isIndex(key)) {
      const i = Number(key);
      if (i < o.items.length) {
        rt.nsu(o.items[i].l, ctx, `element ${i} of an array`);
        o.items[i] = stored;
        return;
      }
      rt.nsu(o.shape, ctx, 'an array\'s length');
      if (i >= MAX_ARRAY_LENGTH) rt.throwError('RangeError', `arrays are limited to ${MAX_ARRAY_LENGTH} elements`, ctx);
      while (o.items.length < i) o.items.push(new LV(undefined, ctx));
      o.items.push(stored);
      return;
    }
  }
  const own = o.props.get(key);
  if (own) rt.nsu(own.l, ctx, `property "${short(key)}"`);
  else rt.nsu(o.shape, ctx, `a new property "${short(key)}"`);
  o.props.set(key, stored);
}

function setLength(rt: Runtime, o: GArray, value: LV, ctx: number): void {
  const n = value.v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ARRAY_LENGTH) {
    rt.throwError('RangeError', 'invalid array length', rt.join(ctx, value.l));
  }
  rt.nsu(o.shape, ctx, 'an array\'s length');
  o.shape = rt.join(o.shape, value.l);
  if (n < o.items.length) o.items.length = n;
  else while (o.items.length < n) o.items.push(new LV(undefined, o.shape));
}

/** Adds to the end of an array (push, literals), a write to its length. */
export function pushItem(rt: Runtime, o: GArray, value: LV, ctx: number): void {
  rt.nsu(o.shape, ctx, 'an array\'s length');
  if (o.items.length >= MAX_ARRAY_LENGTH) rt.throwError('RangeError', `arrays are limited to ${MAX_ARRAY_LENGTH} elements`, ctx);
  o.items.push(ctx === NONE ? value : new LV(value.v, rt.join(value.l, ctx)));
}

/** `delete obj[key]`. */
export function deleteProp(rt: Runtime, obj: LV, key: string, keyL: number): LV {
  const o = obj.v;
  const ctx = rt.join(rt.pc, obj.l);
  if (!(o instanceof GObject)) {
    if (o === undefined || o === null) rt.throwError('TypeError', `cannot delete properties of ${o}`, ctx);
    return new LV(true, ctx);
  }
  if (o.frozen) rt.throwError('TypeError', `cannot delete "${short(key)}": the object is read-only`, rt.join(rt.join(ctx, keyL), o.shape));
  keyedWrite(rt, o, keyL);
  rt.nsu(o.shape, ctx, 'the set of an object\'s keys');
  if (o instanceof GArray && isIndex(key)) {
    const i = Number(key);
    if (i < o.items.length) o.items[i] = new LV(undefined, ctx);
    return new LV(true, ctx);
  }
  o.props.delete(key);
  return new LV(true, ctx);
}

/** `key in obj`. */
export function hasProp(rt: Runtime, obj: LV, key: string, keyL: number): LV {
  const o = obj.v;
  let ctx = rt.join(obj.l, keyL);
  if (!(o instanceof GObject)) rt.throwError('TypeError', `cannot use "in" to search for "${short(key)}" in a ${o === null ? 'null' : typeof o}`, ctx);
  for (let p: GObject | null = o; p; p = p.proto) {
    ctx = rt.join(ctx, p.shape);
    if (p instanceof GArray && (key === 'length' || (isIndex(key) && Number(key) < p.items.length))) return new LV(true, ctx);
    if (p.props.has(key)) return new LV(true, ctx);
  }
  return new LV(false, ctx);
}

/** Own enumerable keys in JavaScript's order: integer keys ascending, then the rest as inserted. */
export function ownKeys(o: GObject): string[] {
  const out: string[] = [];
  if (o instanceof GArray) for (let i = 0; i < o.items.length; i++) out.push(String(i));
  const ints: string[] = [];
  const rest: string[] = [];
  for (const k of o.props.keys()) (isIndex(k) ? ints : rest).push(k);
  ints.sort((a, b) => Number(a) - Number(b));
  return out.concat(ints, rest);
}

/** Own key → value (with shape and slot labels), for Object.entries/values, spreads, JSON. */
export function ownEntries(rt: Runtime, o: GObject): [string, LV][] {
  return ownKeys(o).map((k) => [k, readObject(rt, o, k, NONE)]);
}

/** Every label reachable from a value: itself, shapes, slots, elements, entries. */
export function deepLabel(rt: Runtime, value: LV, limit = 1_000_000): number {
  let out = value.l;
  const seen = new Set<GObject>();
  const stack: GObject[] = [];
  if (value.v instanceof GObject) stack.push(value.v);
  let visited = 0;
  while (stack.length) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    if (++visited > limit) rt.halt('limit', 'too-large', 'a value is too large to send or print (over a million objects)');
    out = rt.join(out, o.shape);
    const visit = (x: LV) => {
      out = rt.join(out, x.l);
      if (x.v instanceof GObject && !seen.has(x.v)) stack.push(x.v);
    };
    if (o instanceof GArray) for (const x of o.items) visit(x);
    for (const x of o.props.values()) visit(x);
    if (o.privates) for (const x of o.privates.values()) visit(x);
    const inner = rt.realm.innerValues(o);
    if (inner) for (const x of inner) visit(x);
  }
  return out;
}

function short(key: string): string {
  return key.length > 40 ? key.slice(0, 40) + '…' : key;
}

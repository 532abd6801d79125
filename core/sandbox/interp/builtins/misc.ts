/**
 * URI encoding and structuredClone.
 */
import { guard, toStr } from '../coerce.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GArray, GFunction, GObject, LV, type NativeFn } from '../values.ts';
import { arg } from './util.ts';

function uri(f: (s: string) => string): NativeFn {
  return (rt, _s, args) => {
    const s = toStr(rt, arg(args, 0));
    return new LV(guard(rt, s.l, () => f(s.v as string)), s.l);
  };
}

/** A deep copy that keeps every label where it was. */
function clone(rt: Runtime, x: LV, seen: Map<GObject, GObject>, depth: number): LV {
  const v = x.v;
  if (!(v instanceof GObject)) return x;
  if (depth > 200) rt.throwError('RangeError', 'the value nests too deeply to clone', x.l);
  const known = seen.get(v);
  if (known) return new LV(known, x.l);
  if (v instanceof GFunction || v.cls === 'Promise' || v.cls === 'Service' || v.cls === 'Generator' || v.cls === 'Iterator') {
    rt.throwError('TypeError', 'this value cannot be cloned', x.l);
  }
  let copy: GObject;
  if (v instanceof GArray) {
    const arr = rt.realm.makeArray([], rt.join(v.shape, rt.pc));
    seen.set(v, arr);
    arr.items = v.items.map((i) => clone(rt, i, seen, depth + 1));
    copy = arr;
  } else {
    copy = new GObject(v.cls === 'Object' ? rt.realm.ObjectProto : v.proto, rt.join(v.shape, rt.pc), v.cls);
    seen.set(v, copy);
    if (v.cls === 'Date') copy.internal = { t: (v.internal as { t: LV }).t };
    else if (v.cls === 'Map') copy.internal = new Map([...(v.internal as Map<unknown, { k: LV; v: LV }>)].map(([k, e]) => [k, { k: clone(rt, e.k, seen, depth + 1), v: clone(rt, e.v, seen, depth + 1) }]));
    else if (v.cls === 'Set') copy.internal = new Map([...(v.internal as Map<unknown, LV>)].map(([k, e]) => [k, clone(rt, e, seen, depth + 1)]));
    else if (v.cls === 'RegExp') copy.internal = new RegExp(rt.realm.regexpOf(v));
  }
  for (const [k, item] of v.props) copy.props.set(k, clone(rt, item, seen, depth + 1));
  return new LV(copy, x.l);
}

export function installMisc(realm: Realm): void {
  realm.global('encodeURIComponent', realm.fn('encodeURIComponent', uri(encodeURIComponent)));
  realm.global('decodeURIComponent', realm.fn('decodeURIComponent', uri(decodeURIComponent)));
  realm.global('encodeURI', realm.fn('encodeURI', uri(encodeURI)));
  realm.global('decodeURI', realm.fn('decodeURI', uri(decodeURI)));
  realm.global('structuredClone', realm.fn('structuredClone', (rt, _s, args) => clone(rt, arg(args, 0), new Map(), 0)));
}

/**
 * Map, Set and iterators. A Map's shape label says which keys exist (has/get of a missing key,
 * size, iteration read it); each entry keeps its key's and value's labels. Adding or removing a
 * key writes the shape; overwriting a value writes that entry (no-sensitive-upgrade applies).
 */
import { callFunction } from '../calls.ts';
import { iterate, type Iter, type Step } from '../iterate.ts';
import { NONE } from '../labels.ts';
import { getProp, keyedWrite } from '../props.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GArray, GObject, LV, UNDEF, type Val } from '../values.ts';
import { arg, decidedBy, needFunction, underDecision } from './util.ts';

interface Entry {
  k: LV;
  v: LV;
}

function thisColl(rt: Runtime, self: LV, cls: 'Map' | 'Set', name: string): GObject {
  if (!(self.v instanceof GObject) || self.v.cls !== cls) rt.throwError('TypeError', `${cls}.prototype.${name} called on something that is not a ${cls}`, self.l);
  return self.v;
}

function mapOf(o: GObject): Map<Val, Entry> {
  return o.internal as Map<Val, Entry>;
}

function setOf(o: GObject): Map<Val, LV> {
  return o.internal as Map<Val, LV>;
}

function key(v: Val): Val {
  return typeof v === 'number' && Object.is(v, -0) ? 0 : v;
}

/** An iterator object over steps produced on demand. */
function iteratorObject(rt: Runtime, next: () => Step, shape: number): LV {
  const o = new GObject(rt.realm.IteratorProto, rt.join(rt.pc, shape), 'Iterator');
  let done = false;
  const iter: Iter = {
    next: () => {
      if (done) return { done: true, value: new LV(undefined, shape), l: shape };
      const step = next();
      if (step.done) done = true;
      return step;
    },
    close: () => {
      done = true;
    },
  };
  o.internal = iter;
  return new LV(o, NONE);
}

export function installCollections(realm: Realm): void {
  realm.iterators.set('Iterator', (o) => o.internal as Iter);
  realm.iterators.set('Map', (o) => entriesIterator(realm.rt, o, 'entries'));
  realm.iterators.set('Set', (o) => setIterator(realm.rt, o, 'values'));
  realm.methods(realm.IteratorProto, {
    next: (rt, self) => {
      if (!(self.v instanceof GObject) || !self.v.internal || (self.v.cls !== 'Iterator')) return rt.throwError('TypeError', 'next() called on something that is not an iterator', self.l);
      const step = (self.v.internal as Iter).next();
      return iterResult(rt, step);
    },
  });

  realm.arrayIterator = (self: LV, kind: 'keys' | 'values' | 'entries'): LV => {
    const rt = realm.rt;
    if (!(self.v instanceof GArray)) return rt.throwError('TypeError', `Array.prototype.${kind} called on something that is not an array`, self.l);
    const a = self.v;
    let i = 0;
    return iteratorObject(rt, () => {
      const l = rt.join(self.l, a.shape);
      if (i >= a.items.length) return { done: true, value: new LV(undefined, l), l };
      const index = i++;
      const item = a.items[index];
      const value = kind === 'keys' ? new LV(index, l) : kind === 'values' ? new LV(item.v, rt.join(item.l, l)) : new LV(rt.realm.makeArray([new LV(index, l), new LV(item.v, rt.join(item.l, l))], l), l);
      return { done: false, value, l };
    }, rt.join(self.l, a.shape));
  };
  realm.listIterator = (items: LV[], l: number): LV => {
    const rt = realm.rt;
    let i = 0;
    return iteratorObject(rt, () => (i < items.length ? { done: false, value: items[i++], l } : { done: true, value: new LV(undefined, l), l }), l);
  };

  realm.ctor('Map', (rt, _self, args, newTarget) => {
    if (!newTarget) return rt.throwError('TypeError', 'Map must be called with new', NONE);
    const m = new GObject(rt.realm.instanceProto(newTarget), rt.pc, 'Map');
    m.internal = new Map<Val, Entry>();
    const init = arg(args, 0);
    if (init.v !== undefined && init.v !== null) {
      const it = iterate(rt, init);
      for (let step = it.next(); !step.done; step = it.next()) {
        m.shape = rt.join(m.shape, step.l);
        const k = getProp(rt, step.value, '0', NONE);
        const v = getProp(rt, step.value, '1', NONE);
        mapOf(m).set(key(k.v), { k: new LV(k.v, rt.join(k.l, step.l)), v: new LV(v.v, rt.join(v.l, step.l)) });
      }
    }
    return new LV(m, NONE);
  }, realm.MapProto);

  realm.methods(realm.MapProto, {
    get: (rt, self, args) => {
      const m = thisColl(rt, self, 'Map', 'get');
      const k = arg(args, 0);
      const l = rt.join(rt.join(self.l, m.shape), k.l);
      const e = mapOf(m).get(key(k.v));
      return e ? new LV(e.v.v, rt.join(e.v.l, l)) : new LV(undefined, l);
    },
    has: (rt, self, args) => {
      const m = thisColl(rt, self, 'Map', 'has');
      const k = arg(args, 0);
      return new LV(mapOf(m).has(key(k.v)), rt.join(rt.join(self.l, m.shape), k.l));
    },
    set: (rt, self, args) => {
      const m = thisColl(rt, self, 'Map', 'set');
      const k = arg(args, 0);
      const v = arg(args, 1);
      const ctx = rt.join(rt.pc, self.l);
      keyedWrite(rt, m, k.l);
      const existing = mapOf(m).get(key(k.v));
      if (existing) {
        rt.nsu(existing.v.l, ctx, 'a Map entry');
        existing.v = new LV(v.v, rt.join(rt.join(v.l, ctx), k.l));
      } else {
        rt.nsu(m.shape, ctx, 'the keys of a Map');
        mapOf(m).set(key(k.v), { k: new LV(k.v, rt.join(ctx, k.l)), v: new LV(v.v, rt.join(rt.join(v.l, ctx), k.l)) });
      }
      return self;
    },
    delete: (rt, self, args) => {
      const m = thisColl(rt, self, 'Map', 'delete');
      const k = arg(args, 0);
      const ctx = rt.join(rt.pc, self.l);
      keyedWrite(rt, m, k.l);
      rt.nsu(m.shape, ctx, 'the keys of a Map');
      return new LV(mapOf(m).delete(key(k.v)), rt.join(m.shape, ctx));
    },
    clear: (rt, self) => {
      const m = thisColl(rt, self, 'Map', 'clear');
      rt.nsu(m.shape, rt.join(rt.pc, self.l), 'the keys of a Map');
      mapOf(m).clear();
      return UNDEF;
    },
    forEach: (rt, self, args) => {
      const m = thisColl(rt, self, 'Map', 'forEach');
      const fn = arg(args, 0);
      needFunction(rt, fn, 'the callback of forEach');
      underDecision(rt, rt.join(self.l, m.shape), fn, () => {
        for (const e of mapOf(m).values()) {
          // An entry added by a callback is visited too: decided by the key set as it is now.
          decidedBy(rt, rt.join(self.l, m.shape), fn);
          callFunction(rt, fn, UNDEF, [e.v, e.k, self]);
        }
      });
      return UNDEF;
    },
    keys: (rt, self) => iteratorObject(rt, wrap(entriesIterator(rt, thisColl(rt, self, 'Map', 'keys'), 'keys', self.l)), rt.join(self.l, (self.v as GObject).shape)),
    values: (rt, self) => iteratorObject(rt, wrap(entriesIterator(rt, thisColl(rt, self, 'Map', 'values'), 'values', self.l)), rt.join(self.l, (self.v as GObject).shape)),
    entries: (rt, self) => iteratorObject(rt, wrap(entriesIterator(rt, thisColl(rt, self, 'Map', 'entries'), 'entries', self.l)), rt.join(self.l, (self.v as GObject).shape)),
  });

  realm.ctor('Set', (rt, _self, args, newTarget) => {
    if (!newTarget) return rt.throwError('TypeError', 'Set must be called with new', NONE);
    const s = new GObject(rt.realm.instanceProto(newTarget), rt.pc, 'Set');
    s.internal = new Map<Val, LV>();
    const init = arg(args, 0);
    if (init.v !== undefined && init.v !== null) {
      const it = iterate(rt, init);
      for (let step = it.next(); !step.done; step = it.next()) {
        s.shape = rt.join(s.shape, rt.join(step.l, step.value.l));
        setOf(s).set(key(step.value.v), new LV(step.value.v, rt.join(step.value.l, step.l)));
      }
    }
    return new LV(s, NONE);
  }, realm.SetProto);

  realm.methods(realm.SetProto, {
    has: (rt, self, args) => {
      const s = thisColl(rt, self, 'Set', 'has');
      const k = arg(args, 0);
      return new LV(setOf(s).has(key(k.v)), rt.join(rt.join(self.l, s.shape), k.l));
    },
    add: (rt, self, args) => {
      const s = thisColl(rt, self, 'Set', 'add');
      const k = arg(args, 0);
      const ctx = rt.join(rt.pc, self.l);
      keyedWrite(rt, s, k.l);
      if (!setOf(s).has(key(k.v))) {
        rt.nsu(s.shape, ctx, 'the members of a Set');
        setOf(s).set(key(k.v), new LV(k.v, rt.join(ctx, k.l)));
      } else {
        // Adding a member already there changes nothing, but whether it was there is the shape's.
        rt.nsu(s.shape, ctx, 'the members of a Set');
      }
      return self;
    },
    delete: (rt, self, args) => {
      const s = thisColl(rt, self, 'Set', 'delete');
      const k = arg(args, 0);
      const ctx = rt.join(rt.pc, self.l);
      keyedWrite(rt, s, k.l);
      rt.nsu(s.shape, ctx, 'the members of a Set');
      return new LV(setOf(s).delete(key(k.v)), rt.join(s.shape, ctx));
    },
    clear: (rt, self) => {
      const s = thisColl(rt, self, 'Set', 'clear');
      rt.nsu(s.shape, rt.join(rt.pc, self.l), 'the members of a Set');
      setOf(s).clear();
      return UNDEF;
    },
    forEach: (rt, self, args) => {
      const s = thisColl(rt, self, 'Set', 'forEach');
      const fn = arg(args, 0);
      needFunction(rt, fn, 'the callback of forEach');
      underDecision(rt, rt.join(self.l, s.shape), fn, () => {
        for (const v of setOf(s).values()) {
          decidedBy(rt, rt.join(self.l, s.shape), fn);
          callFunction(rt, fn, UNDEF, [v, v, self]);
        }
      });
      return UNDEF;
    },
    values: (rt, self) => iteratorObject(rt, wrap(setIterator(rt, thisColl(rt, self, 'Set', 'values'), 'values', self.l)), rt.join(self.l, (self.v as GObject).shape)),
    keys: (rt, self) => iteratorObject(rt, wrap(setIterator(rt, thisColl(rt, self, 'Set', 'keys'), 'values', self.l)), rt.join(self.l, (self.v as GObject).shape)),
    entries: (rt, self) => iteratorObject(rt, wrap(setIterator(rt, thisColl(rt, self, 'Set', 'entries'), 'entries', self.l)), rt.join(self.l, (self.v as GObject).shape)),
  });
}

function wrap(iter: Iter): () => Step {
  return () => iter.next();
}

/** `size` of a Map or Set (read by props.ts: JavaScript has it as a getter). */
export function sizeOf(rt: Runtime, o: GObject, ref: number): LV | undefined {
  if (o.cls === 'Map' || o.cls === 'Set') return new LV((o.internal as Map<unknown, unknown>).size, rt.join(ref, o.shape));
  return undefined;
}

function entriesIterator(rt: Runtime, m: GObject, kind: 'keys' | 'values' | 'entries', ref = NONE): Iter {
  const it = mapOf(m).values();
  return {
    next: () => {
      const l = rt.join(ref, m.shape);
      const r = it.next();
      if (r.done) return { done: true, value: new LV(undefined, l), l };
      const e = r.value;
      const value = kind === 'keys' ? new LV(e.k.v, rt.join(e.k.l, l)) : kind === 'values' ? new LV(e.v.v, rt.join(e.v.l, l))
        : new LV(rt.realm.makeArray([new LV(e.k.v, rt.join(e.k.l, l)), new LV(e.v.v, rt.join(e.v.l, l))], l), l);
      return { done: false, value, l };
    },
    close: () => {},
  };
}

function setIterator(rt: Runtime, s: GObject, kind: 'values' | 'entries', ref = NONE): Iter {
  const it = setOf(s).values();
  return {
    next: () => {
      const l = rt.join(ref, s.shape);
      const r = it.next();
      if (r.done) return { done: true, value: new LV(undefined, l), l };
      const v = new LV(r.value.v, rt.join(r.value.l, l));
      return { done: false, value: kind === 'values' ? v : new LV(rt.realm.makeArray([v, v], l), l), l };
    },
    close: () => {},
  };
}

/** `{ value, done }` with the labels of the step. */
export function iterResult(rt: Runtime, step: Step): LV {
  const o = rt.realm.makeObject(rt.join(rt.pc, step.l));
  o.props.set('value', new LV(step.value.v, rt.join(step.value.l, step.l)));
  o.props.set('done', new LV(step.done, step.l));
  return new LV(o, NONE);
}

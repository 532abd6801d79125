/**
 * Object, Object.prototype and Function.prototype. Key lists carry the object's shape (which
 * keys exist); values carry their slots. No prototype reflection: a program cannot reach or
 * change a prototype (getPrototypeOf, setPrototypeOf, __proto__ are not provided).
 */
import { callFunction } from '../calls.ts';
import { toKey } from '../coerce.ts';
import { iterate } from '../iterate.ts';
import { NONE } from '../labels.ts';
import { getProp, hasProp, ownEntries, ownKeys, setProp } from '../props.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GArray, GFunction, GObject, LV } from '../values.ts';
import { arg, joinAll, needFunction } from './util.ts';

function needObject(rt: Runtime, x: LV, what: string): GObject {
  if (!(x.v instanceof GObject)) rt.throwError('TypeError', `${what} expects an object`, x.l);
  return x.v;
}

/** Own keys as an array: its length and each key carry the shape. */
function keysOf(rt: Runtime, x: LV): { o: GObject; l: number } {
  if (typeof x.v === 'string') return { o: rt.realm.makeArray([...x.v].map((ch) => new LV(ch, x.l)), x.l), l: x.l };
  const o = needObject(rt, x, 'Object.keys / values / entries');
  return { o, l: rt.join(x.l, o.shape) };
}

export function installObject(realm: Realm): void {
  realm.ctor('Object', (rt, _self, args) => {
    const v = arg(args, 0);
    return v.v instanceof GObject ? v : new LV(rt.realm.makeObject(rt.pc), NONE);
  }, realm.ObjectProto, {
    keys: (rt, _s, args) => {
      const { o, l } = keysOf(rt, arg(args, 0));
      return rt.realm.arrayOf(ownKeys(o), l);
    },
    values: (rt, _s, args) => {
      const { o, l } = keysOf(rt, arg(args, 0));
      return new LV(rt.realm.makeArray(ownEntries(rt, o).map(([, v]) => new LV(v.v, rt.join(v.l, l))), l), NONE);
    },
    entries: (rt, _s, args) => {
      const { o, l } = keysOf(rt, arg(args, 0));
      const pairs = ownEntries(rt, o).map(([k, v]) => new LV(rt.realm.makeArray([new LV(k, l), new LV(v.v, rt.join(v.l, l))], l), l));
      return new LV(rt.realm.makeArray(pairs, l), NONE);
    },
    fromEntries: (rt, _s, args) => {
      const out = new LV(rt.realm.makeObject(rt.pc), NONE);
      const source = arg(args, 0);
      const it = iterate(rt, source);
      const saved = rt.pc;
      try {
        for (let step = it.next(); !step.done; step = it.next()) {
          rt.raise(step.l);
          (out.v as GObject).shape = rt.join((out.v as GObject).shape, step.l);
          const key = toKey(rt, getProp(rt, step.value, '0', NONE));
          setProp(rt, out, key.v as string, key.l, getProp(rt, step.value, '1', NONE));
        }
      } finally {
        rt.restore(saved);
      }
      return out;
    },
    assign: (rt, _s, args) => {
      const target = arg(args, 0);
      needObject(rt, target, 'Object.assign');
      for (const source of args.slice(1)) {
        if (!(source.v instanceof GObject)) continue;
        const l = rt.join(source.l, source.v.shape);
        for (const [k, v] of ownEntries(rt, source.v)) setProp(rt, target, k, l, v);
      }
      return target;
    },
    freeze: (rt, _s, args) => {
      const x = arg(args, 0);
      if (x.v instanceof GObject && !x.v.frozen) {
        rt.nsu(x.v.shape, rt.join(rt.pc, x.l), 'whether an object is frozen');
        x.v.frozen = true;
      }
      return x;
    },
    isFrozen: (rt, _s, args) => {
      const x = arg(args, 0);
      return new LV(x.v instanceof GObject ? x.v.frozen : true, x.v instanceof GObject ? rt.join(x.l, x.v.shape) : x.l);
    },
    create: (rt, _s, args) => {
      const proto = arg(args, 0);
      if (proto.v !== null && !(proto.v instanceof GObject)) rt.throwError('TypeError', 'Object.create takes an object or null', proto.l);
      if (proto.v instanceof GFunction || (proto.v instanceof GObject && proto.v.frozen && proto.v.cls !== 'Object')) {
        rt.throwError('TypeError', 'Object.create takes a plain object or null as the prototype', proto.l);
      }
      if (args.length > 1) rt.throwError('TypeError', 'Object.create with property descriptors is outside the subset', NONE);
      return new LV(rt.realm.makeObject(rt.join(rt.pc, proto.l), proto.v as GObject | null), NONE);
    },
    hasOwn: (rt, _s, args) => {
      const key = toKey(rt, arg(args, 1));
      return ownHas(rt, arg(args, 0), key);
    },
    getOwnPropertyNames: (rt, _s, args) => {
      const { o, l } = keysOf(rt, arg(args, 0));
      return rt.realm.arrayOf(ownKeys(o), l);
    },
    defineProperty: (rt, _s, args) => {
      const target = arg(args, 0);
      needObject(rt, target, 'Object.defineProperty');
      const key = toKey(rt, arg(args, 1));
      const desc = arg(args, 2);
      const d = needObject(rt, desc, 'Object.defineProperty');
      for (const k of d.props.keys()) {
        if (k === 'get' || k === 'set') rt.throwError('TypeError', 'getters and setters are outside the subset Flowgate runs', rt.join(desc.l, d.shape));
      }
      setProp(rt, target, key.v as string, key.l, getProp(rt, desc, 'value', NONE));
      return target;
    },
  });

  realm.methods(realm.ObjectProto, {
    hasOwnProperty: (rt: Runtime, self: LV, args: LV[]) => ownHas(rt, self, toKey(rt, arg(args, 0))),
    toString: (rt: Runtime, self: LV) => new LV(self.v instanceof GArray ? '[object Array]' : self.v === null ? '[object Null]' : self.v === undefined ? '[object Undefined]' : '[object Object]', self.l),
    valueOf: (_rt: Runtime, self: LV) => self,
    toLocaleString: (rt: Runtime, self: LV) => new LV('[object Object]', self.l),
  });

  realm.methods(realm.FunctionProto, {
    call: (rt, self, args) => callFunction(rt, self, arg(args, 0), args.slice(1)),
    apply: (rt, self, args) => {
      const list = arg(args, 1);
      const items: LV[] = [];
      if (list.v !== undefined && list.v !== null) {
        const it = iterate(rt, list);
        for (let step = it.next(); !step.done; step = it.next()) {
          rt.raise(step.l);
          items.push(step.value);
        }
      }
      return callFunction(rt, self, arg(args, 0), items);
    },
    bind: (rt, self, args) => {
      const target = needFunction(rt, self, 'bind target');
      const bound = new GFunction(rt.realm.FunctionProto, `bound ${target.name}`);
      bound.bound = { target, self: arg(args, 0), args: args.slice(1) };
      return new LV(bound, joinAll(rt, [self]));
    },
    toString: (rt: Runtime, self: LV) => new LV(`function ${self.v instanceof GFunction ? self.v.name : ''}() { [code] }`, self.l),
  });
}

function ownHas(rt: Runtime, obj: LV, key: LV): LV {
  const o = obj.v;
  if (!(o instanceof GObject)) {
    if (o === undefined || o === null) rt.throwError('TypeError', 'cannot convert undefined or null to an object', obj.l);
    return new LV(false, rt.join(obj.l, key.l));
  }
  const l = rt.join(rt.join(obj.l, key.l), o.shape);
  if (o instanceof GArray && /^\d+$/.test(key.v as string)) return new LV(Number(key.v) < o.items.length, l);
  return new LV(o.props.has(key.v as string), l);
}

export { hasProp };

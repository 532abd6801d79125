/**
 * The program's world: the built-in prototypes and constructors the interpreter implements, the
 * global scope (exactly lower/globals.ts's PROGRAM_GLOBALS plus the catalog's services), and
 * the constructors of built-in objects the rest of the interpreter makes (arrays, errors, …).
 *
 * Built-in prototypes are frozen: a program cannot change what a method does for everyone.
 */
import { callFunction } from './calls.ts';
import type { Gen } from './control.ts';
import { NONE } from './labels.ts';
import { getProp } from './props.ts';
import type { Runtime } from './runtime.ts';
import type { Iter } from './iterate.ts';
import { Binding, Env, Frame, GArray, GFunction, GObject, LV, UNDEF, type NativeFn, type Val } from './values.ts';
import { installArray } from './builtins/array.ts';
import { installCollections } from './builtins/collections.ts';
import { installDate } from './builtins/date.ts';
import { installErrors } from './builtins/errors.ts';
import { installGenerators, type GeneratorState } from './builtins/generators.ts';
import { installJson } from './builtins/json.ts';
import { installMisc } from './builtins/misc.ts';
import { installNumbers } from './builtins/numbers.ts';
import { installObject } from './builtins/object.ts';
import { installPromise } from './builtins/promise.ts';
import { installRegExp } from './builtins/regexp.ts';
import { installString } from './builtins/string.ts';

export const MAX_STRING = 64 * 1024 * 1024;

export class Realm {
  readonly rt: Runtime;
  readonly maxString = MAX_STRING;
  readonly ObjectProto = new GObject(null, NONE);
  readonly FunctionProto = new GObject(this.ObjectProto, NONE, 'Function');
  readonly ArrayProto = new GObject(this.ObjectProto, NONE);
  readonly StringProto = new GObject(this.ObjectProto, NONE);
  readonly NumberProto = new GObject(this.ObjectProto, NONE);
  readonly BooleanProto = new GObject(this.ObjectProto, NONE);
  readonly BigIntProto = new GObject(this.ObjectProto, NONE);
  readonly PromiseProto = new GObject(this.ObjectProto, NONE);
  readonly IteratorProto = new GObject(this.ObjectProto, NONE);
  readonly GeneratorProto = new GObject(this.IteratorProto, NONE);
  readonly DateProto = new GObject(this.ObjectProto, NONE);
  readonly RegExpProto = new GObject(this.ObjectProto, NONE);
  readonly MapProto = new GObject(this.ObjectProto, NONE);
  readonly SetProto = new GObject(this.ObjectProto, NONE);
  /** Error kind → its prototype. */
  readonly errorProtos = new Map<string, GObject>();
  /** Built-in constructor → the prototype of what it makes (for instanceof and `extends`). */
  readonly instanceProtos = new Map<GFunction, GObject>();
  readonly globalEnv = new Env(null);

  constructor(rt: Runtime) {
    this.rt = rt;
    rt.realm = this;
    installObject(this);
    installArray(this);
    installString(this);
    installNumbers(this);
    installErrors(this);
    installJson(this);
    installDate(this);
    installRegExp(this);
    installCollections(this);
    installPromise(this);
    installGenerators(this);
    installMisc(this);
    this.global('undefined', undefined);
    this.global('NaN', NaN);
    this.global('Infinity', Infinity);
    for (const proto of [this.ObjectProto, this.FunctionProto, this.ArrayProto, this.StringProto, this.NumberProto, this.BooleanProto,
      this.BigIntProto, this.PromiseProto, this.IteratorProto, this.GeneratorProto, this.DateProto, this.RegExpProto, this.MapProto,
      this.SetProto, ...this.errorProtos.values()]) proto.frozen = true;
  }

  // ---- defining built-ins ----

  /** A built-in function. */
  fn(name: string, native: NativeFn, constructable = false): GFunction {
    const f = new GFunction(this.FunctionProto, name);
    f.native = native;
    f.constructable = constructable;
    f.frozen = true;
    return f;
  }

  /** Puts built-in methods on an object. */
  methods(target: GObject, defs: Record<string, NativeFn>): void {
    for (const [name, native] of Object.entries(defs)) target.props.set(name, new LV(this.fn(name, native), NONE));
  }

  constants(target: GObject, values: Record<string, Val>): void {
    for (const [name, v] of Object.entries(values)) target.props.set(name, new LV(v, NONE));
  }

  /** A constructor available as a global, whose instances inherit from `proto`. */
  ctor(name: string, native: NativeFn, proto: GObject | undefined, statics: Record<string, NativeFn> = {}): GFunction {
    const f = this.fn(name, native, proto !== undefined);
    f.frozen = false;
    this.methods(f, statics);
    f.frozen = true;
    if (proto) this.instanceProtos.set(f, proto);
    this.global(name, f);
    return f;
  }

  global(name: string, v: Val): void {
    this.globalEnv.vars.set(name, new Binding('global', v, NONE, true));
  }

  // ---- making objects ----

  makeObject(shape: number, proto: GObject | null = this.ObjectProto): GObject {
    return new GObject(proto, shape);
  }

  makeArray(items: LV[], shape: number): GArray {
    return new GArray(this.ArrayProto, shape, items);
  }

  arrayOf(values: Val[], l: number, shape = l): LV {
    return new LV(this.makeArray(values.map((v) => new LV(v, l)), shape), NONE);
  }

  makeError(kind: string, message: string, l: number, proto?: GObject): GObject {
    const e = new GObject(proto ?? this.errorProtos.get(kind) ?? this.errorProtos.get('Error')!, l, 'Error');
    e.props.set('message', new LV(message, l));
    e.props.set('stack', new LV(`${kind}: ${message}`, l));
    e.internal = { at: this.rt.at };
    return e;
  }

  makeRegExp(pattern: string, flags: string, l: number): GObject {
    const re = new GObject(this.RegExpProto, l, 'RegExp');
    const native = new RegExp(pattern, flags);
    re.internal = native;
    re.props.set('lastIndex', new LV(0, l));
    for (const prop of ['source', 'flags', 'global', 'ignoreCase', 'multiline', 'sticky', 'unicode'] as const) re.props.set(prop, new LV(native[prop], l));
    return re;
  }

  makeGenerator(gen: Gen<LV>, frame: Frame, pc: number): GObject {
    const o = new GObject(this.GeneratorProto, pc, 'Generator');
    const state: GeneratorState = { gen, frame, pc, running: false, done: false };
    o.internal = state;
    return o;
  }

  // ---- what the rest of the interpreter asks ----

  protoOf(v: Val): GObject | null {
    switch (typeof v) {
      case 'string': return this.StringProto;
      case 'number': return this.NumberProto;
      case 'boolean': return this.BooleanProto;
      case 'bigint': return this.BigIntProto;
      default: return v instanceof GObject ? v.proto : null;
    }
  }

  instanceProto(f: GFunction): GObject {
    return f.klass?.proto ?? this.instanceProtos.get(f) ?? this.ObjectProto;
  }

  get(x: LV, key: string): LV {
    return getProp(this.rt, x, key, NONE);
  }

  call(fn: LV, self: LV, args: LV[]): LV {
    return callFunction(this.rt, fn, self, args);
  }

  dateValue(o: GObject): LV {
    return (o.internal as { t: LV }).t;
  }

  regexpOf(o: GObject): RegExp {
    return o.internal as RegExp;
  }

  /** Values held inside built-in objects (Map entries, a Date's time), for deep labels. */
  innerValues(o: GObject): LV[] | undefined {
    if (o.cls === 'Date') return [this.dateValue(o)];
    if (o.cls === 'Map') return [...(o.internal as Map<unknown, { k: LV; v: LV }>).values()].flatMap((e) => [e.k, e.v]);
    if (o.cls === 'Set') return [...(o.internal as Map<unknown, LV>).values()];
    return undefined;
  }

  /** Labels what a built-in object holds inside (regions.ts). */
  upgradeInner(o: GObject, l: number): void {
    const rt = this.rt;
    if (o.cls === 'Date') {
      const s = o.internal as { t: LV };
      s.t = new LV(s.t.v, rt.join(s.t.l, l));
    } else if (o.cls === 'Map') {
      for (const e of (o.internal as Map<unknown, { k: LV; v: LV }>).values()) {
        e.k = new LV(e.k.v, rt.join(e.k.l, l));
        e.v = new LV(e.v.v, rt.join(e.v.l, l));
      }
    } else if (o.cls === 'Set') {
      const m = o.internal as Map<unknown, LV>;
      for (const [k, v] of m) m.set(k, new LV(v.v, rt.join(v.l, l)));
    } else if (o.cls === 'Generator') {
      const g = o.internal as GeneratorState;
      g.pc = rt.join(g.pc, l);
    }
  }

  /** How to iterate a built-in object; undefined when it is not iterable. */
  iteratorOf(o: GObject): Iter | undefined {
    const make = this.iterators.get(o.cls);
    return make ? make(o) : undefined;
  }

  readonly iterators = new Map<string, (o: GObject) => Iter>();
  /** `array.keys()/values()/entries()` (builtins/collections.ts). */
  arrayIterator!: (self: LV, kind: 'keys' | 'values' | 'entries') => LV;
  /** An iterator object over a list of values, each step labelled `l` (matchAll). */
  listIterator!: (items: LV[], l: number) => LV;

  displayCollection(o: GObject, show: (x: LV) => unknown): unknown {
    if (o.cls === 'Map') return { Map: [...(o.internal as Map<unknown, { k: LV; v: LV }>).values()].map((e) => [show(e.k), show(e.v)]) };
    return { Set: [...(o.internal as Map<unknown, LV>).values()].map(show) };
  }

  /** Gives an anonymous function the name it was assigned to (`const f = () => …`). */
  nameFunction(o: GObject, name: string): void {
    if (o instanceof GFunction && !o.name && !o.native) o.name = name;
  }

  getPrivate(obj: LV, name: string): LV {
    const o = obj.v;
    const found = o instanceof GObject ? o.privates?.get(name) : undefined;
    if (!found) return this.rt.throwError('TypeError', `cannot read private field #${name} of an object that does not have it`, obj.l);
    return new LV(found.v, this.rt.join(found.l, obj.l));
  }

  setPrivate(obj: LV, name: string, value: LV): void {
    const rt = this.rt;
    const o = obj.v;
    const found = o instanceof GObject ? o.privates?.get(name) : undefined;
    if (!found || !(o instanceof GObject)) {
      return rt.throwError('TypeError', `cannot write private field #${name} of an object that does not have it`, obj.l);
    }
    const ctx = rt.join(rt.pc, obj.l);
    rt.nsu(found.l, ctx, `the private field #${name}`);
    o.privates!.set(name, new LV(value.v, rt.join(value.l, ctx)));
  }

  undef(l = NONE): LV {
    return l === NONE ? UNDEF : new LV(undefined, l);
  }
}

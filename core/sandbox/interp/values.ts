/**
 * What a program's values are inside the interpreter. Primitives are themselves; every object a
 * program can touch is a `GObject` the interpreter owns (never a native object), so no engine
 * protocol — coercion hooks, getters, iterators, thenables, prototypes — can run program code
 * behind the interpreter's back.
 *
 * Every value travels with its label set (`LV`). Objects carry a label per slot and a `shape`
 * label for which keys exist (and, for arrays, the length).
 */
import type * as A from '../../lower/ast.ts';
import type { Runtime } from './runtime.ts';

export type Prim = undefined | null | boolean | number | string | bigint;
export type Val = Prim | GObject;

/** A value and its labels. Immutable. */
export class LV {
  readonly v: Val;
  readonly l: number;
  constructor(v: Val, l: number) {
    this.v = v;
    this.l = l;
  }
}

export const UNDEF = new LV(undefined, 0);

export class GObject {
  proto: GObject | null;
  /** Own data properties, in insertion order. */
  readonly props = new Map<string, LV>();
  /** Labels of the key set: which keys exist (and an array's length). */
  shape: number;
  /** Internal kind: Object, Array, Function, Error, Date, RegExp, Map, Set, Promise, Iterator, Generator, Service. */
  readonly cls: string;
  /** No key may be added, changed or removed (`Object.freeze`, service objects). */
  frozen = false;
  /** Private class fields (`#x`), by name. */
  privates?: Map<string, LV>;
  /** Built-in state (a Date's time, a Map's entries, a RegExp…): see realm.ts. */
  internal?: unknown;
  constructor(proto: GObject | null, shape: number, cls = 'Object') {
    this.proto = proto;
    this.shape = shape;
    this.cls = cls;
  }
}

export class GArray extends GObject {
  items: LV[];
  constructor(proto: GObject | null, shape: number, items: LV[] = []) {
    super(proto, shape, 'Array');
    this.items = items;
  }
}

/** A built-in implemented by the interpreter. `self` is the receiver. */
export type NativeFn = (rt: Runtime, self: LV, args: LV[], newTarget?: GFunction) => LV;

export class GFunction extends GObject {
  name: string;
  /** A built-in: how to call it. */
  native?: NativeFn;
  /** Whether `new` may be used (built-in constructors, classes, plain functions are not). */
  constructable = false;
  /** A program function: its code and the scope it closes over. */
  code?: A.Fn;
  env?: Env;
  /** Methods: the object `super` looks up from. */
  home?: GObject;
  /** Classes: the definition, the scope of its members, the prototype of instances, the parent. */
  klass?: { def: A.Class; env: Env; proto: GObject; parent?: GFunction; fields: { key: string; value?: A.Expr; private: boolean }[] };
  /** `bind`: the function, receiver and leading arguments. */
  bound?: { target: GFunction; self: LV; args: LV[] };
  /** API operations: `service.operation`. */
  operation?: string;
  /** Labels this function's writes were last labelled with before it ran (regions.ts). */
  upgraded?: number;
  constructor(proto: GObject | null, name: string) {
    super(proto, 0, 'Function');
    this.name = name;
  }
}

export type Reaction = (state: 'fulfilled' | 'rejected', value: LV, settle: number) => void;

export class GPromise extends GObject {
  state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  value: LV = UNDEF;
  /** Labels of what decided that (and how) the promise settled: control for whoever awaits it. */
  settle = 0;
  /** Labels the promise's fate may depend on: resolving it under a higher pc stops the run. */
  fate: number;
  /** When known ahead (an API call's), the labels that will decide how it settles. */
  control?: number;
  reactions: Reaction[] = [];
  constructor(proto: GObject | null, fate: number) {
    super(proto, 0, 'Promise');
    this.fate = fate;
  }
}

export type BindingKind = 'let' | 'const' | 'var' | 'fn' | 'class' | 'param' | 'global';

/** A variable: its value, its labels, and whether it has been initialised (TDZ). */
export class Binding {
  v: Val;
  l: number;
  readonly kind: BindingKind;
  init: boolean;
  constructor(kind: BindingKind, v: Val, l: number, init: boolean) {
    this.kind = kind;
    this.v = v;
    this.l = l;
    this.init = init;
  }
}

/** One function invocation: what `this`, `super` and stickiness mean inside it. */
export class Frame {
  /** `this`; a derived class constructor gets it from `super()`. */
  self: LV;
  readonly fn: GFunction | undefined;
  readonly home: GObject | undefined;
  /** Labels that stay on the pc for the rest of the invocation (after a labelled early exit, an await). */
  floor = 0;
  /** Labels the invocation's timing depends on (what it has awaited under, when others could watch). */
  tau = 0;
  /** Every label any decision in this invocation depended on. */
  seen = 0;
  /** Per enclosing loop or switch of this invocation (innermost last): labels sticky until it ends. */
  readonly loops: number[] = [];
  /** The loop or switch nodes themselves, parallel to `loops`. */
  readonly loopNodes: object[] = [];
  /** The invocation's body (what "the rest of the function" may write). */
  body?: object;
  /** A derived class constructor before `super()`: `this` is not yet available. */
  thisReady = true;
  /** `new`: the class being constructed. */
  newTarget?: GFunction;
  constructor(self: LV, fn: GFunction | undefined, home: GObject | undefined) {
    this.self = self;
    this.fn = fn;
    this.home = home;
  }
}

export class Env {
  readonly vars = new Map<string, Binding>();
  readonly parent: Env | null;
  /** Set on a function's own scope (not arrows): where `this` is found. */
  readonly frame: Frame | null;
  constructor(parent: Env | null, frame: Frame | null = null) {
    this.parent = parent;
    this.frame = frame;
  }
}

/**
 * A program exception. `control` holds the labels of everything that decided the throw happens
 * (the pc, and the operands of an implicit error): a handler whose own pc does not cover them may
 * not catch it. Not an `Error`: nothing native ever catches it by accident.
 */
export class GuestThrow {
  readonly value: LV;
  readonly control: number;
  /** Source offset of what threw, when known. */
  readonly at?: number;
  constructor(value: LV, control: number, at?: number) {
    this.value = value;
    this.control = control;
    this.at = at;
  }
}

/** Ends the run at once: a limit, a flow the monitor refuses, a blocked call. Never catchable by the program. */
export class Halt {
  readonly status: 'denied' | 'limit' | 'error';
  readonly code: string;
  readonly message: string;
  constructor(status: 'denied' | 'limit' | 'error', code: string, message: string) {
    this.status = status;
    this.code = code;
    this.message = message;
  }
}

export function isObject(v: Val): v is GObject {
  return v instanceof GObject;
}

export function isCallable(v: Val): v is GFunction {
  return v instanceof GFunction;
}

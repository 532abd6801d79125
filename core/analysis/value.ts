/**
 * The abstract value of an expression: which labels it may carry, which constants it may be,
 * and what it may point to (allocation sites, program functions, API operations, service
 * objects, resolver functions of built-in calls). Values are immutable; `join` builds new ones.
 *
 * Invariant: the lattice is finite for one program (labels, sites, functions and operations are
 * all drawn from the program and the catalog; constant sets collapse to "unknown" past
 * MAX_CONSTS), so fixed-point iteration terminates.
 */
import type ts from 'typescript';

export type Const = string | number | boolean | null | undefined;

/** A constant set larger than this becomes "not a known constant". */
export const MAX_CONSTS = 8;

export interface AbsVal {
  /** Labels carried directly (besides those implied by `resp`). */
  readonly labels: ReadonlySet<string>;
  /** The constants the value may be; `null` = not known (any value); empty = no value yet. */
  readonly consts: ReadonlySet<Const> | null;
  /** Positions inside API responses: `opId\u0000step/step/…` (steps joined by `\u0001`). */
  readonly resp: ReadonlySet<string>;
  /** Allocation sites (objects, arrays, class instances, Maps…) the value may point to. */
  readonly objs: ReadonlySet<number>;
  /** Program functions (function-like nodes) the value may be. */
  readonly fns: ReadonlySet<ts.Node>;
  /** API operations (`service.op`) the value may be, as function values. */
  readonly ops: ReadonlySet<string>;
  /** Service objects the value may be. */
  readonly svcs: ReadonlySet<string>;
  /** Resolver functions handed to callbacks by built-in calls (`new Promise(r => …)`): calling one feeds that call's result. */
  readonly res: ReadonlySet<ts.Node>;
}

const none: ReadonlySet<never> = new Set();

export const BOTTOM: AbsVal = { labels: none, consts: none, resp: none, objs: none, fns: none, ops: none, svcs: none, res: none };
/** Any value, no labels (e.g. a number computed from unlabelled inputs). */
export const TOP_CLEAN: AbsVal = { ...BOTTOM, consts: null };

export function constant(c: Const): AbsVal {
  return { ...BOTTOM, consts: new Set([c]) };
}

export function labelsVal(labels: Iterable<string>): AbsVal {
  const set = new Set(labels);
  return set.size ? { ...BOTTOM, consts: null, labels: set } : TOP_CLEAN;
}

function union<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): ReadonlySet<T> {
  if (b.size === 0 || a === b) return a;
  if (a.size === 0) return b;
  let out: Set<T> | undefined;
  for (const x of b) {
    if (!a.has(x)) {
      out ??= new Set(a);
      out.add(x);
    }
  }
  return out ?? a;
}

function joinConsts(a: ReadonlySet<Const> | null, b: ReadonlySet<Const> | null): ReadonlySet<Const> | null {
  if (a === null || b === null) return null;
  const u = union(a, b);
  return u.size > MAX_CONSTS ? null : u;
}

export function join(a: AbsVal, b: AbsVal): AbsVal {
  if (a === b || b === BOTTOM) return a;
  if (a === BOTTOM) return b;
  return {
    labels: union(a.labels, b.labels),
    consts: joinConsts(a.consts, b.consts),
    resp: union(a.resp, b.resp),
    objs: union(a.objs, b.objs),
    fns: union(a.fns, b.fns),
    ops: union(a.ops, b.ops),
    svcs: union(a.svcs, b.svcs),
    res: union(a.res, b.res),
  };
}

export function joinAll(values: Iterable<AbsVal>): AbsVal {
  let out = BOTTOM;
  for (const v of values) out = join(out, v);
  return out;
}

/** Adds labels (e.g. the pc) to a value. */
export function withLabels(v: AbsVal, labels: ReadonlySet<string>): AbsVal {
  if (labels.size === 0) return v;
  const l = union(v.labels, labels);
  return l === v.labels ? v : { ...v, labels: l };
}

/** Keeps only the labels (and loses constants): the value of an unmodelled computation. */
export function opaque(labels: ReadonlySet<string>): AbsVal {
  return labels.size ? { ...BOTTOM, consts: null, labels } : TOP_CLEAN;
}

/** Whether `b` adds nothing to `a` (so a cell holding `a` need not change). */
export function subsumes(a: AbsVal, b: AbsVal): boolean {
  if (a === b || b === BOTTOM) return true;
  const sub = <T>(x: ReadonlySet<T>, y: ReadonlySet<T>) => {
    if (y.size === 0 || x === y) return true;
    for (const e of y) if (!x.has(e)) return false;
    return true;
  };
  if (a.consts !== null) {
    if (b.consts === null) return false;
    if (!sub(a.consts, b.consts)) return false;
  }
  return sub(a.labels, b.labels) && sub(a.resp, b.resp) && sub(a.objs, b.objs) && sub(a.fns, b.fns)
    && sub(a.ops, b.ops) && sub(a.svcs, b.svcs) && sub(a.res, b.res);
}

/** Applies `f` to every pair of constants; `null` when either side is unknown or too many. */
export function foldConsts(a: AbsVal, b: AbsVal, f: (x: Const, y: Const) => Const): ReadonlySet<Const> | null {
  if (a.consts === null || b.consts === null) return null;
  if (a.consts.size * b.consts.size > MAX_CONSTS) return null;
  const out = new Set<Const>();
  for (const x of a.consts) for (const y of b.consts) out.add(f(x, y));
  return out;
}

export function mapConsts(a: AbsVal, f: (x: Const) => Const): ReadonlySet<Const> | null {
  if (a.consts === null) return null;
  const out = new Set<Const>();
  for (const x of a.consts) out.add(f(x));
  return out;
}

/** The single constant of a value, when it has exactly one. */
export function single(v: AbsVal): { value: Const } | undefined {
  if (v.consts === null || v.consts.size !== 1) return undefined;
  return { value: [...v.consts][0] };
}

/** A mutable cell in the analysis state; `join` reports whether it grew. */
export class Cell {
  value: AbsVal = BOTTOM;
  join(v: AbsVal): boolean {
    if (subsumes(this.value, v)) return false;
    this.value = join(this.value, v);
    return true;
  }
}

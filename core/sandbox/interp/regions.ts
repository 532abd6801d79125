/**
 * Regions: code that runs (or not) because of a labelled decision — a branch, a loop, `&&`,
 * `?.`, a default value, a callback a built-in calls once per element of labelled data.
 *
 * On entering a region under a new label, the locations the region may write (found from its
 * syntax: variables assigned, objects written through a path rooted in a variable or `this`, what
 * the functions it calls by name assign) are labelled with it *before* either way is taken, so
 * that whatever the region writes, or leaves unwritten, carries the decision. This is what lets a
 * branch write under a labelled pc without the no-sensitive-upgrade rule stopping the run.
 * It is precision only: a location this misses is still protected by that rule (the run stops).
 *
 * On leaving, the pc drops back unless the region could leave early (return, break, continue:
 * then what follows ran only because of the decision and the pc stays raised) or could wait
 * (an `await`) while other lines of execution were there to notice when it resumes.
 */
import type * as A from '../../lower/ast.ts';
import { NONE } from './labels.ts';
import type { Runtime } from './runtime.ts';
import { Env, GArray, GFunction, GObject, LV } from './values.ts';

/** A path from a variable (or `this`) to an object a region may write: `rows`, `acc.byDept.*`. */
interface HeapPath {
  root: string;
  steps: string[];
}

export interface RegionInfo {
  vars: Set<string>;
  heap: HeapPath[];
  /** Functions called by name (their own writes count too). */
  calls: Set<string>;
  hasAwait: boolean;
  /** A `return`, or a labelled break/continue, that leaves the region: the rest of the function depends on it. */
  exitsFunction: boolean;
  /** An unlabelled `break`/`continue` that leaves the region: the rest of the loop depends on it. */
  exitsLoop: boolean;
}

const infos = new WeakMap<object, RegionInfo>();

/** Methods of built-ins that change their receiver. */
const MUTATORS = new Set([
  'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin',
  'set', 'delete', 'clear', 'add', 'exec', 'test', 'next', 'return', 'throw',
  'setTime', 'setMilliseconds', 'setSeconds', 'setMinutes', 'setHours', 'setDate', 'setMonth', 'setFullYear',
  'setUTCMilliseconds', 'setUTCSeconds', 'setUTCMinutes', 'setUTCHours', 'setUTCDate', 'setUTCMonth', 'setUTCFullYear',
  'assign',
]);

/** What a region (any subtree) may write and how it may end. Computed once per node. */
export function regionInfo(node: object): RegionInfo {
  let info = infos.get(node);
  if (!info) {
    info = { vars: new Set(), heap: [], calls: new Set(), hasAwait: false, exitsFunction: false, exitsLoop: false };
    scan(node, info, { loops: 0, breakables: 0, labels: [], inFunction: false });
    infos.set(node, info);
  }
  return info;
}

interface ScanCtx {
  /** Enclosing loops inside the region (targets of `continue`). */
  loops: number;
  /** Enclosing loops and switches inside the region (targets of `break`). */
  breakables: number;
  labels: string[];
  inFunction: boolean;
}

function pathOf(e: A.Expr): HeapPath | undefined {
  const steps: string[] = [];
  let cur: A.Expr = e;
  for (;;) {
    if (cur.t === 'Member') {
      steps.unshift(cur.prop);
      cur = cur.obj;
    } else if (cur.t === 'Index') {
      steps.unshift(cur.index.t === 'Lit' && cur.index.v !== null ? String(cur.index.v) : '*');
      cur = cur.obj;
    } else if (cur.t === 'Private' || cur.t === 'Chain') {
      cur = cur.t === 'Chain' ? cur.e : cur.obj;
    } else if (cur.t === 'Ident') return { root: cur.name, steps };
    else if (cur.t === 'This') return { root: 'this', steps };
    else return undefined;
  }
}

function patternWrites(p: A.Pattern | A.Expr, info: RegionInfo, ctx: ScanCtx): void {
  switch (p.t) {
    case 'Ident':
      info.vars.add(p.name);
      return;
    case 'ObjPat':
      for (const prop of p.props) {
        if (typeof prop.key !== 'string') scan(prop.key, info, ctx);
        patternWrites(prop.value, info, ctx);
      }
      if (p.rest) patternWrites(p.rest, info, ctx);
      return;
    case 'ArrPat':
      for (const el of p.elems) if (el) patternWrites(el, info, ctx);
      if (p.rest) patternWrites(p.rest, info, ctx);
      return;
    case 'Default':
      scan(p.value, info, ctx);
      patternWrites(p.target, info, ctx);
      return;
    case 'Member':
    case 'Index':
    case 'Private': {
      const path = pathOf(p.obj);
      if (path) info.heap.push(path);
      scan(p, info, ctx);
      return;
    }
    default:
      scan(p, info, ctx);
  }
}

function scan(node: unknown, info: RegionInfo, ctx: ScanCtx): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) scan(n, info, ctx);
    return;
  }
  const n = node as { t?: string } & Record<string, unknown>;
  switch (n.t) {
    case 'Assign': {
      const a = n as unknown as Extract<A.Expr, { t: 'Assign' }>;
      patternWrites(a.target, info, ctx);
      scan(a.value, info, ctx);
      return;
    }
    case 'Update': {
      const u = n as unknown as Extract<A.Expr, { t: 'Update' }>;
      patternWrites(u.target, info, ctx);
      return;
    }
    case 'Var': {
      // Declarations count too: a region that may leave early decides whether a later
      // declaration runs (and a `let` not yet initialised is observable).
      const v = n as unknown as Extract<A.Stmt, { t: 'Var' }>;
      for (const d of v.decls) {
        patternWrites(d.target, info, ctx);
        scan(d.init, info, ctx);
      }
      return;
    }
    case 'ClassDecl':
    case 'FnDecl':
      info.vars.add((n as unknown as { name: string }).name);
      for (const [k, v] of Object.entries(n)) if (k !== 't' && k !== 'p') scan(v, info, { loops: 0, breakables: 0, labels: [], inFunction: true });
      return;
    case 'ForOf':
    case 'ForIn': {
      const f = n as unknown as Extract<A.Stmt, { t: 'ForOf' }>;
      if (!f.kind || f.kind === 'var') patternWrites(f.target, info, ctx);
      scan(f.t === 'ForOf' ? f.iter : (n as unknown as Extract<A.Stmt, { t: 'ForIn' }>).obj, info, ctx);
      scan(f.body, info, { ...ctx, loops: ctx.loops + 1, breakables: ctx.breakables + 1 });
      return;
    }
    case 'While':
    case 'DoWhile':
    case 'For':
      for (const [k, v] of Object.entries(n)) if (k !== 't' && k !== 'p') scan(v, info, { ...ctx, loops: ctx.loops + 1, breakables: ctx.breakables + 1 });
      return;
    case 'Switch':
      for (const [k, v] of Object.entries(n)) if (k !== 't' && k !== 'p') scan(v, info, { ...ctx, breakables: ctx.breakables + 1 });
      return;
    case 'Labeled': {
      const l = n as unknown as Extract<A.Stmt, { t: 'Labeled' }>;
      scan(l.body, info, { ...ctx, labels: [...ctx.labels, l.label] });
      return;
    }
    case 'Break':
    case 'Continue': {
      const b = n as unknown as { label?: string };
      if (ctx.inFunction) return;
      if (b.label ? !ctx.labels.includes(b.label) : (n.t === 'Break' ? ctx.breakables : ctx.loops) === 0) {
        if (b.label) info.exitsFunction = true;
        else info.exitsLoop = true;
      }
      return;
    }
    case 'Return':
      if (!ctx.inFunction) info.exitsFunction = true;
      scan((n as { e?: unknown }).e, info, ctx);
      return;
    case 'Await':
      if (!ctx.inFunction) info.hasAwait = true;
      scan((n as { e?: unknown }).e, info, ctx);
      return;
    case 'Yield':
      // A generator may never be resumed after a yield: like leaving the function.
      if (!ctx.inFunction) info.exitsFunction = true;
      scan((n as { e?: unknown }).e, info, ctx);
      return;
    case 'Call': {
      const c = n as unknown as Extract<A.Expr, { t: 'Call' }>;
      const callee = c.callee.t === 'Chain' ? c.callee.e : c.callee;
      if (callee.t === 'Ident') info.calls.add(callee.name);
      else if (callee.t === 'Member' || callee.t === 'Index') {
        const path = pathOf(callee.obj);
        const method = callee.t === 'Member' ? callee.prop : '*';
        if (path && (MUTATORS.has(method) || method === '*' || !isPureBuiltinName(method))) info.heap.push({ ...path, steps: [...path.steps, `()${method}`] });
      }
      scan(c.callee, info, ctx);
      scan(c.args, info, ctx);
      return;
    }
    case 'Unary': {
      const u = n as unknown as Extract<A.Expr, { t: 'Unary' }>;
      if (u.op === 'delete' && (u.e.t === 'Member' || u.e.t === 'Index')) {
        const path = pathOf(u.e.obj);
        if (path) info.heap.push(path);
      }
      scan(u.e, info, ctx);
      return;
    }
    case 'Fn':
    case 'Class': {
      // A function defined here may be called here: its writes count, its exits do not.
      for (const [k, v] of Object.entries(n)) if (k !== 't' && k !== 'p') scan(v, info, { loops: 0, breakables: 0, labels: [], inFunction: true });
      return;
    }
    default:
      for (const [k, v] of Object.entries(n)) if (k !== 't' && k !== 'p') scan(v, info, ctx);
  }
}

/** Methods that never change their receiver (reads): calling one on a path writes nothing. */
const PURE = new Set([
  'map', 'filter', 'forEach', 'reduce', 'reduceRight', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every',
  'includes', 'indexOf', 'lastIndexOf', 'join', 'slice', 'concat', 'flat', 'flatMap', 'at', 'keys', 'values', 'entries',
  'toSorted', 'toReversed', 'with', 'get', 'has', 'toString', 'toFixed', 'toPrecision', 'toLocaleString', 'toUpperCase',
  'toLowerCase', 'trim', 'trimStart', 'trimEnd', 'split', 'replace', 'replaceAll', 'match', 'matchAll', 'search', 'startsWith',
  'endsWith', 'padStart', 'padEnd', 'repeat', 'charAt', 'charCodeAt', 'codePointAt', 'substring', 'substr', 'localeCompare',
  'normalize', 'getTime', 'toISOString', 'toJSON', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes',
  'getSeconds', 'getMilliseconds', 'getUTCFullYear', 'getUTCMonth', 'getUTCDate', 'getUTCDay', 'getUTCHours', 'getUTCMinutes',
  'getUTCSeconds', 'valueOf', 'then', 'catch', 'finally', 'hasOwnProperty', 'log', 'info', 'warn', 'error', 'debug',
]);

function isPureBuiltinName(name: string): boolean {
  return PURE.has(name);
}

/**
 * Labels, with `l`, every location the region `node` may write, before it runs. Functions it
 * calls by name are followed (in their own scopes), a few levels deep.
 */
export function upgradeRegion(rt: Runtime, node: object, env: Env, l: number): void {
  if (l === NONE) return;
  applyInfo(rt, regionInfo(node), env, l, selfOf(env), new Set(), 0);
}

/** The same for a function a built-in is about to call under `l` (a callback per element). */
export function upgradeCallee(rt: Runtime, fn: LV, l: number): void {
  if (l === NONE || !(fn.v instanceof GFunction)) return;
  upgradeFunction(rt, fn.v, l, undefined, new Set(), 0);
}

export function upgradeFunction(rt: Runtime, f: GFunction, l: number, self: LV | undefined, seen: Set<object> = new Set(), depth = 0): void {
  const target = f.bound ? f.bound.target : f;
  if (!target.code || !target.env || seen.has(target) || depth > 4) return;
  // Done already for these labels (a callback called once per element): what it writes through
  // its own scope was labelled then. A method is redone for each receiver.
  if (!self && target.upgraded !== undefined && rt.L.subset(l, target.upgraded)) return;
  if (!self) target.upgraded = rt.join(target.upgraded ?? NONE, l);
  seen.add(target);
  applyInfo(rt, regionInfo(target.code), target.env, l, self ?? (target.code.arrow ? selfOf(target.env) : undefined), seen, depth + 1);
}

function selfOf(env: Env): LV | undefined {
  for (let e: Env | null = env; e; e = e.parent) if (e.frame) return e.frame.self;
  return undefined;
}

function applyInfo(rt: Runtime, info: RegionInfo, env: Env, l: number, self: LV | undefined, seen: Set<object>, depth: number): void {
  for (const name of info.vars) {
    const b = findBinding(env, name);
    // A constant already initialised cannot change; one not yet initialised can (its declaration).
    if (b && (b.kind !== 'const' || !b.init) && b.kind !== 'global') b.l = rt.join(b.l, l);
  }
  for (const path of info.heap) {
    const root = path.root === 'this' ? self?.v : findBinding(env, path.root)?.v;
    if (!(root instanceof GObject)) continue;
    let current: GObject[] = [root];
    for (const step of path.steps) {
      if (step.startsWith('()')) {
        // A method called on the object: follow a program-defined method's own writes.
        const method = step.slice(2);
        for (const o of current) {
          const m = method === '*' ? undefined : findMethod(o, method);
          if (m instanceof GFunction) upgradeFunction(rt, m, l, new LV(o, NONE), seen, depth);
        }
        break;
      }
      const next: GObject[] = [];
      for (const o of current) {
        const values = step === '*' ? [...o.props.values(), ...(o instanceof GArray ? o.items : [])] : [o instanceof GArray && /^\d+$/.test(step) ? o.items[Number(step)] : o.props.get(step)];
        for (const v of values) if (v && v.v instanceof GObject) next.push(v.v);
      }
      if (next.length === 0) break;
      current = next;
    }
    for (const o of current) upgradeObject(rt, o, l);
  }
  for (const name of info.calls) {
    const f = findBinding(env, name)?.v;
    if (f instanceof GFunction) upgradeFunction(rt, f, l, undefined, seen, depth);
  }
}

function findMethod(o: GObject, name: string): unknown {
  for (let p: GObject | null = o; p; p = p.proto) {
    const found = p.props.get(name);
    if (found) return found.v;
  }
  return undefined;
}

function findBinding(env: Env, name: string) {
  for (let e: Env | null = env; e; e = e.parent) {
    const b = e.vars.get(name);
    if (b) return b;
  }
  return undefined;
}

/** Labels an object's shape and every slot (not what they point to). */
export function upgradeObject(rt: Runtime, o: GObject, l: number): void {
  if (o.frozen) return;
  o.shape = rt.join(o.shape, l);
  for (const [k, v] of o.props) o.props.set(k, new LV(v.v, rt.join(v.l, l)));
  if (o instanceof GArray) o.items = o.items.map((v) => new LV(v.v, rt.join(v.l, l)));
  if (o.privates) for (const [k, v] of o.privates) o.privates.set(k, new LV(v.v, rt.join(v.l, l)));
  rt.realm.upgradeInner(o, l);
}

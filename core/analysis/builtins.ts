/**
 * Models of built-ins: which arguments flow to the result, which callbacks run with what, and
 * which calls fold constants (so `"#gen".concat("eral")` is `#general`). Anything unmodelled
 * returns the join of its inputs and runs its callbacks with every input (sound default).
 * Timing sources (`Date.now()`, `new Date()`) carry every label the program's API calls can
 * return: a loop whose duration depends on a secret can be read back through the clock.
 */
import ts from 'typescript';
import { unionLabels, type Ctx, type Interp } from './context.ts';
import type { Args } from './calls.ts';
import { frozen, frozenLabels, writeInto } from './engine-throws.ts';
import { ANY_KEY, ELEM, SPREAD } from './state.ts';
import {
  BOTTOM, MAX_CONSTS, TOP_CLEAN, constant, join, opaque, withLabels, type AbsVal, type Const,
} from './value.ts';

const FORBIDDEN = new Set([
  'eval', 'Function', 'FunctionConstructor.', 'ObjectConstructor.defineProperty', 'ObjectConstructor.defineProperties',
  'ObjectConstructor.setPrototypeOf', 'ObjectConstructor.getPrototypeOf', 'ObjectConstructor.create',
  'ObjectConstructor.getOwnPropertyDescriptor', 'ObjectConstructor.getOwnPropertyDescriptors',
]);

const STRING_FOLD = new Set([
  'toUpperCase', 'toLowerCase', 'trim', 'trimStart', 'trimEnd', 'slice', 'substring', 'substr', 'concat', 'padStart',
  'padEnd', 'repeat', 'replace', 'replaceAll', 'charAt', 'at', 'toString', 'valueOf', 'startsWith', 'endsWith', 'includes',
  'indexOf', 'lastIndexOf', 'charCodeAt', 'codePointAt', 'normalize', 'toFixed', 'toPrecision',
]);
const GLOBAL_FOLD: Record<string, (...a: Const[]) => Const> = {
  String: (x) => String(x), Number: (x) => Number(x), Boolean: (x) => Boolean(x), parseInt: (x, r) => parseInt(String(x), r as number),
  parseFloat: (x) => parseFloat(String(x)), encodeURIComponent: (x) => encodeURIComponent(String(x)), encodeURI: (x) => encodeURI(String(x)),
  'StringConstructor.fromCharCode': (...c) => String.fromCharCode(...(c as number[])),
  'StringConstructor.fromCodePoint': (...c) => String.fromCodePoint(...(c as number[])),
  'JSON.stringify': (x) => JSON.stringify(x),
};

export function callBuiltin(it: Interp, call: ts.CallExpression, name: string, method: string | undefined, receiver: AbsVal, args: Args, ctx: Ctx): AbsVal {
  const st = it.state;
  const [owner, member] = name.includes('.') ? [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] : ['', name];
  const a = args.values;
  const pc = it.pcOf(ctx);
  if (FORBIDDEN.has(name) || owner === 'Reflect' || owner === 'ProxyConstructor') {
    it.unknown(call, `\`${name.replace('Constructor.', '.').replace(/\.$/, '')}\` is outside the analysed subset (code or prototypes the analysis cannot see)`);
    return opaque(allLabels(it, receiver, a));
  }
  if (a.some((x) => st.reachesApi(x))) it.unknown(call, 'a service object or operation is handed to a built-in, which the analysis cannot follow');
  // Built-ins throw on some inputs (JSON.parse, BigInt, repeat…): the error may carry them.
  st.joinCell(it.throwTarget(ctx), opaque(unionLabels(allLabels(it, receiver, a), pc)));

  const globalName = owner.endsWith('Constructor') && member === '' ? owner.slice(0, -'Constructor'.length) : name;
  const fold = GLOBAL_FOLD[globalName];
  if (fold) {
    if (globalName === 'JSON.stringify') return withLabels(foldCall(it, (xs) => fold(...xs), a.slice(0, 1), BOTTOM), jsonCallback(it, a, ctx, call, 'replacer'));
    return foldCall(it, (xs) => fold(...xs), a, BOTTOM);
  }
  if (owner === 'String' || owner === 'Number') {
    if (member === 'split') {
      const site = st.site(call, 'split');
      const parts = foldMethod(it, receiver, member, a);
      st.joinCell(st.heapCell(site, ELEM), parts.consts ? { ...parts, consts: new Set([...parts.consts].flatMap((p) => (Array.isArray(p) ? p : [p]))) } : parts);
      return withLabels({ ...BOTTOM, consts: null, objs: new Set([site]) }, parts.labels);
    }
    for (const x of a) if (x.fns.size) callback(it, x, [TOP_CLEAN, TOP_CLEAN], ctx, call, unionLabels(st.deepLabels(receiver), pc));
    return STRING_FOLD.has(member) ? foldMethod(it, receiver, member, a) : opaque(allLabels(it, receiver, a));
  }
  if (owner === 'Math') {
    if (member === 'random') return TOP_CLEAN;
    const f = (Math as unknown as Record<string, (...x: number[]) => number>)[member];
    return foldCall(it, (xs) => (typeof f === 'function' ? f(...(xs as number[])) : undefined), a, BOTTOM);
  }
  if (name === 'DateConstructor.now') return opaque(it.allSourceLabels.value.labels);
  if (owner === 'Array' || owner === 'ReadonlyArray' || owner.endsWith('Array')) return arrayMethod(it, call, member, receiver, a, ctx);
  if (owner === 'Map' || owner === 'Set' || owner === 'ReadonlyMap' || owner === 'ReadonlySet' || owner === 'WeakMap' || owner === 'WeakSet') {
    return collectionMethod(it, call, member, receiver, a, ctx);
  }
  if (owner === 'Promise') return promiseMethod(it, call, member, receiver, a, ctx);
  if (owner === 'PromiseConstructor') {
    if (member === 'all' || member === 'allSettled') {
      const site = st.site(call, 'all');
      st.joinCell(st.heapCell(site, ELEM), st.elementsOf(a[0] ?? BOTTOM));
      return withLabels({ ...BOTTOM, consts: null, objs: new Set([site]) }, st.shallowLabels(a[0] ?? BOTTOM));
    }
    if (member === 'race' || member === 'any') return st.elementsOf(a[0] ?? BOTTOM);
    if (member === 'resolve' || member === 'reject') return a[0] ?? constant(undefined);
  }
  if (owner === 'ObjectConstructor') {
    const x = a[0] ?? BOTTOM;
    switch (member) {
      case 'keys': case 'getOwnPropertyNames': return arrayOf(it, call, opaque(st.deepLabels(x)), x);
      case 'values': return arrayOf(it, call, join(st.readProp(x, ANY_KEY), st.elementsOf(x)), x);
      case 'entries': {
        const pair = arrayOf(it, call, join(opaque(st.deepLabels(x)), join(st.readProp(x, ANY_KEY), st.elementsOf(x))), x, 'pair');
        return arrayOf(it, call, pair, x);
      }
      case 'assign':
        writeInto(it, x, ctx);
        for (const src of a.slice(1)) st.writeProp(x, SPREAD, withLabels(src, pc));
        return x;
      case 'freeze': case 'seal': case 'preventExtensions':
        frozen(it, x, ctx);
        return x;
      case 'isFrozen': case 'isSealed': case 'isExtensible':
        return opaque(unionLabels(st.effLabels(x), frozenLabels(it, x)));
      case 'fromEntries': {
        const site = st.site(call, 'fromEntries');
        st.joinCell(st.heapCell(site, ANY_KEY), withLabels(st.elementsOf(st.elementsOf(x)), st.deepLabels(x)));
        return { ...BOTTOM, consts: null, objs: new Set([site]) };
      }
    }
  }
  if (name === 'ArrayConstructor.from' || name === 'ArrayConstructor.of') {
    let el = name.endsWith('from') ? st.elementsOf(a[0] ?? BOTTOM) : a.reduce(join, BOTTOM);
    if (name.endsWith('from') && a[1]) el = callback(it, a[1], [el, opaque(st.shallowLabels(a[0] ?? BOTTOM))], ctx, call, pc);
    return arrayOf(it, call, el, a[0] ?? BOTTOM);
  }
  if (name === 'JSON.parse') return freshObject(it, call, unionLabels(allLabels(it, BOTTOM, a), jsonCallback(it, a, ctx, call, 'reviver')));
  return generic(it, call, receiver, a, ctx);
}

/**
 * A value a built-in makes that may be an object (parsed JSON, an unmodelled method's result):
 * one abstract object per call site holding `labels` everywhere, so what the program later
 * writes into it (under a labelled branch, say) is kept and read back, not dropped.
 */
function freshObject(it: Interp, call: ts.Node, labels: ReadonlySet<string>, key = 'made'): AbsVal {
  const site = it.state.site(call, key);
  it.state.joinCell(it.state.heapCell(site, ANY_KEY), opaque(labels));
  it.state.joinCell(it.state.heapCell(site, ELEM), opaque(labels));
  return withLabels({ ...BOTTOM, consts: null, objs: new Set([site]) }, labels);
}

function allLabels(it: Interp, receiver: AbsVal, args: AbsVal[]): Set<string> {
  const out = it.state.deepLabels(receiver);
  for (const v of args) for (const l of it.state.deepLabels(v)) out.add(l);
  return out;
}

function isPrimitiveConsts(v: AbsVal): boolean {
  return v.consts !== null && v.objs.size === 0 && v.resp.size === 0 && v.fns.size === 0 && v.svcs.size === 0;
}

/** Applies `f` to every combination of constant arguments when all are known and few. */
function foldCall(it: Interp, f: (xs: Const[]) => unknown, args: AbsVal[], receiver: AbsVal): AbsVal {
  const labels = allLabels(it, receiver, args);
  if (!args.every(isPrimitiveConsts)) return opaque(labels);
  let combos: Const[][] = [[]];
  for (const v of args) {
    const next: Const[][] = [];
    for (const c of combos) for (const x of v.consts!) next.push([...c, x]);
    combos = next;
    if (combos.length > MAX_CONSTS) return opaque(labels);
  }
  const out = new Set<Const>();
  for (const c of combos) {
    try {
      const r = f(c);
      if (r !== null && typeof r === 'object') return opaque(labels);
      out.add(r as Const);
    } catch {
      return opaque(labels);
    }
  }
  return { ...opaque(labels), consts: out };
}

function foldMethod(it: Interp, receiver: AbsVal, method: string, args: AbsVal[]): AbsVal {
  if (!isPrimitiveConsts(receiver)) return opaque(allLabels(it, receiver, args));
  return foldCall(it, ([r, ...xs]) => {
    const box = Object(r) as Record<string, unknown>;
    const fn = box[method];
    if (typeof fn !== 'function') throw new Error('not foldable');
    return (fn as (...a: unknown[]) => unknown).apply(r, xs);
  }, [receiver, ...args], BOTTOM);
}

/** Runs a callback value (program functions, resolvers); returns what it returns. */
export function callback(it: Interp, fnVal: AbsVal, params: AbsVal[], ctx: Ctx, site: ts.Node, pc: ReadonlySet<string>): AbsVal {
  let out: AbsVal = BOTTOM;
  const inner: Ctx = { ...ctx, pc: unionLabels(ctx.pc, pc, it.state.effLabels(fnVal)) };
  for (const f of fnVal.fns) if (!ts.isClassLike(f)) out = join(out, it.invoke(f, params, BOTTOM, inner, site));
  for (const r of fnVal.res) {
    it.state.joinCell(it.state.nodeCell(r, 'result'), withLabels(params[0] ?? BOTTOM, unionLabels(pc, it.pcOf(ctx))));
  }
  if (!fnVal.fns.size && !fnVal.res.size && (fnVal.consts === null || fnVal.consts.size)) {
    // A built-in used as a callback (`arr.map(String)`): the join of its inputs.
    out = opaque(params.reduce((acc, p) => unionLabels(acc, it.state.deepLabels(p)), new Set<string>() as ReadonlySet<string>));
  }
  return out;
}

/**
 * A JSON.parse reviver or JSON.stringify replacer (`a[1]`), run on every key with what the text
 * or earlier calls made: which keys the result keeps depends on what it returns (undefined drops
 * the key), and an object a replacer returns is walked in turn (more calls, under the labels of
 * that return). The labels the result takes from it (and from the `space` argument).
 */
function jsonCallback(it: Interp, a: AbsVal[], ctx: Ctx, call: ts.Node, kind: 'reviver' | 'replacer'): ReadonlySet<string> {
  const st = it.state;
  const returned = st.nodeCell(call, kind);
  const options = unionLabels(...a.slice(1).map((x) => st.deepLabels(x)));
  if (!a[1]) return options;
  const walked = kind === 'replacer' ? st.effLabels(returned.value) : new Set<string>();
  const value = join(opaque(st.deepLabels(a[0] ?? BOTTOM)), returned.value);
  const r = callback(it, a[1], [TOP_CLEAN, value], ctx, call, unionLabels(it.pcOf(ctx), walked));
  st.joinCell(returned, r);
  return unionLabels(options, st.deepLabels(r));
}

/**
 * The callback of an early-exit method (some/every/find…): each call after the first runs only
 * if the earlier calls' results said so, so every call runs under the labels of those results
 * (a counter it bumps, a call it makes, tells how many ran).
 */
function earlyExit(it: Interp, cb: AbsVal, params: AbsVal[], ctx: Ctx, call: ts.Node, pc: ReadonlySet<string>): AbsVal {
  const decided = it.state.nodeCell(call, 'early-exit');
  const r = callback(it, cb, params, ctx, call, unionLabels(pc, decided.value.labels));
  it.state.joinCell(decided, opaque(it.state.effLabels(r)));
  return r;
}

/** Marks what a built-in returned as an iterator (iterating it advances it). */
function iterator(it: Interp, v: AbsVal): AbsVal {
  for (const s of v.objs) it.state.markIterator(s);
  return v;
}

function arrayOf(it: Interp, call: ts.Node, elements: AbsVal, source: AbsVal, key = 'array'): AbsVal {
  const site = it.state.site(call, key);
  it.state.joinCell(it.state.heapCell(site, ELEM), elements);
  return withLabels({ ...BOTTOM, consts: null, objs: new Set([site]) }, it.state.shallowLabels(source));
}

function arrayMethod(it: Interp, call: ts.CallExpression, m: string, receiver: AbsVal, a: AbsVal[], ctx: Ctx): AbsVal {
  const st = it.state;
  const pc = it.pcOf(ctx);
  const el = st.elementsOf(receiver);
  const count = opaque(st.shallowLabels(receiver));
  const cbPc = count.labels;
  const cb = a[0] ?? BOTTOM;
  switch (m) {
    case 'forEach':
      callback(it, cb, [el, count, receiver], ctx, call, cbPc);
      return constant(undefined);
    case 'map':
      return arrayOf(it, call, withLabels(callback(it, cb, [el, count, receiver], ctx, call, cbPc), pc), receiver);
    case 'flatMap': {
      const r = callback(it, cb, [el, count, receiver], ctx, call, cbPc);
      return arrayOf(it, call, withLabels(join(r, st.elementsOf(r)), pc), receiver);
    }
    case 'filter': case 'toSorted': case 'sort': case 'reverse': case 'toReversed': case 'slice': case 'splice':
    case 'toSpliced': case 'concat': case 'flat': case 'with': case 'fill': case 'copyWithin': {
      let r: AbsVal = BOTTOM;
      // Which pairs a sort compares next depends on what the comparator said so far.
      if (m === 'filter') r = callback(it, cb, [el, el, receiver], ctx, call, cbPc);
      if (m === 'sort' || m === 'toSorted') r = earlyExit(it, cb, [el, el, receiver], ctx, call, cbPc);
      let elems = join(el, opaque(st.deepLabels(r)));
      if (m === 'concat') for (const x of a) elems = join(elems, join(st.elementsOf(x), x));
      if (m === 'flat') elems = join(elems, st.elementsOf(el));
      if (m === 'with' || m === 'fill' || m === 'splice' || m === 'toSpliced') for (const x of a) elems = join(elems, x);
      elems = withLabels(elems, unionLabels(pc, ...a.map((x) => st.effLabels(x))));
      if (m === 'sort' || m === 'reverse' || m === 'fill' || m === 'splice' || m === 'copyWithin') {
        writeInto(it, receiver, ctx);
        st.writeProp(receiver, ELEM, elems);
        if (m !== 'splice') return receiver;
      }
      return arrayOf(it, call, elems, receiver);
    }
    case 'some': case 'every': case 'findIndex': case 'findLastIndex': {
      const r = earlyExit(it, cb, [el, count, receiver], ctx, call, cbPc);
      return opaque(unionLabels(allLabels(it, receiver, a), st.deepLabels(r)));
    }
    case 'find': case 'findLast': case 'at': case 'pop': case 'shift': {
      const r = m.startsWith('find') ? earlyExit(it, cb, [el, count, receiver], ctx, call, cbPc) : BOTTOM;
      if (m === 'pop' || m === 'shift') {
        writeInto(it, receiver, ctx);
        st.writeProp(receiver, ELEM, opaque(pc));
      }
      return join(withLabels(join(el, constant(undefined)), unionLabels(st.deepLabels(r), ...a.map((x) => st.effLabels(x)))), BOTTOM);
    }
    case 'reduce': case 'reduceRight': {
      const acc = st.nodeCell(call, 'acc');
      st.joinCell(acc, a.length > 1 ? a[1] : el);
      const r = callback(it, cb, [acc.value, el, count, receiver], ctx, call, cbPc);
      st.joinCell(acc, r);
      return withLabels(acc.value, count.labels);
    }
    case 'push': case 'unshift':
      writeInto(it, receiver, ctx);
      for (const x of a) st.writeProp(receiver, ELEM, withLabels(x, pc));
      return opaque(unionLabels(count.labels, pc));
    case 'values': case 'keys': case 'entries':
      return iterator(it, arrayOf(it, call, m === 'keys' ? count : join(el, count), receiver));
    default: {
      const r = cb.fns.size ? callback(it, cb, [el, count, receiver], ctx, call, cbPc) : BOTTOM;
      return opaque(unionLabels(allLabels(it, receiver, a), st.deepLabels(r)));
    }
  }
}

function collectionMethod(it: Interp, call: ts.CallExpression, m: string, receiver: AbsVal, a: AbsVal[], ctx: Ctx): AbsVal {
  const st = it.state;
  const pc = it.pcOf(ctx);
  const all = st.readProp(receiver, ANY_KEY);
  switch (m) {
    case 'set': case 'add':
      st.writeProp(receiver, ANY_KEY, withLabels(a.reduce(join, BOTTOM), pc));
      return receiver;
    case 'get':
      return withLabels(join(all, constant(undefined)), st.effLabels(a[0] ?? BOTTOM));
    case 'forEach':
      callback(it, a[0] ?? BOTTOM, [all, all, receiver], ctx, call, st.shallowLabels(receiver));
      return constant(undefined);
    case 'keys': case 'values': case 'entries':
      return iterator(it, arrayOf(it, call, withLabels(join(all, arrayOf(it, call, all, receiver, 'pair')), st.shallowLabels(receiver)), receiver));
    case 'delete': case 'clear':
      st.writeProp(receiver, ANY_KEY, opaque(pc));
      return opaque(allLabels(it, receiver, a));
    default:
      return opaque(allLabels(it, receiver, a));
  }
}

function promiseMethod(it: Interp, call: ts.CallExpression, m: string, receiver: AbsVal, a: AbsVal[], ctx: Ctx): AbsVal {
  const st = it.state;
  const rejected = opaque(st.deepLabels(receiver));
  // Whether a handler runs is decided by how the promise settles: for an API call, by what it
  // sent (its arguments' labels are the promise's own); a handler runs under them.
  const settled = receiver.labels;
  switch (m) {
    case 'then': {
      let out = a.length === 0 ? receiver : BOTTOM;
      if (a[0]) out = join(out, a[0].fns.size || a[0].res.size ? callback(it, a[0], [receiver], ctx, call, settled) : receiver);
      if (a[1]) out = join(out, callback(it, a[1], [rejected], ctx, call, settled));
      // The promise it makes settles (or not) as this one did.
      return withLabels(out, settled);
    }
    case 'catch':
      return withLabels(join(receiver, callback(it, a[0] ?? BOTTOM, [rejected], ctx, call, settled)), settled);
    case 'finally':
      callback(it, a[0] ?? BOTTOM, [], ctx, call, new Set());
      return receiver;
    default:
      return generic(it, call, receiver, a, ctx);
  }
}

/** An unmodelled built-in: the join of its inputs; callbacks run with every input. */
function generic(it: Interp, call: ts.CallExpression | ts.NewExpression, receiver: AbsVal, a: AbsVal[], ctx: Ctx): AbsVal {
  const st = it.state;
  const pc = it.pcOf(ctx);
  for (const x of a) if (st.reachesApi(x)) it.unknown(call, 'a service object or operation is handed to a built-in, which the analysis cannot follow');
  const labels = allLabels(it, receiver, a);
  const everything: AbsVal = { ...opaque(labels), res: new Set([call]) };
  let r: AbsVal = BOTTOM;
  // Whether it calls a callback again may depend on what the callback returned (an early exit).
  for (const x of a) if (x.fns.size || x.res.size) r = join(r, earlyExit(it, x, [everything, everything, everything, everything], ctx, call, labels));
  // An unknown method may store its arguments in its receiver (push-like) or send them into a
  // generator; with no arguments it may still change the receiver's state (a generator's
  // `next()` advances it), so what the receiver holds then depends on the branch that called it.
  if (a.length || pc.size) {
    const stored = opaque(unionLabels(allLabels(it, BOTTOM, a), pc));
    st.writeProp(receiver, ANY_KEY, stored);
    for (const s of receiver.objs) {
      const g = st.siteGenerator.get(s);
      if (g) st.joinCell(st.fn(g).send, withLabels(a.reduce(join, BOTTOM), pc));
    }
  }
  return join(freshObject(it, call, unionLabels(labels, st.deepLabels(r))), st.nodeCell(call, 'result').value);
}

export function newBuiltin(it: Interp, node: ts.NewExpression, name: string, args: Args, ctx: Ctx): AbsVal {
  const st = it.state;
  const a = args.values;
  const pc = it.pcOf(ctx);
  switch (name) {
    case 'Function': case 'Proxy':
      it.unknown(node, `\`new ${name}\` is outside the analysed subset`);
      return opaque(allLabels(it, BOTTOM, a));
    case 'Date': {
      // A Date is an object with state its setters change (`d.setFullYear(…)` under a labelled
      // branch shows in `d.toISOString()`); a Date of now carries the clock's labels.
      const site = st.site(node);
      const contents = a.length ? allLabels(it, BOTTOM, a) : it.allSourceLabels.value.labels;
      st.joinCell(st.heapCell(site, ANY_KEY), opaque(unionLabels(contents, pc)));
      return { ...BOTTOM, consts: null, objs: new Set([site]) };
    }
    case 'Promise': {
      const exec = a[0] ?? BOTTOM;
      const resolver: AbsVal = { ...BOTTOM, consts: null, res: new Set([node]) };
      callback(it, exec, [resolver, resolver], ctx, node, new Set());
      return st.nodeCell(node, 'result').value;
    }
    default: {
      const site = st.site(node);
      const self: AbsVal = { ...BOTTOM, consts: null, objs: new Set([site]) };
      let contents: AbsVal = BOTTOM;
      for (const x of a) contents = join(contents, join(opaque(st.deepLabels(x)), join(st.elementsOf(x), st.elementsOf(st.elementsOf(x)))));
      if (contents !== BOTTOM) st.joinCell(st.heapCell(site, name === 'Error' || name.endsWith('Error') ? 'message' : ANY_KEY), withLabels(contents, pc));
      for (const x of a) if (x.fns.size) callback(it, x, [TOP_CLEAN], ctx, node, pc);
      return self;
    }
  }
}

/**
 * Calls and `new`: API operations (sinks and sources), program functions (summaries through
 * `invoke`), resolver functions of built-in calls, built-ins (builtins.ts). A callee the
 * analysis cannot resolve is outside the subset.
 */
import ts from 'typescript';
import { unionLabels, type Ctx, type Interp } from './context.ts';
import { callBuiltin, newBuiltin } from './builtins.ts';
import { superCalled } from './engine-throws.ts';
import { readElement, readMember } from './expressions.ts';
import {
  BOTTOM, TOP_CLEAN, constant, join, opaque, single, withLabels, type AbsVal,
} from './value.ts';

export interface Args {
  values: AbsVal[];
  /** True when a spread makes positions unknown: every parameter may receive any argument. */
  spread: boolean;
}

export function evalArgs(it: Interp, args: readonly ts.Expression[] | undefined, ctx: Ctx): Args {
  const values: AbsVal[] = [];
  let spread = false;
  for (const a of args ?? []) {
    if (ts.isSpreadElement(a)) {
      spread = true;
      const v = it.ev(a.expression, ctx);
      it.state.iterated(v, it.pcOf(ctx));
      values.push(it.state.elementsOf(v));
    } else values.push(it.ev(a, ctx));
  }
  if (spread) {
    let all = BOTTOM;
    for (const v of values) all = join(all, v);
    return { values: values.map(() => all).concat([all, all, all, all]), spread };
  }
  return { values, spread };
}

function strip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

export function evalCall(it: Interp, call: ts.CallExpression, ctx: Ctx): AbsVal {
  const st = it.state;
  const callee = strip(call.expression);
  if (callee.kind === ts.SyntaxKind.ImportKeyword) {
    it.unknown(call, 'dynamic `import()` loads code the analysis cannot see');
    evalArgs(it, call.arguments, ctx);
    return TOP_CLEAN;
  }
  let receiver: AbsVal = BOTTOM;
  let fnVal: AbsVal;
  let method: string | undefined;
  if (callee.kind === ts.SyntaxKind.SuperKeyword) {
    const args = evalArgs(it, call.arguments, ctx);
    const cls = enclosingClass(call);
    const thisVal = cls ? st.fn(cls).thisCell.value : BOTTOM;
    // the constructor's own `this` is the instance's
    const ctor = enclosingFunction(call);
    const self = join(thisVal, ctor ? st.fn(ctor).thisCell.value : BOTTOM);
    for (const parent of parentClasses(it, cls, ctx)) instantiate(it, parent, args.values, self, ctx, call);
    superCalled(it, ctx);
    return constant(undefined);
  }
  if (ts.isPropertyAccessExpression(callee)) {
    receiver = it.ev(callee.expression, ctx);
    method = callee.name.text;
    fnVal = readMember(it, callee, receiver, method, BOTTOM);
  } else if (ts.isElementAccessExpression(callee)) {
    receiver = it.ev(callee.expression, ctx);
    const key = it.ev(callee.argumentExpression, ctx);
    const k = single(key);
    if (k && typeof k.value === 'string') method = k.value;
    fnVal = readElement(it, callee, receiver, key);
  } else {
    fnVal = it.ev(callee, ctx);
  }
  const args = evalArgs(it, call.arguments, ctx);
  const target = it.resolver.callTarget(call);
  const pc = it.pcOf(ctx);
  it.mayThrow(fnVal, ctx);
  it.mayThrow(receiver, ctx);
  // Which function runs may depend on labelled data: its body is control dependent on that.
  const callCtx: Ctx = { ...ctx, pc: unionLabels(ctx.pc, st.effLabels(fnVal)) };
  let result: AbsVal = BOTTOM;
  let handled = false;

  // API operations
  const ops = new Set(fnVal.ops);
  if (target.kind === 'operation') ops.add(target.op);
  if (ops.delete('#console') || target.kind === 'console') {
    handled = true;
    it.agentOutput(call, [...pc, ...args.values.flatMap((v) => [...it.state.deepLabels(v)])]);
    result = join(result, constant(undefined));
  }
  if (ops.size) {
    handled = true;
    result = join(result, apiCall(it, call, ops, args, fnVal, receiver, ctx));
  }

  // Function.prototype.call / apply / bind on program functions
  const viaFunctionMethod = method && receiver.fns.size && (method === 'call' || method === 'apply' || method === 'bind')
    && target.kind === 'builtin';
  const fns = new Set(fnVal.fns);
  if (target.kind === 'function') fns.add(target.node);
  for (const f of fns) {
    if (ts.isClassLike(f)) continue;
    handled = true;
    if (viaFunctionMethod) {
      const [thisArg = BOTTOM, ...rest] = args.values;
      if (method === 'apply') {
        const el = st.elementsOf(rest[0] ?? BOTTOM);
        result = join(result, it.invoke(f, [el, el, el, el, el, el, el, el], thisArg, callCtx, call));
      } else if (method === 'call') {
        result = join(result, it.invoke(f, rest, thisArg, callCtx, call));
      } else {
        // bind: analyse the eventual call with the bound arguments now; the bound function is `f`.
        it.invoke(f, rest, thisArg, callCtx, call);
        result = join(result, { ...BOTTOM, consts: null, fns: new Set([f]) });
      }
    } else {
      result = join(result, it.invoke(f, args.values, receiver, callCtx, call));
    }
  }

  // resolver functions handed out by built-ins (`new Promise((resolve) => …)`)
  for (const r of fnVal.res) {
    handled = true;
    const all = args.values.reduce((a, v) => unionLabels(a, st.deepLabels(v)), pc);
    st.joinCell(st.nodeCell(r, 'result'), join(withLabels(args.values[0] ?? BOTTOM, pc), opaque(all)));
    result = join(result, constant(undefined));
  }

  // A built-in reached through call/apply (`[].some.call(xs, f)`): the built-in itself on `xs`.
  const indirect = !handled && target.kind === 'builtin' && (method === 'call' || method === 'apply') && ts.isPropertyAccessExpression(callee)
    ? it.resolver.builtinFunction(callee.expression) : undefined;
  if (indirect) {
    handled = true;
    const [thisArg = BOTTOM, ...rest] = args.values;
    const el = method === 'apply' ? st.elementsOf(rest[0] ?? BOTTOM) : BOTTOM;
    const inner: Args = method === 'apply' ? { values: [el, el, el, el, el, el, el, el], spread: true } : { values: rest, spread: args.spread };
    const name = indirect.includes('.') ? indirect.slice(indirect.indexOf('.') + 1) : indirect;
    result = join(result, callBuiltin(it, call, indirect, name, thisArg, inner, ctx));
  }
  if (!handled && target.kind === 'builtin') {
    handled = true;
    result = join(result, callBuiltin(it, call, target.name, method, receiver, args, ctx));
  }
  if (!handled) {
    const isBottom = fnVal.consts !== null && fnVal.consts.size === 0 && fnVal.labels.size === 0 && fnVal.resp.size === 0 && fnVal.objs.size === 0;
    if (!isBottom) {
      it.unknown(call, 'a call whose callee cannot be resolved to a program function, a built-in or an API operation');
      let labels = st.deepLabels(fnVal);
      for (const v of args.values) labels = new Set([...labels, ...st.deepLabels(v)]);
      result = opaque(labels);
    }
  }
  return withLabels(result, st.effLabels(fnVal));
}

function apiCall(it: Interp, call: ts.CallExpression, ops: Set<string>, args: Args, fnVal: AbsVal, receiver: AbsVal, ctx: Ctx): AbsVal {
  const st = it.state;
  let argLabels: ReadonlySet<string> = new Set();
  for (const v of args.values) argLabels = unionLabels(argLabels, st.deepLabels(v));
  for (const v of args.values) if (st.reachesApi(v)) it.unknown(call, 'a service object or operation is passed to an API call');
  const control = new Set([...it.pcOf(ctx), ...st.effLabels(fnVal), ...st.effLabels(receiver)]);
  const labels = new Set([...control, ...argLabels]);
  it.sink({
    node: call,
    ops,
    labels,
    control,
    arg: args.values[0] ?? BOTTOM,
    ambiguous: ops.size > 1 ? `this call may be any of ${[...ops].join(', ')}` : undefined,
  });
  // Errors from the API can echo its arguments.
  st.joinCell(it.throwTarget(ctx), opaque(labels));
  const site = st.site(call, 'response');
  const resp = new Set<string>();
  const sources = new Set<string>();
  let stored: ReadonlySet<string> = new Set();
  for (const id of ops) {
    resp.add(st.respEntry(site, id, []));
    const op = it.catalog.operations.get(id);
    for (const l of op?.labels ?? []) sources.add(l);
    for (const f of op?.fieldLabels ?? []) for (const l of f.labels) sources.add(l);
    // What this call gives the service may come back from any later call to it.
    const store = st.serviceStore(op?.service ?? id.split('.')[0]);
    st.joinCell(store, opaque(labels));
    stored = unionLabels(stored, store.value.labels);
    // What earlier runs wrote where this call reads (labels at rest).
    if (op && it.atRest) stored = unionLabels(stored, new Set(it.atRest(op, constantArgs(st, op, args.values[0] ?? BOTTOM))));
  }
  st.joinCell(it.allSourceLabels, opaque(sources));
  return { ...BOTTOM, consts: null, resp, labels: unionLabels(argLabels, stored) };
}

/** The arguments of a call that are one known constant, by name. */
function constantArgs(st: Interp['state'], op: { params: { name: string }[] }, arg: AbsVal): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of op.params) {
    const c = single(st.readProp(arg, p.name));
    if (c) out[p.name] = c.value;
  }
  return out;
}

export function evalNew(it: Interp, node: ts.NewExpression, ctx: Ctx): AbsVal {
  const st = it.state;
  const callee = it.ev(node.expression, ctx);
  const args = evalArgs(it, node.arguments, ctx);
  const classes = [...callee.fns].filter((f) => ts.isClassLike(f));
  const functions = [...callee.fns].filter((f) => !ts.isClassLike(f));
  if (classes.length || functions.length) {
    const site = st.site(node);
    const self: AbsVal = { ...BOTTOM, consts: null, objs: new Set([site]) };
    const newCtx: Ctx = { ...ctx, pc: unionLabels(ctx.pc, st.effLabels(callee)) };
    for (const c of classes) instantiate(it, c as ts.ClassLikeDeclaration, args.values, self, newCtx, node);
    if (functions.length) it.unknown(node, '`new` on a plain function (constructor functions are outside the subset)');
    return withLabels(self, st.effLabels(callee));
  }
  const target = it.resolver.callTarget(node);
  if (target.kind === 'builtin' && ts.isIdentifier(node.expression)) {
    return newBuiltin(it, node, node.expression.text, args, ctx);
  }
  const isBottom = callee.consts !== null && callee.consts.size === 0 && callee.objs.size === 0;
  if (!isBottom) it.unknown(node, '`new` on a value the analysis cannot resolve');
  return TOP_CLEAN;
}

/** Runs a class's field initializers and constructor (or its parent's) on `self`. */
export function instantiate(it: Interp, c: ts.ClassLikeDeclaration, args: AbsVal[], self: AbsVal, ctx: Ctx, site: ts.Node): void {
  // The class node stands for its field initializers.
  it.invoke(c, [], self, ctx, site);
  const ctor = c.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  if (ctor) it.invoke(ctor, args, self, ctx, site);
  else for (const parent of parentClasses(it, c, ctx)) instantiate(it, parent, args, self, ctx, site);
}

function parentClasses(it: Interp, c: ts.ClassLikeDeclaration | undefined, ctx: Ctx): ts.ClassLikeDeclaration[] {
  const clause = c?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const expr = clause?.types[0]?.expression;
  if (!expr) return [];
  const v = it.ev(expr, ctx);
  const out = [...v.fns].filter((f): f is ts.ClassLikeDeclaration => ts.isClassLike(f));
  if (!out.length && (v.consts === null || v.consts.size)) it.unknown(expr, 'a class extends something the analysis cannot resolve (e.g. a built-in)');
  return out;
}

function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isClassLike(p)) return p;
  return undefined;
}

function enclosingFunction(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p) && !ts.isArrowFunction(p)) return p;
  return undefined;
}

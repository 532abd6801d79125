/**
 * Expressions. One visitor dispatching by node kind; every value it returns carries its labels.
 * Decisions (`&&`, `||`, `??`, `?:`, `?.`, defaults) open a region (control.ts) for the code they
 * decide, and their result carries the decision's labels.
 */
import type * as A from '../../lower/ast.ts';
import { callFunction, construct, instanceOf, makeClass, makeClosure, superCall, superProp, thisOf } from './calls.ts';
import { binary, guard, toKey, toNum, toStr, truthy, unary } from './coerce.ts';
import { beforeAwait, enter, leave, widen, type Gen, type Region } from './control.ts';
import { assignVar, readVar } from './env.ts';
import { iterate } from './iterate.ts';
import { NONE } from './labels.ts';
import { bindPattern } from './patterns.ts';
import { deleteProp, getProp, hasProp, ownEntries, pushItem, setProp } from './props.ts';
import type { Runtime } from './runtime.ts';
import { Env, GArray, GObject, GPromise, LV, UNDEF } from './values.ts';

/** An optional chain found `null`/`undefined`: the whole chain is `undefined`, labelled with that finding. */
class ShortCircuit {
  readonly l: number;
  constructor(l: number) {
    this.l = l;
  }
}

/** The region of an optional chain: opened by the first `?.` that goes on. */
interface ChainCtx {
  node: A.Expr;
  region?: Region;
}

function nullish(v: LV): boolean {
  return v.v === undefined || v.v === null;
}

function passOptional(rt: Runtime, chain: ChainCtx | undefined, base: LV, env: Env): void {
  // The rest of the chain runs or not because of `base`: labelled ahead either way.
  if (chain) {
    if (!chain.region) chain.region = enter(rt, base.l, chain.node, env);
    else widen(rt, chain.region, base.l, env);
  }
  if (nullish(base)) throw new ShortCircuit(base.l);
}

export function* ev(rt: Runtime, e: A.Expr, env: Env, chain?: ChainCtx): Gen<LV> {
  rt.tick();
  rt.at = e.p;
  switch (e.t) {
    case 'Lit':
      return new LV(e.v, NONE);
    case 'BigInt':
      return new LV(BigInt(e.v), NONE);
    case 'Regex':
      return new LV(guard(rt, NONE, () => rt.realm.makeRegExp(e.pattern, e.flags, rt.pc)), NONE);
    case 'Tpl': {
      let text = e.quasis[0];
      let l = NONE;
      for (let i = 0; i < e.exprs.length; i++) {
        const part = toStr(rt, yield* ev(rt, e.exprs[i], env));
        l = rt.join(l, part.l);
        const so_far = text;
        text = guard(rt, l, () => so_far + (part.v as string) + e.quasis[i + 1]);
        if (text.length > rt.realm.maxString) rt.throwError('RangeError', 'string too long', l);
      }
      return new LV(text, l);
    }
    case 'Ident':
      return readVar(rt, env, e.name);
    case 'This':
      return thisOf(rt, env);
    case 'Arr': {
      const arr = rt.realm.makeArray([], rt.pc);
      for (const el of e.elems) {
        if (el === null) pushItem(rt, arr, UNDEF, rt.pc);
        else if (el.t === 'Spread') {
          const it = iterate(rt, yield* ev(rt, el.e, env));
          for (let step = it.next(); !step.done; step = it.next()) {
            arr.shape = rt.join(arr.shape, step.l);
            pushItem(rt, arr, step.value, rt.pc);
          }
        } else pushItem(rt, arr, yield* ev(rt, el, env), rt.pc);
      }
      return new LV(arr, NONE);
    }
    case 'Obj':
      return yield* objectLiteral(rt, e, env);
    case 'Fn':
      return new LV(makeClosure(rt, e.fn, env), NONE);
    case 'Class':
      return new LV(yield* makeClass(rt, e.cls, env), NONE);
    case 'Unary': {
      if (e.op === 'delete') {
        const target = e.e as Extract<A.Expr, { t: 'Member' | 'Index' }>;
        const obj = yield* ev(rt, target.obj, env);
        const key = target.t === 'Member' ? new LV(target.prop, NONE) : toKey(rt, yield* ev(rt, target.index, env));
        return deleteProp(rt, obj, key.v as string, key.l);
      }
      return unary(rt, e.op, yield* ev(rt, e.e, env));
    }
    case 'Update':
      return yield* update(rt, e, env);
    case 'Bin': {
      const l = yield* ev(rt, e.l, env);
      const r = yield* ev(rt, e.r, env);
      if (e.op === 'in') {
        const key = toKey(rt, l);
        return hasProp(rt, r, key.v as string, key.l);
      }
      if (e.op === 'instanceof') return instanceOf(rt, l, r);
      return binary(rt, e.op, l, r);
    }
    case 'Logical': {
      const l = yield* ev(rt, e.l, env);
      const stop = e.op === '&&' ? !truthy(l) : e.op === '||' ? truthy(l) : !nullish(l);
      // Entered either way: what the right side would write carries the decision even when it does not run.
      const region = enter(rt, l.l, e.r, env);
      if (stop) {
        leave(rt, region);
        return l;
      }
      const r = yield* ev(rt, e.r, env);
      leave(rt, region);
      return new LV(r.v, rt.join(r.l, l.l));
    }
    case 'Assign':
      return yield* assign(rt, e, env);
    case 'Cond': {
      const t = yield* ev(rt, e.test, env);
      const region = enter(rt, t.l, e, env);
      const v = yield* ev(rt, truthy(t) ? e.then : e.else, env);
      leave(rt, region);
      return new LV(v.v, rt.join(v.l, t.l));
    }
    case 'Call':
      return yield* evCall(rt, e, env, false, chain);
    case 'SuperCall': {
      const args = yield* evArgs(rt, e.args, env);
      const saved = rt.pc;
      rt.raise(args.decided ?? NONE);
      try {
        return superCall(rt, env, args);
      } finally {
        rt.restore(saved);
      }
    }
    case 'New': {
      const callee = yield* ev(rt, e.callee, env);
      const args = yield* evArgs(rt, e.args, env);
      return construct(rt, args.decided ? new LV(callee.v, rt.join(callee.l, args.decided)) : callee, args, e.p);
    }
    case 'Member': {
      const obj = yield* ev(rt, e.obj, env, chain);
      if (e.optional) passOptional(rt, chain, obj, env);
      return getProp(rt, obj, e.prop, NONE);
    }
    case 'Index': {
      const obj = yield* ev(rt, e.obj, env, chain);
      if (e.optional) passOptional(rt, chain, obj, env);
      const key = toKey(rt, yield* ev(rt, e.index, env));
      return getProp(rt, obj, key.v as string, key.l);
    }
    case 'SuperMember':
      return superProp(rt, env, e.prop);
    case 'Private': {
      const obj = yield* ev(rt, e.obj, env);
      return rt.realm.getPrivate(obj, e.name);
    }
    case 'Chain': {
      const ctx: ChainCtx = { node: e };
      try {
        return yield* ev(rt, e.e, env, ctx);
      } catch (error) {
        if (error instanceof ShortCircuit) return new LV(undefined, error.l);
        throw error;
      } finally {
        if (ctx.region) leave(rt, ctx.region);
      }
    }
    case 'Await': {
      const inner = e.e.t === 'Call' ? yield* evCall(rt, e.e, env, true) : yield* ev(rt, e.e, env);
      const p = inner.v;
      if (p instanceof GPromise) {
        const decided = p.state !== 'pending' ? p.settle : p.control;
        if (decided !== undefined) beforeAwait(rt, rt.join(decided, inner.l), env);
      }
      return yield { kind: 'await', value: inner, direct: e.e.t === 'Call' };
    }
    case 'Yield': {
      if (e.delegate) {
        const it = iterate(rt, yield* ev(rt, e.e!, env));
        for (let step = it.next(); ; step = it.next()) {
          rt.raise(step.l);
          // A delegated generator's own return value is the value of `yield*`.
          if (step.done) return step.value;
          yield { kind: 'yield', value: step.value };
        }
      }
      const value = e.e ? yield* ev(rt, e.e, env) : UNDEF;
      return yield { kind: 'yield', value: rt.written(value) };
    }
    case 'Seq': {
      let last: LV = UNDEF;
      for (const x of e.es) last = yield* ev(rt, x, env);
      return last;
    }
  }
}

/** Arguments, and the labels that decided how many there are (spreads). */
export function* evArgs(rt: Runtime, args: (A.Expr | A.Spread)[], env: Env): Gen<LV[] & { decided?: number }> {
  const out: LV[] & { decided?: number } = [];
  for (const a of args) {
    if (a.t === 'Spread') {
      const it = iterate(rt, yield* ev(rt, a.e, env));
      for (let step = it.next(); ; step = it.next()) {
        out.decided = rt.join(out.decided ?? NONE, step.l);
        if (step.done) break;
        out.push(step.value);
      }
    } else out.push(yield* ev(rt, a, env));
  }
  return out;
}

export function* evCall(rt: Runtime, e: Extract<A.Expr, { t: 'Call' }>, env: Env, direct: boolean, chain?: ChainCtx): Gen<LV> {
  let fn: LV;
  let self: LV = UNDEF;
  const callee = e.callee;
  if (callee.t === 'Member' || callee.t === 'Index') {
    const obj = yield* ev(rt, callee.obj, env, chain);
    if (callee.optional) passOptional(rt, chain, obj, env);
    const key = callee.t === 'Member' ? new LV(callee.prop, NONE) : toKey(rt, yield* ev(rt, callee.index, env));
    fn = getProp(rt, obj, key.v as string, key.l);
    self = obj;
  } else if (callee.t === 'SuperMember') {
    fn = superProp(rt, env, callee.prop);
    self = thisOf(rt, env);
  } else if (callee.t === 'Private') {
    self = yield* ev(rt, callee.obj, env);
    fn = rt.realm.getPrivate(self, callee.name);
  } else fn = yield* ev(rt, callee, env, chain);
  if (e.optional) passOptional(rt, chain, fn, env);
  const args = yield* evArgs(rt, e.args, env);
  // How many arguments a spread gave decides what the callee does: like which function runs.
  if (args.decided) fn = new LV(fn.v, rt.join(fn.l, args.decided));
  return callFunction(rt, fn, self, args, { direct, p: e.p });
}

function* objectLiteral(rt: Runtime, e: Extract<A.Expr, { t: 'Obj' }>, env: Env): Gen<LV> {
  const obj = rt.realm.makeObject(rt.pc);
  const ref = new LV(obj, NONE);
  for (const prop of e.props) {
    if (prop.kind === 'spread') {
      const src = yield* ev(rt, prop.e, env);
      if (src.v instanceof GObject) {
        // Which keys the copy gets is the source's shape.
        const keyL = rt.join(src.l, src.v.shape);
        for (const [k, v] of ownEntries(rt, src.v)) setProp(rt, ref, k, keyL, v);
      } else if (typeof src.v === 'string') {
        [...src.v].forEach((ch, i) => setProp(rt, ref, String(i), src.l, new LV(ch, src.l)));
      }
      continue;
    }
    const key = typeof prop.key === 'string' ? new LV(prop.key, NONE) : toKey(rt, yield* ev(rt, prop.key, env));
    const value = prop.kind === 'init' ? yield* ev(rt, prop.value, env) : new LV(makeClosure(rt, prop.fn, env, obj), NONE);
    if (prop.kind === 'init' && (prop.value.t === 'Fn' || prop.value.t === 'Class') && value.v instanceof GObject) rt.realm.nameFunction(value.v, key.v as string);
    setProp(rt, ref, key.v as string, key.l, value);
  }
  return ref;
}

/** A reference: where an assignment writes. */
type Ref =
  | { kind: 'var'; name: string }
  | { kind: 'prop'; obj: LV; key: LV }
  | { kind: 'private'; obj: LV; name: string };

function* reference(rt: Runtime, target: A.Expr | A.Pattern, env: Env): Gen<Ref> {
  if (target.t === 'Ident') return { kind: 'var', name: target.name };
  if (target.t === 'Member') return { kind: 'prop', obj: yield* ev(rt, target.obj, env), key: new LV(target.prop, NONE) };
  if (target.t === 'Index') {
    const obj = yield* ev(rt, target.obj, env);
    return { kind: 'prop', obj, key: toKey(rt, yield* ev(rt, target.index, env)) };
  }
  if (target.t === 'Private') return { kind: 'private', obj: yield* ev(rt, target.obj, env), name: target.name };
  return rt.halt('error', 'internal', `cannot assign to a ${target.t}`);
}

function readRef(rt: Runtime, ref: Ref, env: Env): LV {
  if (ref.kind === 'var') return readVar(rt, env, ref.name);
  if (ref.kind === 'private') return rt.realm.getPrivate(ref.obj, ref.name);
  return getProp(rt, ref.obj, ref.key.v as string, ref.key.l);
}

function writeRef(rt: Runtime, ref: Ref, env: Env, value: LV): void {
  if (ref.kind === 'var') assignVar(rt, env, ref.name, value);
  else if (ref.kind === 'private') rt.realm.setPrivate(ref.obj, ref.name, value);
  else setProp(rt, ref.obj, ref.key.v as string, ref.key.l, value);
}

function* assign(rt: Runtime, e: Extract<A.Expr, { t: 'Assign' }>, env: Env): Gen<LV> {
  const target = e.target;
  if (e.op === '=' && (target.t === 'ObjPat' || target.t === 'ArrPat')) {
    const value = yield* ev(rt, e.value, env);
    yield* bindPattern(rt, target, value, env, 'assign');
    return value;
  }
  const ref = yield* reference(rt, target, env);
  if (e.op === '=') {
    const value = yield* ev(rt, e.value, env);
    if ((e.value.t === 'Fn' || e.value.t === 'Class') && ref.kind === 'var' && value.v instanceof GObject) rt.realm.nameFunction(value.v, ref.name);
    writeRef(rt, ref, env, value);
    return value;
  }
  const current = readRef(rt, ref, env);
  if (e.op === '&&=' || e.op === '||=' || e.op === '??=') {
    const stop = e.op === '&&=' ? !truthy(current) : e.op === '||=' ? truthy(current) : !nullish(current);
    const region = enter(rt, current.l, e, env);
    if (stop) {
      leave(rt, region);
      return current;
    }
    const value = yield* ev(rt, e.value, env);
    writeRef(rt, ref, env, value);
    leave(rt, region);
    return new LV(value.v, rt.join(value.l, current.l));
  }
  const value = binary(rt, e.op.slice(0, -1), current, yield* ev(rt, e.value, env));
  writeRef(rt, ref, env, value);
  return value;
}

function* update(rt: Runtime, e: Extract<A.Expr, { t: 'Update' }>, env: Env): Gen<LV> {
  const ref = yield* reference(rt, e.target, env);
  const current = readRef(rt, ref, env);
  const old = typeof current.v === 'bigint' ? current : toNum(rt, current);
  const one = new LV(typeof old.v === 'bigint' ? 1n : 1, NONE);
  const next = binary(rt, e.op === '++' ? '+' : '-', old, one);
  writeRef(rt, ref, env, next);
  return e.prefix ? next : old;
}

export { GArray };

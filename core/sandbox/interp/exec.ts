/**
 * Statements. Branches, loops and switches are regions (control.ts); `try` is where the rule on
 * exceptions lives: a handler may catch only a throw whose deciding labels its own pc already
 * carries. Anything else would let a branch not taken (no throw) be told apart from a branch taken
 * (a throw caught), so the run stops instead.
 */
import type * as A from '../../lower/ast.ts';
import { makeClass, makeClosure } from './calls.ts';
import { toKey, truthy } from './coerce.ts';
import { enter, leave, widen, type Completion, type Gen, type Region } from './control.ts';
import { declare, initialise, patternNames } from './env.ts';
import { ev } from './eval.ts';
import { iterate } from './iterate.ts';
import { NONE } from './labels.ts';
import { bindPattern } from './patterns.ts';
import { ownKeys } from './props.ts';
import type { Runtime } from './runtime.ts';
import { Env, GObject, GuestThrow, LV } from './values.ts';
import { binary } from './coerce.ts';

/** Creates the bindings a statement list declares in its own scope (let/const/class in TDZ, functions ready). */
export function hoistBlock(rt: Runtime, body: A.Stmt[], env: Env): void {
  for (const s of body) {
    if (s.t === 'Var' && s.kind !== 'var') for (const d of s.decls) for (const n of patternNames(d.target)) declare(rt, env, n, s.kind);
    else if (s.t === 'ClassDecl') declare(rt, env, s.name, 'class');
  }
  for (const s of body) {
    if (s.t === 'FnDecl') declare(rt, env, s.name, 'fn', new LV(makeClosure(rt, s.fn, env), NONE));
  }
}

export function* execBlock(rt: Runtime, body: A.Stmt[], env: Env): Gen<Completion> {
  for (const s of body) {
    const c = yield* exec(rt, s, env);
    if (c) return c;
  }
  return undefined;
}

function* scoped(rt: Runtime, body: A.Stmt[], env: Env): Gen<Completion> {
  const inner = new Env(env);
  hoistBlock(rt, body, inner);
  return yield* execBlock(rt, body, inner);
}

export function* exec(rt: Runtime, s: A.Stmt, env: Env, label?: string): Gen<Completion> {
  rt.tick();
  rt.at = s.p;
  switch (s.t) {
    case 'Var':
      for (const d of s.decls) {
        const value = d.init ? yield* ev(rt, d.init, env) : new LV(undefined, NONE);
        if (d.init && (d.init.t === 'Fn' || d.init.t === 'Class') && d.target.t === 'Ident' && value.v instanceof GObject) rt.realm.nameFunction(value.v, d.target.name);
        if (!d.init && s.kind === 'var') continue;
        yield* bindPattern(rt, d.target, value, env, s.kind === 'var' ? 'assign' : 'init');
      }
      return undefined;
    case 'FnDecl':
    case 'Empty':
      return undefined;
    case 'ClassDecl':
      initialise(rt, env, s.name, new LV(yield* makeClass(rt, s.cls, env), NONE));
      return undefined;
    case 'Expr':
      yield* ev(rt, s.e, env);
      return undefined;
    case 'If': {
      const test = yield* ev(rt, s.test, env);
      const region = enter(rt, test.l, s, env);
      const branch = truthy(test) ? s.then : s.else;
      const c = branch ? yield* exec(rt, branch, env) : undefined;
      leave(rt, region);
      return labelled(rt, c);
    }
    case 'Block':
      return yield* scoped(rt, s.body, env);
    case 'Return': {
      const value = s.e ? yield* ev(rt, s.e, env) : new LV(undefined, NONE);
      return { type: 'return', value: rt.written(value) };
    }
    case 'Throw': {
      const value = yield* ev(rt, s.e, env);
      throw new GuestThrow(rt.written(value), rt.pc, s.p);
    }
    case 'Break':
      return { type: 'break', label: s.label };
    case 'Continue':
      return { type: 'continue', label: s.label };
    case 'While':
    case 'DoWhile':
    case 'For':
      return yield* loop(rt, s, env, label);
    case 'ForOf':
    case 'ForIn':
      return yield* forEach(rt, s, env, label);
    case 'Switch':
      return yield* switchStmt(rt, s, env, label);
    case 'Try':
      return yield* tryStmt(rt, s, env);
    case 'Labeled': {
      const c = yield* exec(rt, s.body, env, s.label);
      return c && c.type === 'break' && c.label === s.label ? undefined : c;
    }
  }
}

/** A completion that leaves with a value carries the pc it left under. */
function labelled(rt: Runtime, c: Completion): Completion {
  if (c && c.type === 'return' && rt.pc !== NONE) return { type: 'return', value: rt.written(c.value) };
  return c;
}

/** Whether a loop body's completion ends the loop; `undefined` when it goes on. */
function loopControl(c: Completion, label: string | undefined): { exit: boolean; completion: Completion } | undefined {
  if (!c) return undefined;
  if (c.type === 'continue' && (!c.label || c.label === label)) return undefined;
  if (c.type === 'break' && (!c.label || c.label === label)) return { exit: true, completion: undefined };
  return { exit: true, completion: c };
}

function* loop(rt: Runtime, s: Extract<A.Stmt, { t: 'While' | 'DoWhile' | 'For' }>, env: Env, label?: string): Gen<Completion> {
  let scope = env;
  let perIteration: string[] = [];
  if (s.t === 'For' && s.init) {
    scope = new Env(env);
    if (s.init.t === 'Var' && s.init.kind !== 'var') {
      perIteration = s.init.decls.flatMap((d) => patternNames(d.target));
      hoistBlock(rt, [s.init], scope);
    }
    yield* exec(rt, s.init, scope);
  }
  const region: Region = enter(rt, NONE, s, env);
  rt.frame.loops.push(NONE);
  rt.frame.loopNodes.push(s);
  try {
    for (;;) {
      if (s.t !== 'DoWhile' && s.test) {
        const test = yield* ev(rt, s.test, scope);
        widen(rt, region, test.l, scope);
        if (!truthy(test)) break;
      }
      const body = yield* exec(rt, s.body, scope);
      const control = loopControl(body, label);
      if (control?.exit) return labelled(rt, control.completion);
      if (s.t === 'DoWhile') {
        const test = yield* ev(rt, s.test, scope);
        widen(rt, region, test.l, scope);
        if (!truthy(test)) break;
      }
      if (s.t === 'For') {
        if (perIteration.length) scope = copyIteration(scope, env, perIteration);
        if (s.update) yield* ev(rt, s.update, scope);
      }
    }
    return undefined;
  } finally {
    rt.frame.loops.pop();
    rt.frame.loopNodes.pop();
    leave(rt, region);
  }
}

/** `for (let i…)` gets a fresh binding per iteration (closures see their own `i`). */
function copyIteration(scope: Env, parent: Env, names: string[]): Env {
  const next = new Env(parent);
  for (const n of names) {
    const b = scope.vars.get(n);
    if (b) next.vars.set(n, Object.assign(Object.create(Object.getPrototypeOf(b)), b));
  }
  return next;
}

function* forEach(rt: Runtime, s: Extract<A.Stmt, { t: 'ForOf' | 'ForIn' }>, env: Env, label?: string): Gen<Completion> {
  const source = yield* ev(rt, s.t === 'ForOf' ? s.iter : s.obj, env);
  const region: Region = enter(rt, NONE, s, env);
  rt.frame.loops.push(NONE);
  rt.frame.loopNodes.push(s);
  try {
    let it: ReturnType<typeof iterate>;
    if (s.t === 'ForOf') it = iterate(rt, source);
    else {
      // for-in: the object's own keys (no inherited keys: Flowgate objects inherit methods only).
      const o = source.v;
      const keys = o instanceof GObject ? ownKeys(o) : [];
      const l = rt.join(source.l, o instanceof GObject ? o.shape : NONE);
      let i = 0;
      it = { next: () => (i < keys.length ? { done: false, value: new LV(keys[i++], l), l } : { done: true, value: new LV(undefined, l), l }), close: () => {} };
    }
    for (;;) {
      const step = it.next();
      widen(rt, region, step.l, env);
      if (step.done) break;
      const scope = new Env(env);
      if (s.kind && s.kind !== 'var') for (const n of patternNames(s.target)) declare(rt, scope, n, s.kind);
      yield* bindPattern(rt, s.target, step.value, scope, s.kind && s.kind !== 'var' ? 'init' : 'assign');
      const body = yield* exec(rt, s.body, scope);
      const control = loopControl(body, label);
      if (control?.exit) {
        it.close();
        return labelled(rt, control.completion);
      }
    }
    return undefined;
  } finally {
    rt.frame.loops.pop();
    rt.frame.loopNodes.pop();
    leave(rt, region);
  }
}

function* switchStmt(rt: Runtime, s: Extract<A.Stmt, { t: 'Switch' }>, env: Env, label?: string): Gen<Completion> {
  const disc = yield* ev(rt, s.disc, env);
  const scope = new Env(env);
  hoistBlock(rt, s.cases.flatMap((c) => c.body), scope);
  const region: Region = enter(rt, disc.l, s, scope);
  rt.frame.loops.push(NONE);
  rt.frame.loopNodes.push(s);
  try {
    let matched = -1;
    for (let i = 0; i < s.cases.length && matched < 0; i++) {
      const test = s.cases[i].test;
      if (!test) continue;
      const t = binary(rt, '===', disc, yield* ev(rt, test, scope));
      widen(rt, region, t.l, scope);
      if (t.v) matched = i;
    }
    if (matched < 0) matched = s.cases.findIndex((c) => !c.test);
    if (matched < 0) return undefined;
    for (let i = matched; i < s.cases.length; i++) {
      const c = yield* execBlock(rt, s.cases[i].body, scope);
      if (c) {
        if (c.type === 'break' && (!c.label || c.label === label)) return undefined;
        return labelled(rt, c);
      }
    }
    return undefined;
  } finally {
    rt.frame.loops.pop();
    rt.frame.loopNodes.pop();
    leave(rt, region);
  }
}

function* tryStmt(rt: Runtime, s: Extract<A.Stmt, { t: 'Try' }>, env: Env): Gen<Completion> {
  const pcAtTry = rt.pc;
  const frame = rt.frame;
  const loopsAtTry = frame.loops.length;
  let completion: Completion;
  let pending: GuestThrow | undefined;
  try {
    completion = yield* scoped(rt, s.block, env);
  } catch (error) {
    if (!(error instanceof GuestThrow)) throw error;
    pending = error;
  }
  if (pending && s.handler) {
    mayCatch(rt, pending, pcAtTry);
    rt.frame.loops.length = loopsAtTry;
    rt.frame.loopNodes.length = loopsAtTry;
    rt.restore(pcAtTry);
    const thrown = pending;
    pending = undefined;
    try {
      const scope = new Env(env);
      if (s.param) {
        for (const n of patternNames(s.param)) declare(rt, scope, n, 'let');
        yield* bindPattern(rt, s.param, thrown.value, scope, 'init');
      }
      hoistBlock(rt, s.handler, scope);
      completion = yield* execBlock(rt, s.handler, scope);
    } catch (error) {
      if (!(error instanceof GuestThrow)) throw error;
      pending = error;
    }
  }
  if (s.finalizer) {
    const savedPc = rt.pc;
    rt.frame.loops.length = loopsAtTry;
    rt.frame.loopNodes.length = loopsAtTry;
    rt.restore(pcAtTry);
    const fin = yield* scoped(rt, s.finalizer, env);
    if (fin) {
      // An abrupt finally discards a pending throw: that is catching it.
      if (pending) mayCatch(rt, pending, pcAtTry);
      return fin;
    }
    rt.pc = rt.L.join(savedPc, rt.frame.floor);
  }
  if (pending) throw pending;
  return completion;
}

/** A handler entered under `pcAtTry` may catch `thrown` only if that pc covers what decided the throw. */
function mayCatch(rt: Runtime, thrown: GuestThrow, pcAtTry: number): void {
  if (rt.L.subset(thrown.control, pcAtTry)) return;
  const missing = rt.L.minus(thrown.control, pcAtTry);
  rt.halt(
    'denied',
    'flow.implicit-exception',
    `an exception raised because of ${missing.join(', ')} data would be caught by code that runs either way; whether it was ` +
      'thrown would tell which way that data went, so Flowgate stops the run here. Catch it inside the code that depends on the data, or let it end the run.',
  );
}

export { toKey };

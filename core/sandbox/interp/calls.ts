/**
 * Functions: calling, constructing, closures, classes, generators and async functions.
 *
 * Which function runs is a decision: the callee's body runs under the pc raised by the labels
 * of the function value. A call's result is written under the callee's pc at its return.
 * Calls nest at most `maxDepth` deep; past that the run stops (never a catchable error: how deep
 * a program recursed may depend on its data).
 */
import type * as A from '../../lower/ast.ts';
import { enter, leave, runSync, type Gen } from './control.ts';
import { declare, readVar, varNames } from './env.ts';
import { ev } from './eval.ts';
import { execBlock, hoistBlock } from './exec.ts';
import { NONE } from './labels.ts';
import { bindPattern } from './patterns.ts';
import { deepLabel, setProp } from './props.ts';
import type { Runtime } from './runtime.ts';
import { Activation } from './scheduler.ts';
import { toKey } from './coerce.ts';
import { Env, Frame, GFunction, GObject, GuestThrow, Halt, LV, UNDEF } from './values.ts';

export interface CallSite {
  /** The call is the operand of an `await` (nothing else can run before the caller resumes). */
  direct: boolean;
  p: number;
}

export function callFunction(rt: Runtime, fn: LV, self: LV, args: LV[], site?: CallSite): LV {
  const f = fn.v;
  if (!(f instanceof GFunction)) {
    return rt.throwError('TypeError', `${f === undefined || f === null ? String(f) : typeof f === 'object' ? 'this object' : JSON.stringify(f)?.slice(0, 40) ?? typeof f} is not a function`, fn.l);
  }
  const savedPc = rt.pc;
  const savedFrame = rt.frame;
  // Which function runs is a decision: its body runs under it. Nothing is labelled ahead here —
  // the functions not chosen would not be — so what the callee writes falls under the
  // no-sensitive-upgrade rule (regions.ts labels ahead only where the choice is known before it).
  rt.raise(fn.l);
  try {
    const out = invoke(rt, f, self, args, undefined, site);
    return fn.l === NONE ? out : new LV(out.v, rt.join(out.l, fn.l));
  } finally {
    rt.frame = savedFrame;
    rt.restore(savedPc);
  }
}

function invoke(rt: Runtime, f: GFunction, self: LV, args: LV[], newTarget: GFunction | undefined, site?: CallSite): LV {
  if (f.bound) return invoke(rt, f.bound.target, f.bound.self, [...f.bound.args, ...args], newTarget, site);
  if (f.operation) return rt.host.apiCall(f, self, args, site?.direct ?? false, site?.p ?? 0);
  if (f.native) return callNative(rt, f, self, args, newTarget);
  if (f.klass && !newTarget) return rt.throwError('TypeError', `class ${f.name || '(anonymous)'} cannot be called without "new"`);
  return invokeClosure(rt, f, self, args, newTarget, site);
}

function callNative(rt: Runtime, f: GFunction, self: LV, args: LV[], newTarget: GFunction | undefined): LV {
  try {
    return f.native!(rt, self, args, newTarget);
  } catch (error) {
    if (error instanceof GuestThrow || error instanceof Halt) throw error;
    engineLimit(rt, error);
    if (error instanceof Error) {
      // An error of the built-in's own work: decided by everything it read.
      let control = deepLabel(rt, self);
      for (const a of args) control = rt.join(control, deepLabel(rt, a));
      rt.throwError(error.name === 'Error' ? 'Error' : error.name, error.message, control);
    }
    throw error;
  }
}

/** The engine's stack limit ends the run: where it strikes depends on everything before. */
export function engineLimit(rt: Runtime, error: unknown): void {
  if (error instanceof RangeError && /call stack/i.test(error.message)) rt.halt('limit', 'maxDepth', 'stopped: the program nests too deeply for the interpreter (runaway recursion?)');
}

function enterDepth(rt: Runtime): void {
  if (++rt.depth > rt.config.maxDepth) {
    rt.depth--;
    rt.halt('limit', 'maxDepth', `stopped: calls nested more than ${rt.config.maxDepth} deep (runaway recursion?)`);
  }
}

function invokeClosure(rt: Runtime, f: GFunction, self: LV, args: LV[], newTarget: GFunction | undefined, site?: CallSite): LV {
  const code = f.code!;
  enterDepth(rt);
  try {
    const frame = new Frame(self, f, f.home);
    frame.newTarget = newTarget;
    frame.body = code;
    const env = new Env(f.env!, code.arrow ? null : frame);
    if (code.selfName && code.name) declare(rt, env, code.name, 'const', new LV(f, NONE));
    rt.frame = frame;
    if (code.async) return startAsync(rt, body(rt, code, env, args), frame, site?.direct ?? false);
    if (code.generator) return new LV(rt.realm.makeGenerator(body(rt, code, env, args), frame, rt.pc), NONE);
    return runSync(rt, body(rt, code, env, args));
  } catch (error) {
    // An engine error escaping the program's own code (not converted where it happened, with
    // the pc of that point): its labels are not known here, so it ends the run.
    if (error instanceof GuestThrow || error instanceof Halt) throw error;
    engineLimit(rt, error);
    throw new Halt('error', 'engine', `the program stopped on an engine error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  } finally {
    rt.depth--;
  }
}

/** A function body: parameters, hoisting, statements; its value is the return value. */
function* body(rt: Runtime, code: A.Fn, env: Env, args: LV[]): Gen<LV> {
  for (let i = 0; i < code.params.length; i++) yield* bindPattern(rt, code.params[i], args[i] ?? UNDEF, env, 'param');
  if (code.rest) {
    const rest = rt.realm.makeArray(args.slice(code.params.length), rt.pc);
    yield* bindPattern(rt, code.rest, new LV(rest, NONE), env, 'param');
  }
  if (code.paramProps) {
    const self = thisOf(rt, env);
    for (const name of code.paramProps) setProp(rt, self, name, NONE, readVar(rt, env, name));
  }
  if (!Array.isArray(code.body)) return rt.written(yield* ev(rt, code.body, env));
  for (const name of varNames(code.body)) if (!env.vars.has(name)) declare(rt, env, name, 'var', UNDEF);
  hoistBlock(rt, code.body, env);
  const c = yield* execBlock(rt, code.body, env);
  if (c && c.type === 'return') return c.value;
  return new LV(undefined, rt.pc);
}

/** Starts an async function: it runs until its first `await`; the caller gets its promise. */
function startAsync(rt: Runtime, gen: Gen<LV>, frame: Frame, direct: boolean): LV {
  if (!direct) rt.concurrent = true;
  const promise = rt.scheduler.newPromise(rt.pc);
  const act = new Activation(gen, frame, promise, rt.pc, rt.depth);
  rt.scheduler.step(act, UNDEF);
  return new LV(promise, NONE);
}

/** The program itself: the body of an async function at the top level. */
export function startProgram(rt: Runtime, program: A.Program, globalEnv: Env): LV {
  const frame = new Frame(UNDEF, undefined, undefined);
  const env = new Env(globalEnv, frame);
  rt.frame = frame;
  const code: A.Fn = { p: 0, params: [], body: program.body, async: true, generator: false, arrow: false };
  frame.body = code;
  return startAsync(rt, body(rt, code, env, []), frame, true);
}

export function makeClosure(rt: Runtime, code: A.Fn, env: Env, home?: GObject): GFunction {
  const f = new GFunction(rt.realm.FunctionProto, code.name ?? '');
  f.code = code;
  f.env = env;
  f.home = home;
  f.shape = rt.pc;
  return f;
}

export function thisOf(rt: Runtime, env: Env): LV {
  for (let e: Env | null = env; e; e = e.parent) {
    if (!e.frame) continue;
    if (!e.frame.thisReady) rt.throwError('ReferenceError', '"this" was used before super() in a derived class constructor', rt.join(e.frame.seen, e.frame.floor));
    return e.frame.self;
  }
  return UNDEF;
}

function functionFrame(env: Env): Frame | undefined {
  for (let e: Env | null = env; e; e = e.parent) if (e.frame) return e.frame;
  return undefined;
}

// ---- classes ----

export function* makeClass(rt: Runtime, def: A.Class, env: Env): Gen<GFunction> {
  let parent: GFunction | undefined;
  if (def.superClass) {
    const p = yield* ev(rt, def.superClass, env);
    if (!(p.v instanceof GFunction) || !p.v.constructable) rt.throwError('TypeError', 'a class can extend only another class or an Error type', p.l);
    parent = p.v;
  }
  const classEnv = new Env(env);
  const proto = new GObject(parent ? rt.realm.instanceProto(parent) : rt.realm.ObjectProto, NONE);
  const F = new GFunction(parent ?? rt.realm.FunctionProto, def.name ?? '');
  F.constructable = true;
  F.code = def.ctor;
  F.env = classEnv;
  F.home = proto;
  F.klass = { def, env: classEnv, proto, parent, fields: [] };
  F.shape = rt.pc;
  if (def.name) declare(rt, classEnv, def.name, 'const', new LV(F, NONE));
  for (const m of def.members) {
    const key = typeof m.key === 'string' ? m.key : (toKey(rt, yield* ev(rt, m.key, classEnv)).v as string);
    const target = m.static ? F : proto;
    if (m.kind === 'method') {
      const method = makeClosure(rt, m.fn, classEnv, target);
      method.name = key;
      target.props.set(key, new LV(method, NONE));
    } else if (m.static) {
      const value = m.value ? runSync(rt, ev(rt, m.value, new Env(classEnv, new Frame(new LV(F, NONE), F, F)))) : UNDEF;
      if (m.private) (F.privates ??= new Map()).set(key, rt.written(value));
      else F.props.set(key, rt.written(value));
    } else F.klass.fields.push({ key, value: m.value, private: m.private });
  }
  proto.frozen = true;
  return F;
}

/** `new callee(...args)`. */
export function construct(rt: Runtime, callee: LV, args: LV[], _p: number): LV {
  const f = callee.v;
  if (!(f instanceof GFunction) || !f.constructable) {
    return rt.throwError('TypeError', `${f instanceof GFunction ? `${f.name || 'this function'} is not a constructor (use a class)` : 'this is not a constructor'}`, callee.l);
  }
  const savedPc = rt.pc;
  const savedFrame = rt.frame;
  if (callee.l !== NONE) rt.raise(callee.l);
  try {
    return constructWith(rt, f, args, f);
  } finally {
    rt.frame = savedFrame;
    rt.restore(savedPc);
  }
}

function constructWith(rt: Runtime, f: GFunction, args: LV[], newTarget: GFunction): LV {
  if (f.native) return callNative(rt, f, UNDEF, args, newTarget);
  const { parent } = f.klass!;
  if (!parent) {
    const self = new LV(new GObject(newTarget.klass!.proto, rt.pc), NONE);
    initFields(rt, f, self);
    if (!f.code) return self;
    const out = invokeClosure(rt, f, self, args, newTarget);
    return out.v instanceof GObject ? out : self;
  }
  if (!f.code) {
    const self = constructWith(rt, parent, args, newTarget);
    initFields(rt, f, self);
    return self;
  }
  enterDepth(rt);
  try {
    const frame = new Frame(UNDEF, f, f.home);
    frame.thisReady = false;
    frame.newTarget = newTarget;
    frame.body = f.code;
    const env = new Env(f.env!, frame);
    rt.frame = frame;
    const out = runSync(rt, body(rt, f.code, env, args));
    if (out.v instanceof GObject) return out;
    // Whether super() ran may have been decided in a branch: the error carries every decision of the constructor.
    if (!frame.thisReady) rt.throwError('ReferenceError', `the constructor of ${f.name || 'a class'} returned without calling super()`, rt.join(frame.seen, frame.floor));
    return frame.self;
  } finally {
    rt.depth--;
  }
}

/** `super(...args)` in a derived constructor. */
export function superCall(rt: Runtime, env: Env, args: LV[]): LV {
  const frame = functionFrame(env);
  const cls = frame?.fn;
  if (!frame || !cls?.klass?.parent || !frame.newTarget) return rt.throwError('SyntaxError', '"super()" is only valid in a derived class constructor');
  if (frame.thisReady) rt.throwError('ReferenceError', 'super() was called twice in one constructor', rt.join(frame.seen, frame.floor));
  const savedFrame = rt.frame;
  let self: LV;
  try {
    self = constructWith(rt, cls.klass.parent, args, frame.newTarget);
  } finally {
    rt.frame = savedFrame;
  }
  frame.self = self;
  frame.thisReady = true;
  initFields(rt, cls, self);
  return UNDEF;
}

/** `super.name`: looked up from the home object's prototype. */
export function superProp(rt: Runtime, env: Env, name: string): LV {
  const home = functionFrame(env)?.home;
  const start = home?.proto;
  for (let p = start ?? null; p; p = p.proto) {
    const found = p.props.get(name);
    if (found) return found;
  }
  return UNDEF;
}

function initFields(rt: Runtime, cls: GFunction, self: LV): void {
  const klass = cls.klass!;
  if (!klass.fields.length) return;
  const env = new Env(klass.env, new Frame(self, cls, klass.proto));
  for (const field of klass.fields) {
    const value = field.value ? runSync(rt, ev(rt, field.value, env)) : UNDEF;
    if (field.private) {
      const o = self.v as GObject;
      (o.privates ??= new Map()).set(field.key, rt.written(value));
    } else setProp(rt, self, field.key, NONE, value);
  }
}

export function instanceOf(rt: Runtime, x: LV, cls: LV): LV {
  const f = cls.v;
  if (!(f instanceof GFunction)) rt.throwError('TypeError', 'the right side of instanceof is not callable', cls.l);
  const l = rt.join(x.l, cls.l);
  if (!(x.v instanceof GObject)) return new LV(false, l);
  const target = rt.realm.instanceProto(f);
  for (let p = x.v.proto; p; p = p.proto) if (p === target) return new LV(true, l);
  return new LV(false, l);
}

export { enter, leave };

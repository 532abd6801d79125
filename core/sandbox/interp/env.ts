/**
 * Variables: lookup, hoisting, declaration and assignment with their label rules.
 * A variable is a location like any other: assigning it under a pc it does not already carry
 * stops the run (regions.ts labels the variables a branch may assign before it is taken).
 */
import type * as A from '../../lower/ast.ts';
import type { Runtime } from './runtime.ts';
import { Binding, Env, LV, type BindingKind } from './values.ts';

export function findBinding(env: Env, name: string): Binding | undefined {
  for (let e: Env | null = env; e; e = e.parent) {
    const b = e.vars.get(name);
    if (b) return b;
  }
  return undefined;
}

export function readVar(rt: Runtime, env: Env, name: string): LV {
  const b = findBinding(env, name);
  if (!b) rt.throwError('ReferenceError', `${name} is not defined`);
  if (!b.init) rt.throwError('ReferenceError', `cannot access "${name}" before it is initialised`, b.l);
  return new LV(b.v, b.l);
}

export function assignVar(rt: Runtime, env: Env, name: string, value: LV): void {
  const b = findBinding(env, name);
  if (!b) rt.throwError('ReferenceError', `${name} is not defined`);
  if (!b.init) rt.throwError('ReferenceError', `cannot access "${name}" before it is initialised`, b.l);
  if (b.kind === 'const' || b.kind === 'global') rt.throwError('TypeError', `assignment to the constant "${name}"`);
  rt.nsu(b.l, rt.pc, `the variable "${name}"`);
  b.v = value.v;
  b.l = rt.join(value.l, rt.pc);
}

/** Creates a binding in `env` (declarations run once per entry of their scope). */
export function declare(rt: Runtime, env: Env, name: string, kind: BindingKind, value?: LV): Binding {
  const b = new Binding(kind, value?.v, value ? rt.join(value.l, rt.pc) : rt.pc, value !== undefined || kind === 'var' || kind === 'param');
  env.vars.set(name, b);
  return b;
}

/** Initialises a `let`/`const`/`class` binding (leaves the TDZ): not an assignment. */
export function initialise(rt: Runtime, env: Env, name: string, value: LV): void {
  const b = env.vars.get(name) ?? findBinding(env, name);
  if (!b) {
    declare(rt, env, name, 'let', value);
    return;
  }
  // Leaving the TDZ is a write: whether it happens may be what a branch decided.
  if (!b.init) rt.nsu(b.l, rt.pc, `the declaration of "${name}"`);
  b.v = value.v;
  b.l = rt.join(value.l, rt.pc);
  b.init = true;
}

/** Names a pattern binds. */
export function patternNames(p: A.Pattern, out: string[] = []): string[] {
  switch (p.t) {
    case 'Ident':
      out.push(p.name);
      break;
    case 'ObjPat':
      for (const prop of p.props) patternNames(prop.value, out);
      if (p.rest) patternNames(p.rest, out);
      break;
    case 'ArrPat':
      for (const el of p.elems) if (el) patternNames(el, out);
      if (p.rest) patternNames(p.rest, out);
      break;
    case 'Default':
      patternNames(p.target, out);
      break;
  }
  return out;
}

/** `var` names anywhere in a function body (not in nested functions). */
export function varNames(body: A.Stmt[], out: string[] = []): string[] {
  for (const s of body) collectVars(s, out);
  return out;
}

function collectVars(s: A.Stmt | undefined, out: string[]): void {
  if (!s) return;
  switch (s.t) {
    case 'Var':
      if (s.kind === 'var') for (const d of s.decls) patternNames(d.target, out);
      return;
    case 'Block':
      varNames(s.body, out);
      return;
    case 'If':
      collectVars(s.then, out);
      collectVars(s.else, out);
      return;
    case 'While':
    case 'DoWhile':
    case 'Labeled':
      collectVars(s.body, out);
      return;
    case 'For':
      collectVars(s.init, out);
      collectVars(s.body, out);
      return;
    case 'ForOf':
    case 'ForIn':
      if (s.kind === 'var') patternNames(s.target, out);
      collectVars(s.body, out);
      return;
    case 'Switch':
      for (const c of s.cases) varNames(c.body, out);
      return;
    case 'Try':
      varNames(s.block, out);
      if (s.handler) varNames(s.handler, out);
      if (s.finalizer) varNames(s.finalizer, out);
      return;
    default:
      return;
  }
}

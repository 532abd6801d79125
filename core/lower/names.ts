/**
 * Every free name a program uses must be one the interpreter defines: a service of the catalog
 * or one of PROGRAM_GLOBALS. Anything else (`fetch`, `process`, `eval`, `globalThis`…) is refused
 * before the run, with the line, rather than failing half-way through it.
 *
 * Scopes follow JavaScript: `var` and function declarations belong to the function, `let`,
 * `const` and classes to their block; parameters, catch parameters and loop declarations too.
 */
import type * as A from './ast.ts';
import { MISSING_GLOBAL_REASON, PROGRAM_GLOBALS } from './globals.ts';
import type { LowerError } from './lower.ts';

class Scope {
  readonly names = new Set<string>();
  readonly parent: Scope | undefined;
  constructor(parent?: Scope) {
    this.parent = parent;
  }
  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
}

export function checkFreeNames(program: A.Program, services: readonly string[], sourceLength: number): LowerError[] {
  const errors: LowerError[] = [];
  const seen = new Set<string>();
  const global = new Scope();
  for (const n of [...PROGRAM_GLOBALS, ...services]) global.names.add(n);
  const use = (name: string, p: number, scope: Scope) => {
    if (scope.has(name) || seen.has(name)) return;
    seen.add(name);
    const why = MISSING_GLOBAL_REASON[name];
    errors.push({
      start: p,
      end: Math.min(sourceLength, p + name.length),
      message: why
        ? `\`${name}\` is not available in Flowgate programs: ${why}`
        : `\`${name}\` is not defined: a program may use its own declarations, the services of the catalog (${services.join(', ') || 'none'}) and the built-ins Flowgate provides`,
    });
  };
  const fnScope = new Scope(global);
  hoist(program.body, fnScope, fnScope);
  stmts(program.body, fnScope, fnScope, use);
  return errors;
}

type Use = (name: string, p: number, scope: Scope) => void;

/** Declares what a statement list introduces: `var`s and functions in the function scope, the rest in the block. */
function hoist(body: A.Stmt[], block: Scope, fn: Scope): void {
  for (const s of body) {
    if (s.t === 'Var') for (const d of s.decls) declarePattern(d.target, s.kind === 'var' ? fn : block);
    else if (s.t === 'FnDecl' || s.t === 'ClassDecl') block.names.add(s.name);
    else hoistVar(s, fn);
  }
}

function hoistVar(s: A.Stmt, fn: Scope): void {
  switch (s.t) {
    case 'Var':
      if (s.kind === 'var') for (const d of s.decls) declarePattern(d.target, fn);
      return;
    case 'Block':
      for (const x of s.body) hoistVar(x, fn);
      return;
    case 'If':
      hoistVar(s.then, fn);
      if (s.else) hoistVar(s.else, fn);
      return;
    case 'While':
    case 'DoWhile':
    case 'Labeled':
      hoistVar(s.body, fn);
      return;
    case 'For':
      if (s.init) hoistVar(s.init, fn);
      hoistVar(s.body, fn);
      return;
    case 'ForOf':
    case 'ForIn':
      if (s.kind === 'var') declarePattern(s.target, fn);
      hoistVar(s.body, fn);
      return;
    case 'Switch':
      for (const c of s.cases) for (const x of c.body) hoistVar(x, fn);
      return;
    case 'Try':
      for (const x of [...s.block, ...(s.handler ?? []), ...(s.finalizer ?? [])]) hoistVar(x, fn);
      return;
    default:
      return;
  }
}

function declarePattern(p: A.Pattern, scope: Scope): void {
  switch (p.t) {
    case 'Ident':
      scope.names.add(p.name);
      return;
    case 'ObjPat':
      for (const prop of p.props) declarePattern(prop.value, scope);
      if (p.rest) declarePattern(p.rest, scope);
      return;
    case 'ArrPat':
      for (const el of p.elems) if (el) declarePattern(el, scope);
      if (p.rest) declarePattern(p.rest, scope);
      return;
    case 'Default':
      declarePattern(p.target, scope);
      return;
    default:
      return;
  }
}

function stmts(body: A.Stmt[], block: Scope, fn: Scope, use: Use): void {
  for (const s of body) stmt(s, block, fn, use);
}

function blockScope(body: A.Stmt[], parent: Scope, fn: Scope, use: Use): void {
  const scope = new Scope(parent);
  hoist(body, scope, fn);
  stmts(body, scope, fn, use);
}

function stmt(s: A.Stmt, scope: Scope, fn: Scope, use: Use): void {
  switch (s.t) {
    case 'Var':
      for (const d of s.decls) {
        if (d.init) expr(d.init, scope, use);
        patternUses(d.target, scope, use);
      }
      return;
    case 'FnDecl':
      func(s.fn, scope, use);
      return;
    case 'ClassDecl':
      cls(s.cls, scope, use);
      return;
    case 'Expr':
      expr(s.e, scope, use);
      return;
    case 'If':
      expr(s.test, scope, use);
      sub(s.then, scope, fn, use);
      if (s.else) sub(s.else, scope, fn, use);
      return;
    case 'Block':
      blockScope(s.body, scope, fn, use);
      return;
    case 'Return':
      if (s.e) expr(s.e, scope, use);
      return;
    case 'Throw':
      expr(s.e, scope, use);
      return;
    case 'While':
    case 'DoWhile':
      expr(s.test, scope, use);
      sub(s.body, scope, fn, use);
      return;
    case 'For': {
      const inner = new Scope(scope);
      if (s.init) {
        if (s.init.t === 'Var' && s.init.kind !== 'var') for (const d of s.init.decls) declarePattern(d.target, inner);
        stmt(s.init, inner, fn, use);
      }
      if (s.test) expr(s.test, inner, use);
      if (s.update) expr(s.update, inner, use);
      sub(s.body, inner, fn, use);
      return;
    }
    case 'ForOf':
    case 'ForIn': {
      const inner = new Scope(scope);
      if (s.kind && s.kind !== 'var') declarePattern(s.target, inner);
      expr(s.t === 'ForOf' ? s.iter : s.obj, scope, use);
      patternUses(s.target, inner, use);
      sub(s.body, inner, fn, use);
      return;
    }
    case 'Switch': {
      expr(s.disc, scope, use);
      const inner = new Scope(scope);
      const all = s.cases.flatMap((c) => c.body);
      hoist(all, inner, fn);
      for (const c of s.cases) {
        if (c.test) expr(c.test, inner, use);
        stmts(c.body, inner, fn, use);
      }
      return;
    }
    case 'Try':
      blockScope(s.block, scope, fn, use);
      if (s.handler) {
        const inner = new Scope(scope);
        if (s.param) {
          declarePattern(s.param, inner);
          patternUses(s.param, inner, use);
        }
        blockScope(s.handler, inner, fn, use);
      }
      if (s.finalizer) blockScope(s.finalizer, scope, fn, use);
      return;
    case 'Labeled':
      sub(s.body, scope, fn, use);
      return;
    default:
      return;
  }
}

/** A single-statement body (`if (x) let y…` is not valid; a block gets its own scope). */
function sub(s: A.Stmt, scope: Scope, fn: Scope, use: Use): void {
  if (s.t === 'Block') blockScope(s.body, scope, fn, use);
  else stmt(s, scope, fn, use);
}

/** Names a pattern reads: default values, computed keys, member targets. */
function patternUses(p: A.Pattern, scope: Scope, use: Use): void {
  switch (p.t) {
    case 'Ident':
      use(p.name, p.p, scope);
      return;
    case 'ObjPat':
      for (const prop of p.props) {
        if (typeof prop.key !== 'string') expr(prop.key, scope, use);
        patternUses(prop.value, scope, use);
      }
      if (p.rest) patternUses(p.rest, scope, use);
      return;
    case 'ArrPat':
      for (const el of p.elems) if (el) patternUses(el, scope, use);
      if (p.rest) patternUses(p.rest, scope, use);
      return;
    case 'Default':
      expr(p.value, scope, use);
      patternUses(p.target, scope, use);
      return;
    default:
      expr(p, scope, use);
  }
}

function func(f: A.Fn, outer: Scope, use: Use): void {
  const scope = new Scope(outer);
  if (f.name && f.selfName) scope.names.add(f.name);
  for (const param of f.params) declarePattern(param, scope);
  if (f.rest) declarePattern(f.rest, scope);
  for (const param of f.params) patternUses(param, scope, use);
  if (f.rest) patternUses(f.rest, scope, use);
  if (Array.isArray(f.body)) {
    const body = new Scope(scope);
    hoist(f.body, body, body);
    stmts(f.body, body, body, use);
  } else expr(f.body, scope, use);
}

function cls(c: A.Class, outer: Scope, use: Use): void {
  const scope = new Scope(outer);
  if (c.name) scope.names.add(c.name);
  if (c.superClass) expr(c.superClass, outer, use);
  if (c.ctor) func(c.ctor, scope, use);
  for (const m of c.members) {
    if (typeof m.key !== 'string') expr(m.key, scope, use);
    if (m.kind === 'method') func(m.fn, scope, use);
    else if (m.value) expr(m.value, scope, use);
  }
}

function expr(e: A.Expr | A.Spread, scope: Scope, use: Use): void {
  switch (e.t) {
    case 'Ident':
      use(e.name, e.p, scope);
      return;
    case 'Lit': case 'BigInt': case 'Regex': case 'This': case 'SuperMember':
      return;
    case 'Tpl':
      for (const x of e.exprs) expr(x, scope, use);
      return;
    case 'Arr':
      for (const x of e.elems) if (x) expr(x, scope, use);
      return;
    case 'Obj':
      for (const prop of e.props) {
        if (prop.kind === 'spread') expr(prop.e, scope, use);
        else {
          if (typeof prop.key !== 'string') expr(prop.key, scope, use);
          if (prop.kind === 'init') expr(prop.value, scope, use);
          else func(prop.fn, scope, use);
        }
      }
      return;
    case 'Fn':
      func(e.fn, scope, use);
      return;
    case 'Class':
      cls(e.cls, scope, use);
      return;
    case 'Unary': case 'Await': case 'Chain': case 'Spread':
      expr(e.e, scope, use);
      return;
    case 'Update':
      expr(e.target, scope, use);
      return;
    case 'Bin': case 'Logical':
      expr(e.l, scope, use);
      expr(e.r, scope, use);
      return;
    case 'Assign':
      patternUses(e.target as A.Pattern, scope, use);
      expr(e.value, scope, use);
      return;
    case 'Cond':
      expr(e.test, scope, use);
      expr(e.then, scope, use);
      expr(e.else, scope, use);
      return;
    case 'Call': case 'New':
      expr(e.callee, scope, use);
      for (const a of e.args) expr(a, scope, use);
      return;
    case 'SuperCall':
      for (const a of e.args) expr(a, scope, use);
      return;
    case 'Member': case 'Private':
      expr(e.obj, scope, use);
      return;
    case 'Index':
      expr(e.obj, scope, use);
      expr(e.index, scope, use);
      return;
    case 'Yield':
      if (e.e) expr(e.e, scope, use);
      return;
    case 'Seq':
      for (const x of e.es) expr(x, scope, use);
      return;
  }
}

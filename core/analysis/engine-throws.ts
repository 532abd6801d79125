/**
 * Exceptions the engine throws by itself, where what decides the throw is the control flow that
 * came before (not a value at hand):
 * - reading or writing a `let`/`const`/`class` binding before its declaration ran (TDZ): decided
 *   by whatever decided that the declaration ran (the pc and early exits where it stands);
 * - a derived constructor's `super()` called twice, or not at all: decided by the pc of each
 *   `super()` call;
 * - a write to an object that was frozen (sealed, made non-extensible): decided by the pc where
 *   it was frozen.
 * Such a throw is an implicit flow of those labels: a handler learns them (`Interp.mayThrow`);
 * at run time a handler whose pc does not cover them is not reached (the run stops).
 */
import ts from 'typescript';
import { unionLabels, type Ctx, type Interp } from './context.ts';
import { opaque, type AbsVal } from './value.ts';

/** A `let`/`const` declaration (or class declaration) ran here: what decided that it ran. */
export function declared(it: Interp, decl: ts.Node, ctx: Ctx): void {
  it.state.joinCell(it.state.nodeCell(decl, 'tdz'), opaque(it.pcOf(ctx)));
}

/** A use of `sym` at `at`: if it may run before the binding's declaration did, it may throw. */
export function useBinding(it: Interp, sym: ts.Symbol | undefined, at: ts.Node, ctx: Ctx): void {
  const decl = blockScopedDeclaration(sym);
  if (!decl || !mayPrecede(at, decl)) return;
  it.mayThrow(it.state.nodeCell(decl, 'tdz').value, ctx);
}

/** A `super()` call: one too many, or a branch that skipped it, throws, as its pc decides. */
export function superCalled(it: Interp, ctx: Ctx): void {
  it.mayThrow(opaque(it.pcOf(ctx)), ctx);
}

/** `Object.freeze` (seal, preventExtensions) of `target`: later writes throw or not, as the pc decides. */
export function frozen(it: Interp, target: AbsVal, ctx: Ctx): void {
  const v = opaque(unionLabels(it.pcOf(ctx), it.state.effLabels(target)));
  for (const s of it.state.sitesOf(target)) it.state.joinCell(it.state.frozenCell(s), v);
}

/** Labels deciding whether `target` was frozen (`Object.isFrozen` tells them). */
export function frozenLabels(it: Interp, target: AbsVal): ReadonlySet<string> {
  const out = new Set<string>();
  for (const s of it.state.sitesOf(target)) for (const l of it.state.frozenCell(s).value.labels) out.add(l);
  return out;
}

/** A write into `target` (assignment, delete, a mutating method): it throws if `target` was frozen. */
export function writeInto(it: Interp, target: AbsVal, ctx: Ctx): void {
  const labels = frozenLabels(it, target);
  if (labels.size) it.mayThrow(opaque(unionLabels(labels, it.state.effLabels(target))), ctx);
}

/** The `let`/`const` declaration (or class declaration) a symbol names, if it has a TDZ. */
function blockScopedDeclaration(sym: ts.Symbol | undefined): ts.Node | undefined {
  let d: ts.Node | undefined = sym?.valueDeclaration ?? sym?.declarations?.[0];
  if (!d) return undefined;
  if (ts.isClassDeclaration(d)) return d;
  while (ts.isBindingElement(d) || ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d)) d = d.parent;
  if (!ts.isVariableDeclaration(d) || !ts.isVariableDeclarationList(d.parent)) return undefined;
  if (!(d.parent.flags & ts.NodeFlags.BlockScoped)) return undefined;
  return d;
}

/**
 * Whether a use may run before the declaration: from another function (a closure, called who
 * knows when), textually before it, or from another clause of the switch it is declared in.
 */
function mayPrecede(at: ts.Node, decl: ts.Node): boolean {
  if (owner(at) !== owner(decl)) return true;
  if (at.pos < decl.end) return true;
  const stmt = ts.isClassDeclaration(decl) ? decl : decl.parent.parent;
  return ts.isCaseOrDefaultClause(stmt.parent);
}

function owner(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isClassStaticBlockDeclaration(p) || ts.isPropertyDeclaration(p)) return p;
  return undefined;
}

/**
 * What the visitor files share: the walking context of one function body and the interpreter's
 * services (state, checker, resolver, findings).
 */
import type ts from 'typescript';
import type { Catalog, Operation } from '../catalog/types.ts';

/** Labels earlier runs left where a read of `op` with these (constant) arguments reads. */
export type AtRestLookup = (op: Operation, constArgs: Record<string, unknown>) => string[];
import type { Resolver } from './resolve.ts';
import type { FnInfo, State } from './state.ts';
import type { AbsVal, Cell } from './value.ts';

export interface Ctx {
  fn: FnInfo;
  /** Labels the current point is control dependent on (conditions, calling contexts). */
  pc: ReadonlySet<string>;
  /** Labels of early exits (return/break/continue/throw, throwing callees) seen earlier in this body. */
  exit: Set<string>;
  /** Innermost first: where a throw here lands. */
  handlers: Cell[];
}

/** One API call as the last (converged) walk saw it. */
export interface SinkRecord {
  node: ts.CallExpression;
  ops: Set<string>;
  labels: Set<string>;
  /** The argument object. */
  arg: AbsVal;
  /** Labels of what decides the call is made (the pc, which function, which service object). */
  control: Set<string>;
  /** Why the call's operation is not certain (computed member on a service, several candidates…). */
  ambiguous?: string;
}

export interface Interp {
  readonly state: State;
  readonly checker: ts.TypeChecker;
  readonly resolver: Resolver;
  readonly catalog: Catalog;
  readonly file: ts.SourceFile;
  /** Labels at rest where an operation reads (earlier runs' writes), given its constant arguments. */
  readonly atRest?: AtRestLookup;
  /** Labels the task's params carry (what the agent giving them was handed before). */
  readonly paramsLabels?: ReadonlySet<string>;
  /** Records a construct outside the subset (the flows it touches are unknown). */
  unknown(node: ts.Node, message: string): void;
  sink(record: SinkRecord): void;
  /** The result or a console line, going back to the agent, with the labels it may carry. */
  agentOutput(node: ts.Node, labels: Iterable<string>): void;
  /** Whether `fn` is the program's own body (its return is the result). */
  isMain(fn: ts.Node): boolean;
  /** Labels that any API result of the program may carry (for timing sources). */
  readonly allSourceLabels: Cell;
  ev(node: ts.Expression, ctx: Ctx): AbsVal;
  bind(name: ts.BindingName, value: AbsVal, ctx: Ctx): void;
  invoke(fn: ts.Node, args: AbsVal[], thisVal: AbsVal, ctx: Ctx, site: ts.Node): AbsVal;
  /** Effective pc: context plus early exits so far. */
  pcOf(ctx: Ctx): ReadonlySet<string>;
  /** Where a throw at this point lands. */
  throwTarget(ctx: Ctx): Cell;
  /** A use of `v` that throws when it is null/undefined/not a function: a catch here learns its labels. */
  mayThrow(v: AbsVal, ctx: Ctx): void;
}

export function unionLabels(...sets: ReadonlySet<string>[]): ReadonlySet<string> {
  const nonEmpty = sets.filter((s) => s.size);
  if (nonEmpty.length === 0) return sets[0] ?? new Set();
  if (nonEmpty.length === 1) return nonEmpty[0];
  const out = new Set<string>();
  for (const s of nonEmpty) for (const l of s) out.add(l);
  return out;
}

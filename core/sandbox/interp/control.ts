/**
 * Entering and leaving a region (regions.ts), and what suspension looks like to the evaluator.
 */
import type * as A from '../../lower/ast.ts';
import { NONE } from './labels.ts';
import { regionInfo, upgradeRegion } from './regions.ts';
import type { Runtime } from './runtime.ts';
import type { Env, LV } from './values.ts';

/** What the evaluator's generators yield to whoever drives them. */
export type Suspend = { kind: 'await'; value: LV; direct: boolean } | { kind: 'yield'; value: LV };
/** An evaluation step that may suspend (await, yield); resumed with an LV. */
export type Gen<T> = Generator<Suspend, T, LV>;

/** How a statement ended. `undefined` is normal completion. */
export type Completion = undefined | { type: 'return'; value: LV } | { type: 'break' | 'continue'; label?: string };

export interface Region {
  saved: number;
  /** The labels this region added to the pc (NONE when it added none). */
  added: number;
  concurrent: boolean;
  node: object;
}

/** Enters a region decided by labels `l`: raises the pc and labels what the region may write. */
export function enter(rt: Runtime, l: number, node: object, env: Env): Region {
  const saved = rt.pc;
  let added = NONE;
  if (l !== NONE && !rt.L.subset(l, rt.pc)) {
    added = l;
    rt.raise(l);
    upgradeRegion(rt, node, env, rt.pc);
    upgradeRest(rt, node, env);
  }
  return { saved, added, concurrent: rt.concurrent, node };
}

/**
 * An `await` on a promise whose settling is decided by `l` (known ahead for an API call): whether
 * the rest of the function runs is decided by it, so what that rest writes is labelled first.
 */
export function beforeAwait(rt: Runtime, l: number, env: Env): void {
  if (!rt.concurrent) return;
  // Compared with what is already sticky (not the pc: a branch's label ends with the branch,
  // but after an await it stays).
  const loops = rt.frame.loops;
  const sticky = rt.L.join(rt.frame.floor, loops.length ? loops[loops.length - 1] : NONE);
  if (l === NONE || rt.L.subset(l, sticky)) return;
  const pc = rt.L.join(rt.pc, l);
  const frame = rt.frame;
  if (frame.body) upgradeRegion(rt, frame.body, env, pc);
  for (const loop of frame.loopNodes) upgradeRegion(rt, loop, env, pc);
}

/**
 * A region that may leave early (return, break, continue) decides whether the rest of its loop
 * or function runs: what that rest writes is labelled too, before the decision.
 */
function upgradeRest(rt: Runtime, node: object, env: Env): void {
  const info = regionInfo(node);
  const frame = rt.frame;
  if (info.exitsLoop && frame.loopNodes.length) upgradeRegion(rt, frame.loopNodes[frame.loopNodes.length - 1], env, rt.pc);
  if (info.exitsFunction || (info.hasAwait && rt.concurrent)) {
    if (frame.body) upgradeRegion(rt, frame.body, env, rt.pc);
    for (const loop of frame.loopNodes) upgradeRegion(rt, loop, env, rt.pc);
  }
}

/** Widens a region already entered (a loop's next condition, a further `case` test). */
export function widen(rt: Runtime, region: Region, l: number, env: Env): void {
  if (l === NONE || rt.L.subset(l, rt.pc)) return;
  region.added = rt.join(region.added, l);
  rt.raise(l);
  upgradeRegion(rt, region.node, env, rt.pc);
  upgradeRest(rt, region.node, env);
}

/** Leaves a region: the pc drops back unless the region could leave early or wait while others watched. */
export function leave(rt: Runtime, region: Region): void {
  if (region.added !== NONE) {
    const info = regionInfo(region.node);
    if (info.exitsFunction || (info.hasAwait && region.concurrent)) stickToFunction(rt, region.added);
    else if (info.exitsLoop) stickToLoop(rt, region.added);
    if (info.hasAwait && region.concurrent) rt.frame.tau = rt.join(rt.frame.tau, region.added);
  }
  rt.restore(region.saved);
}

/** The rest of the invocation depends on `l`. */
export function stickToFunction(rt: Runtime, l: number): void {
  rt.frame.floor = rt.join(rt.frame.floor, l);
  rt.raise(l);
}

/** The rest of the innermost loop (or switch) depends on `l`. */
export function stickToLoop(rt: Runtime, l: number): void {
  const loops = rt.frame.loops;
  if (loops.length === 0) {
    stickToFunction(rt, l);
    return;
  }
  loops[loops.length - 1] = rt.join(loops[loops.length - 1], l);
  rt.raise(l);
}

/** Runs a generator that must not suspend (a synchronous function's body, a default value…). */
export function runSync<T>(rt: Runtime, gen: Gen<T>): T {
  const r = gen.next(undefined as unknown as LV);
  if (!r.done) rt.halt('error', 'internal', 'a synchronous evaluation tried to suspend');
  return r.value;
}

export type { A };

/**
 * What the built-ins share: argument access, label arithmetic over several values, and running
 * a program callback once per element under the labels that decide how many times it runs.
 */
import { NONE } from '../labels.ts';
import { upgradeCallee } from '../regions.ts';
import type { Runtime } from '../runtime.ts';
import { GArray, GFunction, LV, UNDEF } from '../values.ts';

export function arg(args: LV[], i: number): LV {
  return args[i] ?? UNDEF;
}

export function joinAll(rt: Runtime, values: LV[], base = NONE): number {
  let l = base;
  for (const v of values) l = rt.join(l, v.l);
  return l;
}

export function needArray(rt: Runtime, self: LV, method: string): GArray {
  if (!(self.v instanceof GArray)) rt.throwError('TypeError', `Array.prototype.${method} called on something that is not an array`, self.l);
  return self.v;
}

export function needFunction(rt: Runtime, f: LV, what: string): GFunction {
  if (!(f.v instanceof GFunction)) rt.throwError('TypeError', `${what} is not a function`, f.l);
  return f.v;
}

/**
 * Runs `body` with the pc raised by `decision` (e.g. an array's length deciding how many times a
 * callback runs), after labelling what the callback may write.
 */
export function underDecision<T>(rt: Runtime, decision: number, callback: LV | undefined, body: () => T): T {
  const saved = rt.pc;
  rt.raise(decision);
  // Before the first call (there may be none): what the callback writes carries the decision.
  if (callback && rt.pc !== NONE) upgradeCallee(rt, callback, rt.pc);
  try {
    return body();
  } finally {
    rt.restore(saved);
  }
}

/** A relative index argument (slice, at, splice…) clamped into [0, length]. */
export function relIndex(n: number, length: number): number {
  const i = Number.isNaN(n) ? 0 : Math.trunc(n);
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}

/** The rest of a walk depends on `l`: raise the pc, and label what the callback writes first. */
export function decidedBy(rt: Runtime, l: number, fn: LV): void {
  if (l === NONE || rt.L.subset(l, rt.pc)) return;
  rt.raise(l);
  upgradeCallee(rt, fn, rt.pc);
}

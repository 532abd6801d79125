/**
 * The program's generators. A generator's body runs, between `next()` calls, under the pc of
 * whoever resumed it and its own sticky labels; each result carries the pc at the `yield` (or
 * return) that produced it, since whether it yielded, and what, depended on it.
 */
import type { Gen } from '../control.ts';
import type { Iter, Step } from '../iterate.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { Frame, GObject, GuestThrow, LV, UNDEF } from '../values.ts';
import { iterResult } from './collections.ts';
import { arg } from './util.ts';

export interface GeneratorState {
  gen: Gen<LV>;
  frame: Frame;
  /** The pc at the last yield. */
  pc: number;
  running: boolean;
  done: boolean;
}

function thisGenerator(rt: Runtime, self: LV): GeneratorState {
  if (!(self.v instanceof GObject) || self.v.cls !== 'Generator') rt.throwError('TypeError', 'not a generator', self.l);
  return self.v.internal as GeneratorState;
}

export function resume(rt: Runtime, g: GeneratorState, mode: 'next' | 'return' | 'throw', value: LV, ref: number): Step {
  if (g.done) {
    const l = rt.join(g.pc, ref);
    if (mode === 'throw') throw new GuestThrow(value, rt.join(rt.pc, l));
    return { done: true, value: mode === 'return' ? value : new LV(undefined, l), l };
  }
  if (g.running) rt.throwError('TypeError', 'the generator is already running', ref);
  const saved = { frame: rt.frame, pc: rt.pc };
  rt.frame = g.frame;
  rt.pc = rt.join(rt.join(saved.pc, ref), rt.join(g.pc, g.frame.floor));
  g.running = true;
  let r: IteratorResult<import('../control.ts').Suspend, LV>;
  try {
    r = mode === 'next' ? g.gen.next(value) : mode === 'throw' ? g.gen.throw(new GuestThrow(value, rt.pc)) : g.gen.return(value);
  } catch (e) {
    g.done = true;
    throw e;
  } finally {
    g.running = false;
    g.pc = rt.pc;
    rt.frame = saved.frame;
    rt.pc = saved.pc;
  }
  if (r.done) {
    g.done = true;
    return { done: true, value: new LV(r.value.v, rt.join(r.value.l, g.pc)), l: g.pc };
  }
  if (r.value.kind !== 'yield') rt.halt('error', 'internal', '`await` inside a generator');
  return { done: false, value: r.value.value, l: g.pc };
}

export function installGenerators(realm: Realm): void {
  realm.iterators.set('Generator', (o): Iter => {
    const g = o.internal as GeneratorState;
    return {
      next: () => resume(realm.rt, g, 'next', UNDEF, 0),
      close: () => {
        if (!g.done && !g.running) resume(realm.rt, g, 'return', UNDEF, 0);
      },
    };
  });
  realm.methods(realm.GeneratorProto, {
    next: (rt, self, args) => iterResult(rt, resume(rt, thisGenerator(rt, self), 'next', arg(args, 0), self.l)),
    return: (rt, self, args) => iterResult(rt, resume(rt, thisGenerator(rt, self), 'return', arg(args, 0), self.l)),
    throw: (rt, self, args) => iterResult(rt, resume(rt, thisGenerator(rt, self), 'throw', arg(args, 0), self.l)),
  });
}

/**
 * Promise. Every way of combining promises sets the run's `concurrent` flag: from then on, code
 * that waits under a labelled decision keeps that label (see regions.ts), since other lines of
 * execution could notice when it resumes.
 */
import { callFunction } from '../calls.ts';
import { iterate } from '../iterate.ts';
import { NONE } from '../labels.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GPromise, GuestThrow, LV, UNDEF } from '../values.ts';
import { arg, needFunction } from './util.ts';

function thisPromise(rt: Runtime, self: LV, name: string): GPromise {
  if (!(self.v instanceof GPromise)) rt.throwError('TypeError', `Promise.prototype.${name} called on something that is not a promise`, self.l);
  return self.v;
}

/** The items of `Promise.all`'s argument, each turned into a promise. */
function itemsOf(rt: Runtime, list: LV): { items: LV[]; l: number } {
  const items: LV[] = [];
  let l = list.l;
  const it = iterate(rt, list);
  for (let step = it.next(); !step.done; step = it.next()) {
    l = rt.join(l, step.l);
    items.push(step.value);
  }
  return { items, l };
}

type Combinator = 'all' | 'allSettled' | 'race' | 'any';

function combine(rt: Runtime, list: LV, kind: Combinator): LV {
  rt.concurrent = true;
  const { items, l } = itemsOf(rt, list);
  const result = rt.scheduler.newPromise(rt.pc);
  const values: LV[] = new Array(items.length);
  let remaining = items.length;
  let acc = rt.join(rt.pc, l);
  // What will decide how it settles, as far as known now (an await labels the rest with it).
  let expected = kind === 'race' || kind === 'any' ? rt.join(acc, rt.everPc) : acc;
  for (const item of items) {
    const p = item.v;
    expected = rt.join(expected, item.l);
    if (p instanceof GPromise) expected = rt.join(expected, p.state !== 'pending' ? p.settle : p.control ?? NONE);
  }
  result.control = expected;
  const finish = () => rt.realm.makeArray(values, acc);
  if (remaining === 0) {
    if (kind === 'any') rt.scheduler.settle(result, 'rejected', new LV(rt.realm.makeError('Error', 'All promises were rejected', acc), acc), acc);
    else if (kind !== 'race') rt.scheduler.settle(result, 'fulfilled', new LV(finish(), NONE), acc);
    return new LV(result, NONE);
  }
  items.forEach((item, i) => {
    rt.scheduler.await(item, (state, v, settle) => {
      acc = rt.join(acc, settle);
      // Which one settles first depends on how long each took: on every decision of this run.
      if (kind === 'race' || kind === 'any') acc = rt.join(acc, rt.everPc);
      if (kind === 'race') {
        rt.scheduler.settle(result, state, new LV(v.v, rt.join(v.l, acc)), acc);
        return;
      }
      if (kind === 'all' && state === 'rejected') {
        rt.scheduler.settle(result, 'rejected', v, acc);
        return;
      }
      if (kind === 'any' && state === 'fulfilled') {
        rt.scheduler.settle(result, 'fulfilled', new LV(v.v, rt.join(v.l, acc)), acc);
        return;
      }
      if (kind === 'allSettled') {
        const o = rt.realm.makeObject(acc);
        o.props.set('status', new LV(state, settle));
        o.props.set(state === 'fulfilled' ? 'value' : 'reason', v);
        values[i] = new LV(o, settle);
      } else values[i] = v;
      if (--remaining === 0) {
        if (kind === 'any') rt.scheduler.settle(result, 'rejected', new LV(rt.realm.makeError('Error', 'All promises were rejected', acc), acc), acc);
        else rt.scheduler.settle(result, 'fulfilled', new LV(finish(), NONE), acc);
      }
    });
  });
  return new LV(result, NONE);
}

export function installPromise(realm: Realm): void {
  realm.ctor('Promise', (rt, _self, args, newTarget) => {
    if (!newTarget) rt.throwError('TypeError', 'Promise must be called with new', NONE);
    const executor = arg(args, 0);
    needFunction(rt, executor, 'the executor of new Promise');
    rt.concurrent = true;
    const p = rt.scheduler.newPromise(rt.pc);
    let done = false;
    const resolve = rt.realm.fn('resolve', (rt, _s, a) => {
      rt.nsu(p.fate, rt.pc, 'the outcome of a promise');
      if (!done) {
        done = true;
        rt.scheduler.resolve(p, arg(a, 0), rt.pc);
      }
      return UNDEF;
    });
    const reject = rt.realm.fn('reject', (rt, _s, a) => {
      rt.nsu(p.fate, rt.pc, 'the outcome of a promise');
      if (!done) {
        done = true;
        rt.scheduler.settle(p, 'rejected', rt.written(arg(a, 0)), rt.pc);
      }
      return UNDEF;
    });
    try {
      callFunction(rt, executor, UNDEF, [new LV(resolve, NONE), new LV(reject, NONE)]);
    } catch (e) {
      if (!(e instanceof GuestThrow)) throw e;
      if (!done) {
        done = true;
        rt.scheduler.settle(p, 'rejected', e.value, e.control);
      }
    }
    return new LV(p, NONE);
  }, realm.PromiseProto, {
    resolve: (rt, _s, args) => {
      const v = arg(args, 0);
      if (v.v instanceof GPromise) return v;
      const p = rt.scheduler.newPromise(rt.pc);
      rt.scheduler.resolve(p, v, rt.pc);
      return new LV(p, NONE);
    },
    reject: (rt, _s, args) => {
      const p = rt.scheduler.newPromise(rt.pc);
      rt.scheduler.settle(p, 'rejected', rt.written(arg(args, 0)), rt.pc);
      return new LV(p, NONE);
    },
    all: (rt, _s, args) => combine(rt, arg(args, 0), 'all'),
    allSettled: (rt, _s, args) => combine(rt, arg(args, 0), 'allSettled'),
    race: (rt, _s, args) => combine(rt, arg(args, 0), 'race'),
    any: (rt, _s, args) => combine(rt, arg(args, 0), 'any'),
  });

  realm.methods(realm.PromiseProto, {
    then: (rt, self, args) => {
      thisPromise(rt, self, 'then');
      return new LV(rt.scheduler.then(self, arg(args, 0), arg(args, 1)), NONE);
    },
    catch: (rt, self, args) => {
      thisPromise(rt, self, 'catch');
      return new LV(rt.scheduler.then(self, UNDEF, arg(args, 0)), NONE);
    },
    finally: (rt, self, args) => {
      thisPromise(rt, self, 'finally');
      const f = arg(args, 0);
      const pass = rt.realm.fn('', (rt, _s, a) => {
        if (f.v !== undefined) callFunction(rt, f, UNDEF, []);
        return arg(a, 0);
      });
      const rethrow = rt.realm.fn('', (rt, _s, a) => {
        if (f.v !== undefined) callFunction(rt, f, UNDEF, []);
        throw new GuestThrow(arg(a, 0), rt.pc);
      });
      return new LV(rt.scheduler.then(self, new LV(pass, NONE), new LV(rethrow, NONE)), NONE);
    },
  });
}

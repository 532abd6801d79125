/**
 * Iteration (for-of, spreads, array destructuring, Array.from, Promise.all…) over what the
 * interpreter knows how to iterate: arrays, strings, Maps, Sets, their iterators and the
 * program's generators. Each step carries the labels of the decision "is there a next one".
 * There is no Symbol.iterator: a program's own objects are not iterable.
 */
import type { Runtime } from './runtime.ts';
import { GArray, GObject, LV } from './values.ts';

export interface Step {
  done: boolean;
  value: LV;
  /** Labels of whether there was a next element. */
  l: number;
}

export interface Iter {
  next(): Step;
  /** Stops early (a `break` out of for-of): a generator runs its `finally` blocks. */
  close(): void;
}

export function iterate(rt: Runtime, x: LV): Iter {
  const v = x.v;
  if (v instanceof GArray) {
    let i = 0;
    return {
      next: () => {
        const l = rt.join(x.l, v.shape);
        if (i >= v.items.length) return { done: true, value: new LV(undefined, l), l };
        const item = v.items[i++];
        return { done: false, value: new LV(item.v, rt.join(item.l, l)), l };
      },
      close: () => {},
    };
  }
  if (typeof v === 'string') {
    const chars = [...v];
    let i = 0;
    return {
      next: () => (i < chars.length ? { done: false, value: new LV(chars[i++], x.l), l: x.l } : { done: true, value: new LV(undefined, x.l), l: x.l }),
      close: () => {},
    };
  }
  if (v instanceof GObject) {
    const inner = rt.realm.iteratorOf(v);
    if (inner) {
      return {
        next: () => {
          const step = inner.next();
          const l = rt.join(x.l, step.l);
          return { done: step.done, value: new LV(step.value.v, rt.join(step.value.l, l)), l };
        },
        close: () => inner.close(),
      };
    }
  }
  return rt.throwError('TypeError', `${v === null ? 'null' : v instanceof GObject ? 'this object' : typeof v} is not iterable (arrays, strings, Maps, Sets and generators are)`, x.l);
}

/**
 * Array and Array.prototype. Rules: a callback runs once per element, so it runs under the
 * array's shape (its length); a result that depends on which elements passed a test carries the
 * test results' labels; methods that move elements write every slot and the shape (no-sensitive-
 * upgrade applies to the whole array).
 */
import { callFunction } from '../calls.ts';
import { binary, toNum, toStr, truthy } from '../coerce.ts';
import { iterate } from '../iterate.ts';
import { NONE } from '../labels.ts';
import { MAX_ARRAY_LENGTH, pushItem } from '../props.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GArray, GObject, LV, UNDEF, type NativeFn } from '../values.ts';
import { arg, decidedBy, needArray, needFunction, relIndex, underDecision } from './util.ts';

/** The labels that decide an array's length and identity. */
function lengthLabel(rt: Runtime, self: LV, a: GArray): number {
  return rt.join(self.l, a.shape);
}

/** Writes to many slots at once (sort, reverse, splice…): every slot and the shape must carry the context. */
function rewriteAll(rt: Runtime, self: LV, a: GArray, what: string): number {
  const ctx = rt.join(rt.pc, self.l);
  rt.nsu(a.shape, ctx, `the elements of an array (${what})`);
  return ctx;
}

function item(rt: Runtime, a: GArray, i: number, l: number): LV {
  const x = a.items[i];
  return new LV(x.v, rt.join(x.l, l));
}

/**
 * Calls `fn(element, index, array)` for each element. With `early`, a callback's result may end
 * the walk (some, every, find…): whether the next callback runs is then decided by it, so the pc
 * takes its labels, and what the callback writes is labelled with them before that decision.
 */
function forEachItem(rt: Runtime, self: LV, fnArg: LV, name: string, visit: (value: LV, result: LV, i: number) => boolean | void, early = false): void {
  const a = needArray(rt, self, name);
  needFunction(rt, fnArg, `the callback of ${name}`);
  const thisArg = UNDEF;
  underDecision(rt, lengthLabel(rt, self, a), fnArg, () => {
    for (let i = 0; i < a.items.length; i++) {
      // A callback may change the length: whether another one runs is decided by it now.
      decidedBy(rt, lengthLabel(rt, self, a), fnArg);
      const value = item(rt, a, i, lengthLabel(rt, self, a));
      const result = callFunction(rt, fnArg, thisArg, [value, new LV(i, lengthLabel(rt, self, a)), self]);
      if (early) decidedBy(rt, result.l, fnArg);
      if (visit(value, result, i) === false) break;
    }
  });
}


function sortItems(rt: Runtime, items: LV[], cmp: LV): { sorted: LV[]; l: number } {
  let l = NONE;
  const compare = (x: LV, y: LV): number => {
    if (x.v === undefined) return y.v === undefined ? 0 : 1;
    if (y.v === undefined) return -1;
    let r: LV;
    if (cmp.v !== undefined) {
      r = toNum(rt, callFunction(rt, cmp, UNDEF, [x, y]));
      // Which pair is compared next depends on this result.
      decidedBy(rt, rt.join(r.l, rt.join(x.l, y.l)), cmp);
    } else {
      const a = toStr(rt, x);
      const b = toStr(rt, y);
      r = new LV((a.v as string) < (b.v as string) ? -1 : (a.v as string) > (b.v as string) ? 1 : 0, rt.join(a.l, b.l));
    }
    l = rt.join(l, rt.join(r.l, rt.join(x.l, y.l)));
    const n = r.v as number;
    return Number.isNaN(n) ? 0 : n;
  };
  const sorted = [...items].sort(compare);
  return { sorted: sorted.map((x) => new LV(x.v, rt.join(x.l, l))), l };
}

function flatten(rt: Runtime, items: LV[], depth: number, out: LV[], l: number): number {
  for (const x of items) {
    if (x.v instanceof GArray && depth > 0) {
      l = rt.join(l, rt.join(x.l, x.v.shape));
      l = flatten(rt, x.v.items.map((y) => new LV(y.v, rt.join(y.l, x.l))), depth - 1, out, l);
    } else out.push(x);
  }
  return l;
}

export function installArray(realm: Realm): void {
  const construct: NativeFn = (rt, _self, args) => {
    if (args.length === 1 && typeof args[0].v === 'number') {
      const n = args[0].v;
      if (!Number.isInteger(n) || n < 0 || n > MAX_ARRAY_LENGTH) rt.throwError('RangeError', 'invalid array length', args[0].l);
      return new LV(rt.realm.makeArray(Array.from({ length: n }, () => new LV(undefined, args[0].l)), rt.join(rt.pc, args[0].l)), NONE);
    }
    return new LV(rt.realm.makeArray([...args], rt.pc), NONE);
  };
  realm.ctor('Array', construct, realm.ArrayProto, {
    isArray: (_rt, _s, args) => new LV(arg(args, 0).v instanceof GArray, arg(args, 0).l),
    of: (rt, _s, args) => new LV(rt.realm.makeArray([...args], rt.pc), NONE),
    from: (rt, _s, args) => {
      const source = arg(args, 0);
      const mapFn = arg(args, 1);
      const out = rt.realm.makeArray([], rt.join(rt.pc, source.l));
      if (source.v instanceof GObject && !(source.v instanceof GArray) && source.v.cls === 'Object') {
        // An array-like `{ length: n }`.
        const len = toNum(rt, rt.realm.get(source, 'length'));
        const n = Number.isFinite(len.v) ? Math.max(0, Math.trunc(len.v as number)) : 0;
        if (n > MAX_ARRAY_LENGTH) rt.throwError('RangeError', 'invalid array length', len.l);
        out.shape = rt.join(out.shape, len.l);
        underDecision(rt, len.l, mapFn.v !== undefined ? mapFn : undefined, () => {
          for (let i = 0; i < n; i++) {
            const v = rt.realm.get(source, String(i));
            pushItem(rt, out, mapFn.v !== undefined ? callFunction(rt, mapFn, UNDEF, [v, new LV(i, len.l)]) : v, rt.pc);
          }
        });
        return new LV(out, NONE);
      }
      const it = iterate(rt, source);
      let i = 0;
      const saved = rt.pc;
      try {
        for (let step = it.next(); !step.done; step = it.next()) {
          rt.raise(step.l);
          out.shape = rt.join(out.shape, step.l);
          pushItem(rt, out, mapFn.v !== undefined ? callFunction(rt, mapFn, UNDEF, [step.value, new LV(i, step.l)]) : step.value, rt.pc);
          i++;
        }
      } finally {
        rt.restore(saved);
      }
      return new LV(out, NONE);
    },
  });

  realm.methods(realm.ArrayProto, {
    push: (rt, self, args) => {
      const a = needArray(rt, self, 'push');
      for (const x of args) pushItem(rt, a, x, rt.join(rt.pc, self.l));
      return new LV(a.items.length, lengthLabel(rt, self, a));
    },
    pop: (rt, self) => {
      const a = needArray(rt, self, 'pop');
      rt.nsu(a.shape, rt.join(rt.pc, self.l), 'an array\'s length');
      const x = a.items.pop();
      return x ? new LV(x.v, rt.join(x.l, lengthLabel(rt, self, a))) : new LV(undefined, lengthLabel(rt, self, a));
    },
    shift: (rt, self) => {
      const a = needArray(rt, self, 'shift');
      const ctx = rewriteAll(rt, self, a, 'shift');
      const x = a.items.shift();
      a.items = a.items.map((y) => new LV(y.v, rt.join(y.l, ctx)));
      return x ? new LV(x.v, rt.join(x.l, lengthLabel(rt, self, a))) : new LV(undefined, lengthLabel(rt, self, a));
    },
    unshift: (rt, self, args) => {
      const a = needArray(rt, self, 'unshift');
      const ctx = rewriteAll(rt, self, a, 'unshift');
      a.items = [...args, ...a.items].map((y) => new LV(y.v, rt.join(y.l, ctx)));
      return new LV(a.items.length, lengthLabel(rt, self, a));
    },
    splice: (rt, self, args) => {
      const a = needArray(rt, self, 'splice');
      const ctx = rt.join(rewriteAll(rt, self, a, 'splice'), rt.join(arg(args, 0).l, arg(args, 1).l));
      const start = relIndex(toNum(rt, arg(args, 0)).v as number, a.items.length);
      const count = args.length < 2 ? a.items.length - start : Math.max(0, Math.min(a.items.length - start, Math.trunc((toNum(rt, arg(args, 1)).v as number) || 0)));
      const removed = a.items.splice(start, count, ...args.slice(2));
      a.shape = rt.join(a.shape, ctx);
      a.items = a.items.map((y) => new LV(y.v, rt.join(y.l, ctx)));
      return new LV(rt.realm.makeArray(removed.map((y) => new LV(y.v, rt.join(y.l, ctx))), ctx), NONE);
    },
    slice: (rt, self, args) => {
      const a = needArray(rt, self, 'slice');
      const len = a.items.length;
      const s = args[0] && args[0].v !== undefined ? toNum(rt, args[0]) : new LV(0, NONE);
      const e = args[1] && args[1].v !== undefined ? toNum(rt, args[1]) : new LV(len, NONE);
      const l = rt.join(lengthLabel(rt, self, a), rt.join(s.l, e.l));
      const items = a.items.slice(relIndex(s.v as number, len), relIndex(e.v as number, len)).map((x) => new LV(x.v, rt.join(x.l, l)));
      return new LV(rt.realm.makeArray(items, rt.join(rt.pc, l)), NONE);
    },
    concat: (rt, self, args) => {
      const a = needArray(rt, self, 'concat');
      let l = lengthLabel(rt, self, a);
      const items = a.items.map((x) => new LV(x.v, rt.join(x.l, self.l)));
      for (const x of args) {
        if (x.v instanceof GArray) {
          l = rt.join(l, rt.join(x.l, x.v.shape));
          for (const y of x.v.items) items.push(new LV(y.v, rt.join(y.l, l)));
        } else items.push(new LV(x.v, rt.join(x.l, l)));
      }
      return new LV(rt.realm.makeArray(items, rt.join(rt.pc, l)), NONE);
    },
    join: (rt, self, args) => {
      const a = needArray(rt, self, 'join');
      const sep = args[0] && args[0].v !== undefined ? toStr(rt, args[0]) : new LV(',', NONE);
      let l = rt.join(lengthLabel(rt, self, a), sep.l);
      const parts = a.items.map((x) => {
        if (x.v === undefined || x.v === null) {
          l = rt.join(l, x.l);
          return '';
        }
        const s = toStr(rt, x);
        l = rt.join(l, s.l);
        return s.v as string;
      });
      const text = parts.join(sep.v as string);
      if (text.length > rt.realm.maxString) rt.throwError('RangeError', 'string too long', l);
      return new LV(text, l);
    },
    reverse: (rt, self) => {
      const a = needArray(rt, self, 'reverse');
      rewriteAll(rt, self, a, 'reverse');
      a.items.reverse();
      return self;
    },
    sort: (rt, self, args) => {
      const a = needArray(rt, self, 'sort');
      const ctx = rewriteAll(rt, self, a, 'sort');
      const cmp = arg(args, 0);
      if (cmp.v !== undefined) needFunction(rt, cmp, 'the comparator of sort');
      const { sorted, l } = underDecision(rt, lengthLabel(rt, self, a), cmp.v !== undefined ? cmp : undefined, () => sortItems(rt, a.items, cmp));
      a.items = sorted.map((x) => new LV(x.v, rt.join(x.l, ctx)));
      a.shape = rt.join(a.shape, l);
      return self;
    },
    toSorted: (rt, self, args) => {
      const a = needArray(rt, self, 'toSorted');
      const cmp = arg(args, 0);
      const { sorted, l } = underDecision(rt, lengthLabel(rt, self, a), cmp.v !== undefined ? cmp : undefined, () => sortItems(rt, a.items, cmp));
      const base = rt.join(lengthLabel(rt, self, a), l);
      return new LV(rt.realm.makeArray(sorted.map((x) => new LV(x.v, rt.join(x.l, base))), rt.join(rt.pc, base)), NONE);
    },
    toReversed: (rt, self) => {
      const a = needArray(rt, self, 'toReversed');
      const l = lengthLabel(rt, self, a);
      return new LV(rt.realm.makeArray([...a.items].reverse().map((x) => new LV(x.v, rt.join(x.l, l))), rt.join(rt.pc, l)), NONE);
    },
    indexOf: (rt, self, args) => search(rt, self, args, 'indexOf'),
    lastIndexOf: (rt, self, args) => search(rt, self, args, 'lastIndexOf'),
    includes: (rt, self, args) => search(rt, self, args, 'includes'),
    at: (rt, self, args) => {
      const a = needArray(rt, self, 'at');
      const n = toNum(rt, arg(args, 0));
      const i = Math.trunc((n.v as number) || 0);
      const idx = i < 0 ? a.items.length + i : i;
      const l = rt.join(lengthLabel(rt, self, a), n.l);
      return idx >= 0 && idx < a.items.length ? item(rt, a, idx, l) : new LV(undefined, l);
    },
    forEach: (rt, self, args) => {
      forEachItem(rt, self, arg(args, 0), 'forEach', () => {});
      return UNDEF;
    },
    map: (rt, self, args) => {
      const a = needArray(rt, self, 'map');
      const out: LV[] = [];
      forEachItem(rt, self, arg(args, 0), 'map', (_v, r) => {
        out.push(r);
      });
      return new LV(rt.realm.makeArray(out, rt.join(rt.pc, lengthLabel(rt, self, a))), NONE);
    },
    filter: (rt, self, args) => {
      const a = needArray(rt, self, 'filter');
      const kept: LV[] = [];
      let l = lengthLabel(rt, self, a);
      forEachItem(rt, self, arg(args, 0), 'filter', (v, r) => {
        l = rt.join(l, r.l);
        if (truthy(r)) kept.push(v);
      });
      return new LV(rt.realm.makeArray(kept.map((x) => new LV(x.v, rt.join(x.l, l))), rt.join(rt.pc, l)), NONE);
    },
    find: (rt, self, args) => findIn(rt, self, args, 'find'),
    findIndex: (rt, self, args) => findIn(rt, self, args, 'findIndex'),
    findLast: (rt, self, args) => findIn(rt, self, args, 'findLast'),
    findLastIndex: (rt, self, args) => findIn(rt, self, args, 'findLastIndex'),
    some: (rt, self, args) => {
      const a = needArray(rt, self, 'some');
      let l = lengthLabel(rt, self, a);
      let found = false;
      forEachItem(rt, self, arg(args, 0), 'some', (_v, r) => {
        l = rt.join(l, r.l);
        if (truthy(r)) {
          found = true;
          return false;
        }
      }, true);
      return new LV(found, l);
    },
    every: (rt, self, args) => {
      const a = needArray(rt, self, 'every');
      let l = lengthLabel(rt, self, a);
      let all = true;
      forEachItem(rt, self, arg(args, 0), 'every', (_v, r) => {
        l = rt.join(l, r.l);
        if (!truthy(r)) {
          all = false;
          return false;
        }
      }, true);
      return new LV(all, l);
    },
    reduce: (rt, self, args) => reduce(rt, self, args, false),
    reduceRight: (rt, self, args) => reduce(rt, self, args, true),
    flat: (rt, self, args) => {
      const a = needArray(rt, self, 'flat');
      const depth = args[0] && args[0].v !== undefined ? toNum(rt, args[0]) : new LV(1, NONE);
      const out: LV[] = [];
      const l = flatten(rt, a.items, (depth.v as number) || 0, out, rt.join(lengthLabel(rt, self, a), depth.l));
      return new LV(rt.realm.makeArray(out.map((x) => new LV(x.v, rt.join(x.l, l))), rt.join(rt.pc, l)), NONE);
    },
    flatMap: (rt, self, args) => {
      const a = needArray(rt, self, 'flatMap');
      const mapped: LV[] = [];
      forEachItem(rt, self, arg(args, 0), 'flatMap', (_v, r) => {
        mapped.push(r);
      });
      const out: LV[] = [];
      const l = flatten(rt, mapped, 1, out, lengthLabel(rt, self, a));
      return new LV(rt.realm.makeArray(out.map((x) => new LV(x.v, rt.join(x.l, l))), rt.join(rt.pc, l)), NONE);
    },
    fill: (rt, self, args) => {
      const a = needArray(rt, self, 'fill');
      const ctx = rewriteAll(rt, self, a, 'fill');
      const v = arg(args, 0);
      const len = a.items.length;
      const s = args[1] && args[1].v !== undefined ? toNum(rt, args[1]) : new LV(0, NONE);
      const e = args[2] && args[2].v !== undefined ? toNum(rt, args[2]) : new LV(len, NONE);
      const l = rt.join(ctx, rt.join(s.l, e.l));
      for (let i = relIndex(s.v as number, len); i < relIndex(e.v as number, len); i++) a.items[i] = new LV(v.v, rt.join(v.l, l));
      a.items = a.items.map((x) => new LV(x.v, rt.join(x.l, l)));
      return self;
    },
    keys: (rt, self) => rt.realm.arrayIterator(self, 'keys'),
    values: (rt, self) => rt.realm.arrayIterator(self, 'values'),
    entries: (rt, self) => rt.realm.arrayIterator(self, 'entries'),
    toString: (rt: Runtime, self: LV) => {
      const a = needArray(rt, self, 'toString');
      return rt.realm.call(new LV(rt.realm.ArrayProto.props.get('join')!.v, NONE), new LV(a, self.l), []);
    },
    with: (rt, self, args) => {
      const a = needArray(rt, self, 'with');
      const n = toNum(rt, arg(args, 0));
      const i = Math.trunc(n.v as number);
      const idx = i < 0 ? a.items.length + i : i;
      if (!(idx >= 0 && idx < a.items.length)) rt.throwError('RangeError', 'index out of range', n.l);
      const l = rt.join(lengthLabel(rt, self, a), n.l);
      const items = a.items.map((x) => new LV(x.v, rt.join(x.l, l)));
      items[idx] = new LV(arg(args, 1).v, rt.join(arg(args, 1).l, l));
      return new LV(rt.realm.makeArray(items, rt.join(rt.pc, l)), NONE);
    },
  });
}

function search(rt: Runtime, self: LV, args: LV[], kind: 'indexOf' | 'lastIndexOf' | 'includes'): LV {
  const a = needArray(rt, self, kind);
  const target = arg(args, 0);
  let l = rt.join(lengthLabel(rt, self, a), target.l);
  const order = kind === 'lastIndexOf' ? [...a.items.keys()].reverse() : [...a.items.keys()];
  for (const i of order) {
    const x = a.items[i];
    l = rt.join(l, x.l);
    const same = kind === 'includes' ? (x.v === target.v || (Number.isNaN(x.v) && Number.isNaN(target.v))) : binary(rt, '===', x, target).v;
    if (same) return new LV(kind === 'includes' ? true : i, l);
  }
  return new LV(kind === 'includes' ? false : -1, l);
}

function findIn(rt: Runtime, self: LV, args: LV[], kind: 'find' | 'findIndex' | 'findLast' | 'findLastIndex'): LV {
  const a = needArray(rt, self, kind);
  const fnArg = arg(args, 0);
  needFunction(rt, fnArg, `the callback of ${kind}`);
  const last = kind === 'findLast' || kind === 'findLastIndex';
  const wantIndex = kind === 'findIndex' || kind === 'findLastIndex';
  let l = lengthLabel(rt, self, a);
  return underDecision(rt, l, fnArg, () => {
    const n = a.items.length;
    for (let k = 0; k < n; k++) {
      const i = last ? n - 1 - k : k;
      decidedBy(rt, lengthLabel(rt, self, a), fnArg);
      if (i >= a.items.length) continue;
      const value = item(rt, a, i, l);
      const r = callFunction(rt, fnArg, UNDEF, [value, new LV(i, l), self]);
      l = rt.join(l, r.l);
      decidedBy(rt, r.l, fnArg);
      if (truthy(r)) return wantIndex ? new LV(i, l) : new LV(value.v, rt.join(value.l, l));
    }
    return new LV(wantIndex ? -1 : undefined, l);
  });
}

function reduce(rt: Runtime, self: LV, args: LV[], right: boolean): LV {
  const a = needArray(rt, self, right ? 'reduceRight' : 'reduce');
  const fnArg = arg(args, 0);
  needFunction(rt, fnArg, 'the callback of reduce');
  const l = lengthLabel(rt, self, a);
  return underDecision(rt, l, fnArg, () => {
    const order = right ? [...a.items.keys()].reverse() : [...a.items.keys()];
    let acc: LV;
    let start = 0;
    if (args.length >= 2) acc = args[1];
    else {
      if (order.length === 0) rt.throwError('TypeError', 'reduce of an empty array with no initial value', l);
      acc = item(rt, a, order[0], l);
      start = 1;
    }
    for (let k = start; k < order.length; k++) {
      const i = order[k];
      decidedBy(rt, lengthLabel(rt, self, a), fnArg);
      if (i >= a.items.length) continue;
      acc = callFunction(rt, fnArg, UNDEF, [acc, item(rt, a, i, l), new LV(i, l), self]);
    }
    return new LV(acc.v, rt.join(acc.l, l));
  });
}

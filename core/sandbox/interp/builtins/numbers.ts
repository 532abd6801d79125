/**
 * Number, Boolean, BigInt, Math and the global number functions. Results carry the labels of
 * their inputs; `Math.random()` carries none (randomness tells nothing about the data).
 */
import { guard, toNum, toPrimitive, toStr, truthy } from '../coerce.ts';
import { NONE } from '../labels.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { LV, type NativeFn } from '../values.ts';
import { toNative } from '../serialize.ts';
import { arg, joinAll } from './util.ts';

function thisNumber(rt: Runtime, self: LV, name: string): LV {
  if (typeof self.v !== 'number') rt.throwError('TypeError', `Number.prototype.${name} needs a number`, self.l);
  return self;
}

/** A function of numbers: converts every argument, calls the native, joins the labels. */
function numeric(f: (...xs: number[]) => unknown): NativeFn {
  return (rt, _self, args) => {
    const nums = args.map((a) => toNum(rt, a));
    const l = joinAll(rt, nums);
    return new LV(guard(rt, l, () => f(...nums.map((n) => n.v as number))) as number, l);
  };
}

/** Locale formatting options, as plain data (a program object is read, never handed to the engine). */
function options(rt: Runtime, x: LV): { value: unknown; l: number } {
  if (x.v === undefined) return { value: undefined, l: NONE };
  return toNative(rt, x, 'json');
}

export function installNumbers(realm: Realm): void {
  realm.methods(realm.NumberProto, {
    toFixed: (rt, self, args) => {
      const n = thisNumber(rt, self, 'toFixed');
      const d = toNum(rt, arg(args, 0));
      const l = rt.join(n.l, d.l);
      return new LV(guard(rt, l, () => (n.v as number).toFixed(d.v as number)), l);
    },
    toPrecision: (rt, self, args) => {
      const n = thisNumber(rt, self, 'toPrecision');
      const d = args[0] && args[0].v !== undefined ? toNum(rt, args[0]) : new LV(undefined, NONE);
      const l = rt.join(n.l, d.l);
      return new LV(guard(rt, l, () => (n.v as number).toPrecision(d.v as number | undefined)), l);
    },
    toString: (rt: Runtime, self: LV, args: LV[]) => {
      const n = thisNumber(rt, self, 'toString');
      const radix = args[0] && args[0].v !== undefined ? toNum(rt, args[0]) : new LV(10, NONE);
      const l = rt.join(n.l, radix.l);
      return new LV(guard(rt, l, () => (n.v as number).toString(radix.v as number)), l);
    },
    toLocaleString: (rt: Runtime, self: LV, args: LV[]) => {
      const n = thisNumber(rt, self, 'toLocaleString');
      const locale = args[0] && args[0].v !== undefined ? toStr(rt, args[0]) : new LV(undefined, NONE);
      const opts = options(rt, arg(args, 1));
      const l = rt.join(rt.join(n.l, locale.l), opts.l);
      return new LV(guard(rt, l, () => (n.v as number).toLocaleString(locale.v as string | undefined, opts.value as Intl.NumberFormatOptions)), l);
    },
    valueOf: (rt: Runtime, self: LV) => thisNumber(rt, self, 'valueOf'),
  });
  realm.methods(realm.BooleanProto, {
    toString: (rt: Runtime, self: LV) => new LV(String(self.v), self.l),
    valueOf: (_rt: Runtime, self: LV) => self,
  });
  realm.methods(realm.BigIntProto, {
    toString: (rt: Runtime, self: LV, args: LV[]) => {
      const radix = args[0] && args[0].v !== undefined ? toNum(rt, args[0]) : new LV(10, NONE);
      const l = rt.join(self.l, radix.l);
      return new LV(guard(rt, l, () => (self.v as bigint).toString(radix.v as number)), l);
    },
    toLocaleString: (rt: Runtime, self: LV) => new LV((self.v as bigint).toLocaleString(), self.l),
    valueOf: (_rt: Runtime, self: LV) => self,
  });

  const parseIntFn: NativeFn = (rt, _s, args) => {
    const s = toStr(rt, arg(args, 0));
    const radix = args[1] && args[1].v !== undefined ? toNum(rt, args[1]) : new LV(undefined, NONE);
    return new LV(parseInt(s.v as string, radix.v as number | undefined), rt.join(s.l, radix.l));
  };
  const parseFloatFn: NativeFn = (rt, _s, args) => {
    const s = toStr(rt, arg(args, 0));
    return new LV(parseFloat(s.v as string), s.l);
  };
  const isNaNFn = numeric((x) => Number.isNaN(x));
  const isFiniteFn = numeric((x) => Number.isFinite(x));
  const num = (f: (x: unknown) => boolean): NativeFn => (_rt, _s, args) => new LV(f(arg(args, 0).v), arg(args, 0).l);

  const NumberCtor = realm.ctor('Number', (rt, _self, args, newTarget) => {
    if (newTarget) rt.throwError('TypeError', 'Number objects are outside the subset; use Number(x)', NONE);
    if (!args.length) return new LV(0, NONE);
    const p = toPrimitive(rt, args[0], 'number');
    if (typeof p.v === 'bigint') return new LV(Number(p.v), p.l);
    return toNum(rt, p);
  }, undefined, {
    isInteger: num(Number.isInteger),
    isSafeInteger: num(Number.isSafeInteger),
    isFinite: num(Number.isFinite),
    isNaN: num(Number.isNaN),
    parseInt: parseIntFn,
    parseFloat: parseFloatFn,
  });
  NumberCtor.frozen = false;
  realm.constants(NumberCtor, {
    MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER, MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER, EPSILON: Number.EPSILON,
    MAX_VALUE: Number.MAX_VALUE, MIN_VALUE: Number.MIN_VALUE, POSITIVE_INFINITY: Infinity, NEGATIVE_INFINITY: -Infinity, NaN: NaN,
  });
  NumberCtor.frozen = true;

  realm.ctor('Boolean', (rt, _self, args, newTarget) => {
    if (newTarget) rt.throwError('TypeError', 'Boolean objects are outside the subset; use Boolean(x)', NONE);
    const x = arg(args, 0);
    return new LV(truthy(x), x.l);
  }, undefined);

  realm.ctor('BigInt', (rt, _self, args, newTarget) => {
    if (newTarget) rt.throwError('TypeError', 'BigInt is not a constructor', NONE);
    const p = toPrimitive(rt, arg(args, 0), 'number');
    return new LV(guard(rt, p.l, () => BigInt(p.v as string | number | bigint | boolean)), p.l);
  }, undefined);

  realm.global('parseInt', realm.fn('parseInt', parseIntFn));
  realm.global('parseFloat', realm.fn('parseFloat', parseFloatFn));
  realm.global('isNaN', realm.fn('isNaN', isNaNFn));
  realm.global('isFinite', realm.fn('isFinite', isFiniteFn));

  const math = realm.makeObject(NONE);
  const names = ['abs', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'atan2', 'cbrt', 'ceil', 'clz32', 'cos', 'cosh', 'exp', 'expm1',
    'floor', 'fround', 'hypot', 'imul', 'log', 'log1p', 'log10', 'log2', 'max', 'min', 'pow', 'round', 'sign', 'sin', 'sinh', 'sqrt',
    'tan', 'tanh', 'trunc'] as const;
  const defs: Record<string, NativeFn> = {};
  for (const name of names) defs[name] = numeric(Math[name] as (...xs: number[]) => number);
  defs.random = () => new LV(Math.random(), NONE);
  realm.methods(math, defs);
  realm.constants(math, { PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E, SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2 });
  math.frozen = true;
  realm.global('Math', math);
}

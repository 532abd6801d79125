/**
 * Date. The time inside a Date is a labelled value; setters write it (no-sensitive-upgrade
 * applies). The clock (`Date.now()`, `new Date()`) is labelled with every label any decision of
 * this run has depended on: how much time has passed could tell which way those went.
 */
import { guard, toNum, toPrimitive, toStr } from '../coerce.ts';
import { NONE } from '../labels.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { toNative } from '../serialize.ts';
import { GObject, LV, type NativeFn } from '../values.ts';
import { joinAll } from './util.ts';

interface DateState {
  t: LV;
}

function thisDate(rt: Runtime, self: LV, name: string): { state: DateState; l: number } {
  if (!(self.v instanceof GObject) || self.v.cls !== 'Date') rt.throwError('TypeError', `Date.prototype.${name} called on something that is not a Date`, self.l);
  const state = self.v.internal as DateState;
  return { state, l: rt.join(self.l, state.t.l) };
}

function clock(rt: Runtime): LV {
  return new LV(Date.now(), rt.everPc);
}

function makeDate(rt: Runtime, t: LV, proto: GObject): GObject {
  const d = new GObject(proto, rt.pc, 'Date');
  d.internal = { t } satisfies DateState;
  return d;
}

const GETTERS = ['getTime', 'valueOf', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds',
  'getMilliseconds', 'getUTCFullYear', 'getUTCMonth', 'getUTCDate', 'getUTCDay', 'getUTCHours', 'getUTCMinutes', 'getUTCSeconds',
  'getUTCMilliseconds', 'getTimezoneOffset', 'toISOString', 'toJSON', 'toString', 'toDateString', 'toTimeString', 'toUTCString'] as const;
const SETTERS = ['setTime', 'setMilliseconds', 'setSeconds', 'setMinutes', 'setHours', 'setDate', 'setMonth', 'setFullYear',
  'setUTCMilliseconds', 'setUTCSeconds', 'setUTCMinutes', 'setUTCHours', 'setUTCDate', 'setUTCMonth', 'setUTCFullYear'] as const;
const LOCALE = ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'] as const;

export function installDate(realm: Realm): void {
  const defs: Record<string, NativeFn> = {};
  for (const name of GETTERS) {
    defs[name] = (rt, self) => {
      const { state, l } = thisDate(rt, self, name);
      const method = Date.prototype[name] as (this: Date) => unknown;
      return new LV(guard(rt, l, () => method.call(new Date(state.t.v as number))) as string, l);
    };
  }
  for (const name of SETTERS) {
    defs[name] = (rt, self, args) => {
      const { state, l } = thisDate(rt, self, name);
      const nums = args.map((a) => toNum(rt, a));
      const ctx = rt.join(rt.pc, self.l);
      rt.nsu(state.t.l, ctx, 'the time of a Date');
      const d = new Date(state.t.v as number);
      const method = Date.prototype[name] as (this: Date, ...xs: number[]) => number;
      const t = method.apply(d, nums.map((n) => n.v as number));
      state.t = new LV(t, joinAll(rt, nums, rt.join(ctx, l)));
      return new LV(t, state.t.l);
    };
  }
  for (const name of LOCALE) {
    defs[name] = (rt, self, args) => {
      const { state, l } = thisDate(rt, self, name);
      const locale = args[0] && args[0].v !== undefined ? toStr(rt, args[0]) : new LV(undefined, NONE);
      const opts = args[1] && args[1].v !== undefined ? toNative(rt, args[1], 'json') : { value: undefined, l: NONE };
      const all = rt.join(rt.join(l, locale.l), opts.l);
      const method = Date.prototype[name] as (this: Date, locale?: string, options?: unknown) => string;
      return new LV(guard(rt, all, () => method.call(new Date(state.t.v as number), locale.v as string | undefined, opts.value)), all);
    };
  }
  realm.methods(realm.DateProto, defs);

  const construct: NativeFn = (rt, _self, args, newTarget) => {
    if (!newTarget) {
      const now = clock(rt);
      return new LV(new Date(now.v as number).toString(), now.l);
    }
    const proto = rt.realm.instanceProto(newTarget);
    if (args.length === 0) return new LV(makeDate(rt, clock(rt), proto), NONE);
    if (args.length === 1) {
      const a = args[0];
      if (a.v instanceof GObject && a.v.cls === 'Date') return new LV(makeDate(rt, (a.v.internal as DateState).t, proto), NONE);
      const p = toPrimitive(rt, a);
      const t = typeof p.v === 'string' ? Date.parse(p.v) : Number(p.v);
      return new LV(makeDate(rt, new LV(new Date(t).getTime(), rt.join(p.l, a.l)), proto), NONE);
    }
    const nums = args.map((a) => toNum(rt, a));
    const t = new Date(...(nums.map((n) => n.v as number) as [number, number])).getTime();
    return new LV(makeDate(rt, new LV(t, joinAll(rt, nums)), proto), NONE);
  };
  realm.ctor('Date', construct, realm.DateProto, {
    now: (rt) => clock(rt),
    parse: (rt, _s, args) => {
      const s = toStr(rt, args[0] ?? new LV(undefined, NONE));
      return new LV(Date.parse(s.v as string), s.l);
    },
    UTC: (rt, _s, args) => {
      const nums = args.map((a) => toNum(rt, a));
      return new LV(Date.UTC(...(nums.map((n) => n.v as number) as [number])), joinAll(rt, nums));
    },
  });
}

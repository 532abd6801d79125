/**
 * String and String.prototype. Strings are primitives: a result carries the labels of the
 * string and of every argument. Regular expressions and replacement callbacks are handled here
 * (a callback runs once per match, under the labels that decide the matches).
 */
import { callFunction } from '../calls.ts';
import { guard, toNum, toPrimitive, toStr } from '../coerce.ts';
import { NONE } from '../labels.ts';
import { setProp } from '../props.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GFunction, GObject, LV, type NativeFn } from '../values.ts';
import { arg, joinAll, underDecision } from './util.ts';

const GENERIC = [
  'charAt', 'charCodeAt', 'codePointAt', 'at', 'indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith', 'slice',
  'substring', 'substr', 'toUpperCase', 'toLowerCase', 'toLocaleUpperCase', 'toLocaleLowerCase', 'trim', 'trimStart',
  'trimEnd', 'padStart', 'padEnd', 'repeat', 'concat', 'localeCompare', 'normalize', 'isWellFormed', 'toWellFormed',
] as const;

function thisString(rt: Runtime, self: LV, name: string): LV {
  if (self.v === undefined || self.v === null) rt.throwError('TypeError', `String.prototype.${name} called on ${self.v}`, self.l);
  return toStr(rt, self);
}

/** A regular expression argument: the object (for lastIndex) and a copy of its RegExp. */
function regexOf(rt: Runtime, x: LV): { obj: GObject; re: RegExp } | undefined {
  if (!(x.v instanceof GObject) || x.v.cls !== 'RegExp') return undefined;
  const re = rt.realm.regexpOf(x.v);
  const last = x.v.props.get('lastIndex');
  re.lastIndex = typeof last?.v === 'number' ? last.v : 0;
  return { obj: x.v, re };
}

/** Writes back `lastIndex` after a global or sticky expression was used. */
function syncLastIndex(rt: Runtime, x: LV, found: { obj: GObject; re: RegExp }, l: number): void {
  if (!found.re.global && !found.re.sticky) return;
  setProp(rt, new LV(found.obj, x.l), 'lastIndex', NONE, new LV(found.re.lastIndex, l));
}

function checkLength(rt: Runtime, expected: number, l: number): void {
  if (expected > rt.realm.maxString) rt.throwError('RangeError', `string too long (over ${rt.realm.maxString} characters)`, l);
}

export function installString(realm: Realm): void {
  const generic: Record<string, NativeFn> = {};
  for (const name of GENERIC) {
    generic[name] = (rt, self, args) => {
      const s = thisString(rt, self, name);
      const prims = args.map((a) => toPrimitive(rt, a, 'string'));
      const l = joinAll(rt, prims, s.l);
      if (name === 'repeat') checkLength(rt, (s.v as string).length * Math.max(0, Number(prims[0]?.v) || 0), l);
      if (name === 'padStart' || name === 'padEnd') checkLength(rt, Number(prims[0]?.v) || 0, l);
      const method = (String.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
      const out = guard(rt, l, () => method.apply(s.v, prims.map((p) => p.v)));
      return new LV(out as string, l);
    };
  }
  realm.methods(realm.StringProto, {
    ...generic,
    toString: (rt: Runtime, self: LV) => thisString(rt, self, 'toString'),
    valueOf: (rt: Runtime, self: LV) => thisString(rt, self, 'valueOf'),
    split: (rt, self, args) => {
      const s = thisString(rt, self, 'split');
      const sepArg = arg(args, 0);
      const limit = args[1] && args[1].v !== undefined ? toNum(rt, args[1]) : new LV(undefined, NONE);
      const re = regexOf(rt, sepArg);
      const sep = re ? re.re : sepArg.v === undefined ? undefined : (toStr(rt, sepArg).v as string);
      const l = rt.join(rt.join(s.l, sepArg.l), limit.l);
      const parts = guard(rt, l, () => (s.v as string).split(sep as string, limit.v as number | undefined));
      return rt.realm.arrayOf(parts, l, rt.join(rt.pc, l));
    },
    match: (rt, self, args) => {
      const s = thisString(rt, self, 'match');
      const x = arg(args, 0);
      const found = regexOf(rt, x) ?? { obj: undefined, re: new RegExp(x.v === undefined ? '(?:)' : String(toStr(rt, x).v)) };
      const l = rt.join(s.l, x.l);
      const m = guard(rt, l, () => (s.v as string).match(found.re));
      if (found.obj) syncLastIndex(rt, x, found as { obj: GObject; re: RegExp }, l);
      return matchResult(rt, m, l);
    },
    matchAll: (rt, self, args) => {
      const s = thisString(rt, self, 'matchAll');
      const x = arg(args, 0);
      const found = regexOf(rt, x);
      if (found && !found.re.global) rt.throwError('TypeError', 'matchAll needs a global (g) regular expression', x.l);
      const re = found ? new RegExp(found.re.source, found.re.flags) : new RegExp(String(toStr(rt, x).v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');
      const l = rt.join(s.l, x.l);
      const all = guard(rt, l, () => [...(s.v as string).matchAll(re)]);
      return rt.realm.listIterator(all.map((m) => matchResult(rt, m, l)), l);
    },
    search: (rt, self, args) => {
      const s = thisString(rt, self, 'search');
      const x = arg(args, 0);
      const found = regexOf(rt, x);
      const l = rt.join(s.l, x.l);
      return new LV(guard(rt, l, () => (s.v as string).search(found ? found.re : String(toStr(rt, x).v))), l);
    },
    replace: (rt, self, args) => replace(rt, self, args, false),
    replaceAll: (rt, self, args) => replace(rt, self, args, true),
  });

  realm.ctor('String', (rt, _self, args, newTarget) => {
    if (newTarget) rt.throwError('TypeError', 'String objects are outside the subset; use String(x)', NONE);
    return args.length ? toStr(rt, args[0]) : new LV('', NONE);
  }, undefined, {
    fromCharCode: (rt, _s, args) => {
      const nums = args.map((a) => toNum(rt, a));
      return new LV(String.fromCharCode(...nums.map((n) => n.v as number)), joinAll(rt, nums));
    },
    fromCodePoint: (rt, _s, args) => {
      const nums = args.map((a) => toNum(rt, a));
      const l = joinAll(rt, nums);
      return new LV(guard(rt, l, () => String.fromCodePoint(...nums.map((n) => n.v as number))), l);
    },
  });
}

/** A native match array → a program array with `index` and `input` like JavaScript's. */
function matchResult(rt: Runtime, m: RegExpMatchArray | null, l: number): LV {
  if (!m) return new LV(null, l);
  const arr = rt.realm.makeArray([...m].map((x) => new LV(x, l)), rt.join(rt.pc, l));
  if (m.index !== undefined) arr.props.set('index', new LV(m.index, l));
  if (m.input !== undefined) arr.props.set('input', new LV(m.input, l));
  if (m.groups) {
    const groups = rt.realm.makeObject(l);
    for (const [k, v] of Object.entries(m.groups)) groups.props.set(k, new LV(v, l));
    arr.props.set('groups', new LV(groups, l));
  }
  return new LV(arr, NONE);
}

function replace(rt: Runtime, self: LV, args: LV[], all: boolean): LV {
  const s = thisString(rt, self, all ? 'replaceAll' : 'replace');
  const patternArg = arg(args, 0);
  const replacement = arg(args, 1);
  const found = regexOf(rt, patternArg);
  if (all && found && !found.re.global) rt.throwError('TypeError', 'replaceAll needs a global (g) regular expression', patternArg.l);
  const pattern = found ? found.re : (toStr(rt, patternArg).v as string);
  let l = rt.join(s.l, patternArg.l);
  let out: string;
  if (replacement.v instanceof GFunction) {
    out = underDecision(rt, l, replacement, () => {
      const cb = (...m: unknown[]) => {
        const r = toStr(rt, callFunction(rt, replacement, new LV(undefined, NONE), m.filter((x) => typeof x !== 'object' || x === null).map((x) => new LV(x as string, l))));
        l = rt.join(l, r.l);
        return r.v as string;
      };
      return guard(rt, l, () => (all ? (s.v as string).replaceAll(pattern, cb) : (s.v as string).replace(pattern, cb)));
    });
  } else {
    const r = toStr(rt, replacement);
    l = rt.join(l, r.l);
    out = guard(rt, l, () => (all ? (s.v as string).replaceAll(pattern, r.v as string) : (s.v as string).replace(pattern, r.v as string)));
  }
  if (found) syncLastIndex(rt, patternArg, found, l);
  checkLength(rt, out.length, l);
  return new LV(out, l);
}

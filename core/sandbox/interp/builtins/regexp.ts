/**
 * RegExp. A regular expression's `lastIndex` is a property like any other (a global `test` or
 * `exec` writes it, under the labels of what it searched).
 */
import { guard, toNum, toStr } from '../coerce.ts';
import { NONE } from '../labels.ts';
import { setProp } from '../props.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GObject, LV } from '../values.ts';
import { arg } from './util.ts';

function thisRegExp(rt: Runtime, self: LV, name: string): { obj: GObject; re: RegExp } {
  if (!(self.v instanceof GObject) || self.v.cls !== 'RegExp') rt.throwError('TypeError', `RegExp.prototype.${name} called on something that is not a RegExp`, self.l);
  const obj = self.v;
  const re = rt.realm.regexpOf(obj);
  const last = toNum(rt, obj.props.get('lastIndex') ?? new LV(0, NONE));
  re.lastIndex = last.v as number;
  return { obj, re };
}

function run(rt: Runtime, self: LV, args: LV[], name: 'exec' | 'test'): LV {
  const { obj, re } = thisRegExp(rt, self, name);
  const s = toStr(rt, arg(args, 0));
  const l = rt.join(rt.join(self.l, obj.shape), rt.join(s.l, obj.props.get('lastIndex')?.l ?? NONE));
  const m = guard(rt, l, () => re.exec(s.v as string));
  if (re.global || re.sticky) setProp(rt, self, 'lastIndex', NONE, new LV(re.lastIndex, l));
  if (name === 'test') return new LV(m !== null, l);
  if (!m) return new LV(null, l);
  const arr = rt.realm.makeArray([...m].map((x) => new LV(x, l)), rt.join(rt.pc, l));
  arr.props.set('index', new LV(m.index, l));
  arr.props.set('input', new LV(m.input, l));
  if (m.groups) {
    const groups = rt.realm.makeObject(l);
    for (const [k, v] of Object.entries(m.groups)) groups.props.set(k, new LV(v, l));
    arr.props.set('groups', new LV(groups, l));
  }
  return new LV(arr, NONE);
}

export function installRegExp(realm: Realm): void {
  realm.methods(realm.RegExpProto, {
    exec: (rt, self, args) => run(rt, self, args, 'exec'),
    test: (rt, self, args) => run(rt, self, args, 'test'),
    toString: (rt: Runtime, self: LV) => {
      const { re } = thisRegExp(rt, self, 'toString');
      return new LV(String(re), self.l);
    },
  });
  realm.ctor('RegExp', (rt, _self, args, newTarget) => {
    const source = arg(args, 0);
    const flags = args[1] && args[1].v !== undefined ? toStr(rt, args[1]) : new LV('', NONE);
    let pattern: LV;
    if (source.v instanceof GObject && source.v.cls === 'RegExp') pattern = new LV(rt.realm.regexpOf(source.v).source, source.l);
    else pattern = source.v === undefined ? new LV('(?:)', source.l) : toStr(rt, source);
    const l = rt.join(pattern.l, flags.l);
    guard(rt, l, () => new RegExp(pattern.v as string, flags.v as string));
    const re = rt.realm.makeRegExp(pattern.v as string, flags.v as string, rt.join(rt.pc, l));
    void newTarget;
    return new LV(re, NONE);
  }, realm.RegExpProto);
}

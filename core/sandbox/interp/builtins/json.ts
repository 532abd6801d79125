/**
 * JSON. `parse` labels every part of the result with the text's labels; `stringify` carries every
 * label of what it read. A reviver or replacer is a program callback, called per key under the
 * labels of the data it walks.
 */
import { callFunction } from '../calls.ts';
import { guard, toNum, toStr } from '../coerce.ts';
import { NONE } from '../labels.ts';
import { ownEntries } from '../props.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { fromNative, toNative } from '../serialize.ts';
import { GArray, GFunction, GObject, LV } from '../values.ts';
import { upgradeCallee } from '../regions.ts';
import { arg, underDecision } from './util.ts';

/** Applies a replacer function bottom-up, as JSON.stringify does, building a new value. */
function replaceWith(rt: Runtime, replacer: LV, holder: LV, key: string, value: LV, depth: number): LV {
  if (depth > 200) rt.throwError('RangeError', 'the value nests too deeply', value.l);
  const replaced = callFunction(rt, replacer, holder, [new LV(key, holder.l), value]);
  const v = replaced.v;
  if (!(v instanceof GObject) || v instanceof GFunction || v.cls !== 'Object' && !(v instanceof GArray)) return replaced;
  // Which keys are walked next is decided by what the replacer returned.
  if (!rt.L.subset(replaced.l, rt.pc)) {
    rt.raise(replaced.l);
    upgradeCallee(rt, replacer, rt.pc);
  }
  const copy = v instanceof GArray ? rt.realm.makeArray([], rt.join(rt.pc, v.shape)) : rt.realm.makeObject(rt.join(rt.pc, v.shape));
  const ref = new LV(copy, replaced.l);
  for (const [k, item] of ownEntries(rt, v)) {
    const r = replaceWith(rt, replacer, ref, k, item, depth + 1);
    if (copy instanceof GArray) copy.items.push(r);
    else if (r.v !== undefined) copy.props.set(k, r);
  }
  return ref;
}

function revive(rt: Runtime, reviver: LV, holder: LV, key: string, value: LV, depth: number): LV {
  if (depth > 200) rt.throwError('RangeError', 'the value nests too deeply', value.l);
  const v = value.v;
  if (v instanceof GObject && !(v instanceof GFunction)) {
    for (const [k, item] of ownEntries(rt, v)) {
      const r = revive(rt, reviver, value, k, item, depth + 1);
      // Whether the key stays is the reviver's decision: the key set carries its labels.
      v.shape = rt.join(v.shape, rt.join(r.l, rt.pc));
      if (v instanceof GArray) v.items[Number(k)] = r;
      else if (r.v === undefined) v.props.delete(k);
      else v.props.set(k, r);
    }
  }
  return callFunction(rt, reviver, holder, [new LV(key, holder.l), value]);
}

export function installJson(realm: Realm): void {
  const json = realm.makeObject(NONE);
  realm.methods(json, {
    parse: (rt, _s, args) => {
      const text = toStr(rt, arg(args, 0));
      const data = guard(rt, text.l, () => JSON.parse(text.v as string));
      const value = fromNative(rt, data, { base: text.l, fields: [] });
      const reviver = arg(args, 1);
      if (!(reviver.v instanceof GFunction)) return value;
      const root = new LV(rt.realm.makeObject(rt.pc), NONE);
      return underDecision(rt, text.l, reviver, () => revive(rt, reviver, root, '', value, 0));
    },
    stringify: (rt, _s, args) => {
      let value = arg(args, 0);
      const replacer = arg(args, 1);
      const space = arg(args, 2);
      if (replacer.v instanceof GFunction) {
        const root = new LV(rt.realm.makeObject(rt.pc), NONE);
        value = underDecision(rt, value.l, replacer, () => replaceWith(rt, replacer, root, '', value, 0));
      }
      const out = toNative(rt, value, 'json');
      let keys: string[] | undefined;
      let l = out.l;
      if (replacer.v instanceof GArray) {
        keys = replacer.v.items.map((k) => {
          const s = toStr(rt, k);
          l = rt.join(l, s.l);
          return s.v as string;
        });
        l = rt.join(l, rt.join(replacer.l, replacer.v.shape));
      }
      let indent: string | number | undefined;
      if (typeof space.v === 'number') indent = Math.min(10, (toNum(rt, space).v as number) || 0);
      else if (typeof space.v === 'string') indent = space.v.slice(0, 10);
      l = rt.join(l, space.l);
      const text = JSON.stringify(out.value, keys ?? null, indent);
      return new LV(text, text === undefined ? NONE : l);
    },
  });
  json.frozen = true;
  realm.global('JSON', json);
}

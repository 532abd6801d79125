/**
 * Binding and destructuring: declarations, parameters, `catch (e)`, loop variables and
 * destructuring assignment. A default value is a region: it is evaluated only when the value
 * is `undefined`, so it (and the result) carries the labels of that finding.
 */
import type * as A from '../../lower/ast.ts';
import { toKey } from './coerce.ts';
import { enter, leave, type Gen } from './control.ts';
import { assignVar, declare, initialise } from './env.ts';
import { ev } from './eval.ts';
import { iterate } from './iterate.ts';
import { NONE } from './labels.ts';
import { getProp, ownEntries, setProp } from './props.ts';
import type { Runtime } from './runtime.ts';
import { Env, GObject, LV, UNDEF } from './values.ts';

export type BindMode = 'param' | 'init' | 'assign';

export function* bindPattern(rt: Runtime, p: A.Pattern, value: LV, env: Env, mode: BindMode): Gen<void> {
  switch (p.t) {
    case 'Ident':
      if (mode === 'param') declare(rt, env, p.name, 'param', value);
      else if (mode === 'init') initialise(rt, env, p.name, value);
      else assignVar(rt, env, p.name, value);
      return;
    case 'Default': {
      // Whether the default runs is decided by the value: what it would write is labelled either
      // way. The target is bound either way too, after the decision, with its labels.
      const region = enter(rt, value.l, p.value, env);
      let chosen = value;
      if (value.v === undefined) {
        const fallback = yield* ev(rt, p.value, env);
        if ((p.value.t === 'Fn' || p.value.t === 'Class') && p.target.t === 'Ident' && fallback.v instanceof GObject) rt.realm.nameFunction(fallback.v, p.target.name);
        chosen = new LV(fallback.v, rt.join(fallback.l, value.l));
      }
      leave(rt, region);
      yield* bindPattern(rt, p.target, chosen, env, mode);
      return;
    }
    case 'ObjPat': {
      if (value.v === undefined || value.v === null) rt.throwError('TypeError', `cannot destructure ${value.v}`, value.l);
      const used: string[] = [];
      for (const prop of p.props) {
        const key = typeof prop.key === 'string' ? new LV(prop.key, NONE) : toKey(rt, yield* ev(rt, prop.key, env));
        used.push(key.v as string);
        yield* bindPattern(rt, prop.value, getProp(rt, value, key.v as string, key.l), env, mode);
      }
      if (p.rest) {
        const rest = rt.realm.makeObject(rt.pc);
        const ref = new LV(rest, NONE);
        if (value.v instanceof GObject) {
          for (const [k, v] of ownEntries(rt, value.v)) if (!used.includes(k)) setProp(rt, ref, k, value.l, v);
          rest.shape = rt.join(rest.shape, rt.join(value.l, value.v.shape));
        }
        yield* bindPattern(rt, p.rest, ref, env, mode);
      }
      return;
    }
    case 'ArrPat': {
      const it = iterate(rt, value);
      let decided = value.l;
      for (const el of p.elems) {
        const step = it.next();
        decided = rt.join(decided, step.l);
        if (el) yield* bindPattern(rt, el, step.done ? new LV(undefined, decided) : step.value, env, mode);
      }
      if (p.rest) {
        const items: LV[] = [];
        for (let step = it.next(); !step.done; step = it.next()) {
          decided = rt.join(decided, step.l);
          items.push(step.value);
        }
        yield* bindPattern(rt, p.rest, new LV(rt.realm.makeArray(items, rt.join(rt.pc, decided)), NONE), env, mode);
      } else it.close();
      return;
    }
    case 'Member': {
      const obj = yield* ev(rt, p.obj, env);
      setProp(rt, obj, p.prop, NONE, value);
      return;
    }
    case 'Index': {
      const obj = yield* ev(rt, p.obj, env);
      const key = toKey(rt, yield* ev(rt, p.index, env));
      setProp(rt, obj, key.v as string, key.l, value);
      return;
    }
    case 'Private': {
      const obj = yield* ev(rt, p.obj, env);
      rt.realm.setPrivate(obj, p.name, value);
      return;
    }
  }
}

export { UNDEF };

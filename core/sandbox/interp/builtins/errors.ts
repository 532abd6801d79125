/**
 * Error types. An error made by the program carries its message's labels; `class X extends Error`
 * works (the error is made with the subclass's prototype).
 */
import { toStr } from '../coerce.ts';
import { NONE } from '../labels.ts';
import { getProp } from '../props.ts';
import type { Realm } from '../realm.ts';
import type { Runtime } from '../runtime.ts';
import { GObject, LV } from '../values.ts';
import { arg } from './util.ts';

export const ERROR_KINDS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'URIError', 'EvalError'];

export function installErrors(realm: Realm): void {
  const base = new GObject(realm.ObjectProto, NONE);
  realm.errorProtos.set('Error', base);
  for (const kind of ERROR_KINDS) {
    const proto = kind === 'Error' ? base : new GObject(base, NONE);
    realm.errorProtos.set(kind, proto);
    proto.props.set('name', new LV(kind, NONE));
    if (kind === 'EvalError') continue;
    realm.ctor(kind, (rt, _self, args, newTarget) => {
      const message = arg(args, 0).v === undefined ? new LV('', arg(args, 0).l) : toStr(rt, arg(args, 0));
      const e = rt.realm.makeError(kind, message.v as string, message.l, newTarget ? rt.realm.instanceProto(newTarget) : proto);
      e.shape = rt.join(e.shape, rt.pc);
      const options = arg(args, 1);
      if (options.v instanceof GObject && options.v.props.has('cause')) e.props.set('cause', getProp(rt, options, 'cause', NONE));
      if (newTarget?.klass) e.props.set('name', new LV(newTarget.name, NONE));
      return new LV(e, NONE);
    }, proto);
  }
  realm.methods(base, {
    toString: (rt: Runtime, self: LV) => {
      const name = toStr(rt, getProp(rt, self, 'name', NONE));
      const message = toStr(rt, getProp(rt, self, 'message', NONE));
      return new LV(message.v ? `${name.v}: ${message.v}` : (name.v as string), rt.join(name.l, message.l));
    },
  });
}

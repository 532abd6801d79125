/**
 * The guest side of the bridge: API calls leave as strings (the arguments' JSON, and per
 * argument the labels that reached it, plus the pc of the call); answers come back as strings
 * with the labels the host gives the response. The host decides every call; this side only
 * reports what the interpreter knows and waits.
 *
 * Invariant: nothing here is reachable from program code (the program is interpreted and sees
 * only `GObject`s); the host's callback and this link live in the interpreter's own scope.
 */
import { NONE } from './labels.ts';
import { deepLabel, ownEntries } from './props.ts';
import type { Runtime } from './runtime.ts';
import { fromNative, redactionMarker, toNative } from './serialize.ts';
import { GFunction, GObject, GPromise, LV } from './values.ts';

export interface HostCaps {
  argsChars: number;
  calls: number;
  consoleLines: number;
  consoleLine: number;
}

/** What the host sends back for one call. */
export interface Answer {
  ok: boolean;
  /** JSON text of the response body, or of `{name, message, code, status}` for an error. */
  body: string;
  /** Labels of the response: everywhere, and per field path. */
  labels?: { base: string[]; fields: { path: string[]; labels: string[] }[] };
}

interface Pending {
  promise: GPromise;
  /** What decided whether this call fails: the pc of the call and its arguments. */
  control: number;
}

export class HostLink {
  private readonly rt: Runtime;
  private readonly send: (kind: string, payload: string) => void;
  readonly caps: HostCaps;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private callsLeft: number;
  private consoleLeft: number;
  private wake: (() => void) | undefined;
  private inbox: { id: number; answer: Answer }[] = [];

  constructor(rt: Runtime, send: (kind: string, payload: string) => void, caps: HostCaps) {
    this.rt = rt;
    this.send = send;
    this.caps = caps;
    this.callsLeft = caps.calls;
    this.consoleLeft = caps.consoleLines;
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** `service.operation(args)`: reports the call to the host and returns its promise. */
  apiCall(f: GFunction, self: LV, args: LV[], direct: boolean, p: number): LV {
    const rt = this.rt;
    if (!direct) rt.concurrent = true;
    const name = f.operation!;
    const argv = args[0] ?? new LV(undefined, NONE);
    if (args.length > 1) rt.throwError('TypeError', `${name} takes one object of named arguments`, args[1].l);
    if (argv.v !== undefined && !(argv.v instanceof GObject && argv.v.cls === 'Object')) {
      rt.throwError('TypeError', `${name} takes one object of named arguments`, argv.l);
    }
    const callLabel = rt.join(rt.pc, self.l);
    const perArg: Record<string, string[]> = {};
    let payload = '{}';
    if (argv.v instanceof GObject) {
      const shape = rt.join(argv.l, argv.v.shape);
      for (const [key, value] of ownEntries(rt, argv.v)) perArg[key] = rt.L.list(rt.join(shape, deepLabel(rt, value)));
      perArg['*'] = rt.L.list(shape);
      payload = JSON.stringify(toNative(rt, argv, 'args').value);
    }
    if (payload.length > this.caps.argsChars) {
      rt.throwError('RangeError', `${name}: the arguments are ${payload.length} characters; calls carry at most ${this.caps.argsChars}`, deepLabel(rt, argv));
    }
    if (this.callsLeft < 0) rt.halt('limit', 'maxApiCalls', `stopped: more than ${this.caps.calls} API calls (maxApiCalls)`);
    this.callsLeft--;
    const id = this.nextId++;
    const promise = rt.scheduler.newPromise(rt.pc);
    const control = rt.join(callLabel, deepLabel(rt, argv));
    promise.control = control;
    this.pending.set(id, { promise, control });
    this.send('call', JSON.stringify({ id, operation: name, args: payload, labels: perArg, pc: rt.L.list(callLabel), at: p }));
    return new LV(promise, NONE);
  }

  /** The host's answer to call `id` (called from the host, between the interpreter's turns). */
  deliver(id: number, answer: Answer): void {
    this.inbox.push({ id, answer });
    this.wake?.();
  }

  /** Waits until the host answers something, then queues what it answered. */
  async nextAnswer(): Promise<void> {
    if (this.inbox.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    const answers = this.inbox;
    this.inbox = [];
    for (const { id, answer } of answers) this.settle(id, answer);
  }

  private settle(id: number, answer: Answer): void {
    const rt = this.rt;
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    const parsed: unknown = JSON.parse(answer.body);
    if (answer.ok) {
      const base = rt.join(rt.L.of(answer.labels?.base ?? []), entry.control);
      const fields = (answer.labels?.fields ?? []).map((f) => ({ path: f.path, l: rt.L.of(f.labels) }));
      // How long anything takes from here on may depend on what was read (a loop over it, a
      // string built from it): the clock carries every label read.
      rt.everPc = rt.join(rt.everPc, base);
      for (const f of fields) rt.everPc = rt.join(rt.everPc, f.l);
      const value = fromNative(rt, parsed, { base, fields }, NONE);
      // Whether the call fulfilled (rather than failed) was decided by what it sent and where
      // it was made: code that runs because it fulfilled carries that.
      rt.scheduler.settle(entry.promise, 'fulfilled', value, entry.control);
      return;
    }
    const info = (parsed ?? {}) as { name?: string; message?: string; code?: string; status?: number };
    const error = rt.realm.makeError(info.name ?? 'Error', info.message ?? 'the call failed', entry.control);
    if (info.code !== undefined) error.props.set('code', new LV(info.code, entry.control));
    if (info.status !== undefined) error.props.set('status', new LV(info.status, entry.control));
    rt.scheduler.settle(entry.promise, 'rejected', new LV(error, entry.control), entry.control);
  }

  /**
   * `console.*`: one line, redacted by labels — the values' own, and the pc's (a line printed in a
   * branch decided by a redacted value tells that value too). The line budget ends the run when
   * it runs out: silently dropping lines would let a branch taken earlier decide which later
   * lines are seen.
   */
  console(level: string, args: LV[]): void {
    const rt = this.rt;
    if (this.consoleLeft <= 0) rt.halt('limit', 'consoleLines', `stopped: more than ${this.caps.consoleLines} console lines`);
    this.consoleLeft--;
    let l = rt.pc;
    const pcMarker = redactionMarker(rt, rt.pc);
    const parts = args.map((a) => {
      const out = toNative(rt, a, 'display');
      l = rt.join(l, out.l);
      return typeof out.value === 'string' ? out.value : format(out.value);
    });
    let text = pcMarker ?? parts.join(' ');
    if (text.length > this.caps.consoleLine) text = text.slice(0, this.caps.consoleLine) + '… [truncated]';
    this.send('console', JSON.stringify({ level, text, labels: rt.L.list(l) }));
  }
}

function format(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value, null, 0);
    return text.length > 4000 ? text.slice(0, 4000) + '…' : text;
  } catch {
    return String(value);
  }
}

export { GPromise };

/**
 * Promises and the interpreter's own job queue (its microtasks). Async functions are evaluator
 * generators driven from here: each `await` parks the activation until what it awaits settles.
 *
 * Labels:
 * - A promise's `settle` label is what decided how (and when) it settled: for a rejection, what
 *   decided the throw; for a fulfilment, the timing labels of whoever fulfilled it. Code after an
 *   `await` runs under it, for the rest of its invocation.
 * - Resolving a promise by hand (`new Promise`'s resolve) under a pc its fate does not carry
 *   stops the run: "resolved here, or left to be resolved there" would leak the branch.
 */
import type { Gen } from './control.ts';
import { NONE } from './labels.ts';
import { upgradeCallee } from './regions.ts';
import type { Runtime } from './runtime.ts';
import { Frame, GFunction, GObject, GPromise, GuestThrow, LV, UNDEF, type Reaction } from './values.ts';

export class Activation {
  readonly gen: Gen<LV>;
  readonly frame: Frame;
  readonly promise: GPromise;
  /** The pc where it is parked (at its await). */
  pc: number;
  readonly depth: number;
  constructor(gen: Gen<LV>, frame: Frame, promise: GPromise, pc: number, depth: number) {
    this.gen = gen;
    this.frame = frame;
    this.promise = promise;
    this.pc = pc;
    this.depth = depth;
  }
}

type Job = () => void;

export class Scheduler {
  private readonly rt: Runtime;
  private queue: Job[] = [];
  private head = 0;

  constructor(rt: Runtime) {
    this.rt = rt;
  }

  enqueue(job: Job): void {
    this.queue.push(job);
  }

  newPromise(fate: number): GPromise {
    return new GPromise(this.rt.realm.PromiseProto, fate);
  }

  /** Runs every queued job (and those they queue). */
  runJobs(): void {
    while (this.head < this.queue.length) {
      const job = this.queue[this.head++];
      if (this.head > 4096) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      job();
    }
    this.queue = [];
    this.head = 0;
  }

  get idle(): boolean {
    return this.head >= this.queue.length;
  }

  /** Resumes an activation with a value (or a throw) until it awaits again or finishes. */
  step(act: Activation, value: LV, error?: GuestThrow): void {
    const rt = this.rt;
    const saved = { frame: rt.frame, pc: rt.pc, depth: rt.depth };
    rt.frame = act.frame;
    rt.pc = act.pc;
    rt.depth = act.depth;
    let r: IteratorResult<import('./control.ts').Suspend, LV>;
    try {
      try {
        r = error ? act.gen.throw(error) : act.gen.next(value);
      } catch (e) {
        if (!(e instanceof GuestThrow)) throw e;
        this.settle(act.promise, 'rejected', e.value, e.control);
        return;
      }
      if (r.done) {
        this.settle(act.promise, 'fulfilled', r.value, act.frame.tau);
        return;
      }
      const request = r.value;
      if (request.kind !== 'await') rt.halt('error', 'internal', '`yield` outside a generator');
      act.pc = rt.pc;
      this.await(request.value, (state, v, settle) => {
        // Whether (and when) the activation resumes was decided by `settle`. Its own outcome
        // carries that (tau). The rest of it runs under it only if others could have watched
        // it wait (concurrency): alone, a run that never resumes just ends.
        act.frame.tau = rt.join(act.frame.tau, settle);
        if (rt.concurrent) {
          act.pc = rt.join(act.pc, settle);
          act.frame.floor = rt.join(act.frame.floor, settle);
        }
        if (state === 'fulfilled') this.step(act, v);
        else this.step(act, UNDEF, new GuestThrow(v, rt.join(act.pc, settle)));
      });
    } finally {
      rt.frame = saved.frame;
      rt.pc = saved.pc;
      rt.depth = saved.depth;
    }
  }

  /** Calls `reaction` (as a job) once `x` settles; a non-promise counts as fulfilled at once. */
  await(x: LV, reaction: Reaction): void {
    const rt = this.rt;
    const p = x.v;
    if (p instanceof GPromise) {
      this.subscribe(p, (state, v, settle) => reaction(state, new LV(v.v, rt.join(v.l, x.l)), rt.join(settle, x.l)));
      return;
    }
    const then = p instanceof GObject ? p.props.get('then') : undefined;
    if (then && then.v instanceof GFunction) {
      const control = rt.join(rt.join(rt.pc, x.l), rt.join((p as GObject).shape, then.l));
      const error = new LV(rt.realm.makeError('TypeError', 'Flowgate does not call a program object\'s then() implicitly; await a real promise', control), control);
      this.enqueue(() => reaction('rejected', error, control));
      return;
    }
    const decided = p instanceof GObject ? p.shape : NONE;
    this.enqueue(() => reaction('fulfilled', x, decided));
  }

  subscribe(p: GPromise, reaction: Reaction): void {
    if (p.state === 'pending') p.reactions.push(reaction);
    else {
      const { state, value, settle } = p;
      this.enqueue(() => reaction(state, value, settle));
    }
  }

  settle(p: GPromise, state: 'fulfilled' | 'rejected', value: LV, settle: number): void {
    if (p.state !== 'pending') return;
    p.state = state;
    p.value = value;
    p.settle = settle;
    const reactions = p.reactions;
    p.reactions = [];
    for (const r of reactions) this.enqueue(() => r(state, value, settle));
  }

  /** Resolves `p` with `value`, adopting it when it is a promise itself. */
  resolve(p: GPromise, value: LV, settle: number): void {
    const v = value.v;
    if (v === p) {
      this.settle(p, 'rejected', new LV(this.rt.realm.makeError('TypeError', 'a promise cannot resolve to itself', settle), settle), settle);
      return;
    }
    if (v instanceof GPromise) {
      this.subscribe(v, (state, inner, innerSettle) => this.settle(p, state, new LV(inner.v, this.rt.join(inner.l, value.l)), this.rt.join(settle, innerSettle)));
      return;
    }
    if (v instanceof GObject) {
      const then = v.props.get('then');
      // Whether it has a then() is its key set's business: the outcome carries it either way.
      settle = this.rt.join(settle, this.rt.join(value.l, v.shape));
      if (then && then.v instanceof GFunction) {
        const control = this.rt.join(settle, then.l);
        this.settle(p, 'rejected', new LV(this.rt.realm.makeError('TypeError', 'Flowgate does not call a program object\'s then() implicitly', control), control), control);
        return;
      }
    }
    this.settle(p, 'fulfilled', value, settle);
  }

  /** `promise.then(onFulfilled, onRejected)`: the handler runs as a job under the pc of this call plus how it settled. */
  then(x: LV, onFulfilled: LV, onRejected: LV): GPromise {
    const rt = this.rt;
    rt.concurrent = true;
    const source = x.v as GPromise;
    const derived = this.newPromise(rt.pc);
    const pcAtThen = rt.join(rt.pc, x.l);
    // Which handler runs (if any) is decided by how the source settles: when that is known ahead
    // (an API call), what both handlers write is labelled with it now.
    const decided = source.state !== 'pending' ? source.settle : source.control;
    if (decided !== undefined && decided !== NONE) {
      const l = rt.join(pcAtThen, decided);
      upgradeCallee(rt, onFulfilled, l);
      upgradeCallee(rt, onRejected, l);
    }
    derived.control = decided === undefined ? undefined : rt.join(pcAtThen, decided);
    this.subscribe(source, (state, value, settle) => {
      const handler = state === 'fulfilled' ? onFulfilled : onRejected;
      if (!(handler.v instanceof GFunction)) {
        this.settle(derived, state, value, rt.join(settle, pcAtThen));
        return;
      }
      this.inJob(rt.join(pcAtThen, settle), () => {
        try {
          const out = rt.realm.call(handler, UNDEF, [value]);
          this.resolve(derived, out, rt.pc);
        } catch (e) {
          if (!(e instanceof GuestThrow)) throw e;
          this.settle(derived, 'rejected', e.value, e.control);
        }
      });
    });
    return derived;
  }

  /** Runs `f` as the body of a job: a fresh invocation frame at pc `pc`. */
  inJob(pc: number, f: () => void): void {
    const rt = this.rt;
    const saved = { frame: rt.frame, pc: rt.pc, depth: rt.depth };
    rt.frame = new Frame(UNDEF, undefined, undefined);
    rt.pc = pc;
    rt.everPc = rt.join(rt.everPc, pc);
    rt.depth = 0;
    try {
      f();
    } finally {
      rt.frame = saved.frame;
      rt.pc = saved.pc;
      rt.depth = saved.depth;
    }
  }
}

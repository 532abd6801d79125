/**
 * The interpreter's state for one run and the operations every part of it shares: the pc, the
 * current invocation, budgets, errors, and the no-sensitive-upgrade rule.
 *
 * Invariants:
 * - `pc` holds the labels of every condition that decided the current code runs; a write under a
 *   pc is labelled with it, and a write under a pc the location is not already labelled with
 *   stops the run (what a branch not taken did not write would otherwise leak).
 * - Program code never catches a `Halt`, and catches a `GuestThrow` only where the handler's
 *   own pc covers what decided the throw (exec.ts).
 */
import { Labels, NONE } from './labels.ts';
import { Frame, GObject, GuestThrow, Halt, LV, type Val } from './values.ts';
import type { Realm } from './realm.ts';
import type { Scheduler } from './scheduler.ts';
import type { HostLink } from './host.ts';

export interface RunConfig {
  maxSteps: number;
  maxDepth: number;
  /** Labels whose values are written as `[REDACTED:label]` wherever output leaves the interpreter. */
  redact: string[];
  /** Labels that may not go back to the agent: `[WITHHELD:label]` in the result and console. */
  withhold?: string[];
}

export class Runtime {
  readonly L = new Labels();
  pc = NONE;
  /** Every label any pc has held this run: what the clock's reading depends on. */
  everPc = NONE;
  frame: Frame;
  /** Set once two lines of execution can interleave (promises not awaited at once, `.then`, `Promise.all`…). */
  concurrent = false;
  steps = 0;
  depth = 0;
  /** Source offset of the node being evaluated (for the line of an error). */
  at = 0;
  config: RunConfig;
  realm!: Realm;
  scheduler!: Scheduler;
  host!: HostLink;
  redact: number;
  withhold: number;

  constructor(config: RunConfig) {
    this.config = config;
    this.redact = this.L.of(config.redact);
    this.withhold = this.L.of(config.withhold ?? []);
    this.frame = new Frame(new LV(undefined, NONE), undefined, undefined);
  }

  /** Sets the run's budgets and redacted labels (a runtime is prepared before its run is known). */
  configure(config: RunConfig): void {
    this.config = config;
    this.redact = this.L.of(config.redact);
    this.withhold = this.L.of(config.withhold ?? []);
  }

  lv(v: Val, l = NONE): LV {
    return new LV(v, l);
  }

  join(a: number, b: number): number {
    return this.L.join(a, b);
  }

  /** Raises the pc (a decision was made on labelled data). */
  raise(l: number): void {
    if (l === NONE) return;
    this.pc = this.L.join(this.pc, l);
    this.everPc = this.L.join(this.everPc, l);
    this.frame.seen = this.L.join(this.frame.seen, l);
  }

  /** Restores the pc after a region: what it was, plus whatever became sticky meanwhile. */
  restore(saved: number): void {
    const loops = this.frame.loops;
    this.pc = this.L.join(this.L.join(saved, this.frame.floor), loops.length ? loops[loops.length - 1] : NONE);
  }

  /** A value written under the current pc. */
  written(v: LV): LV {
    return this.pc === NONE ? v : new LV(v.v, this.L.join(v.l, this.pc));
  }

  tick(): void {
    if (++this.steps > this.config.maxSteps) {
      throw new Halt('limit', 'maxSteps', `stopped after ${this.config.maxSteps} interpreter steps (the step budget)`);
    }
  }

  /**
   * No-sensitive-upgrade: a location labelled `location` may be written in a context labelled
   * `context` only if the location already carries every label of the context.
   */
  nsu(location: number, context: number, what: string): void {
    if (this.L.subset(context, location)) return;
    const missing = this.L.minus(context, location);
    throw new Halt(
      'denied',
      'flow.implicit',
      `${what} is written in code that runs only because of ${missing.join(', ')} data, and it did not already carry ` +
        `${missing.length > 1 ? 'those labels' : 'that label'}: what a branch not taken leaves unwritten would tell which way it went. ` +
        'Flowgate stops such a run. Declare the variable inside the branch, or compute the value without branching on that data.',
    );
  }

  /** Throws a program-visible error of a built-in kind. `control` adds to the pc what decided it. */
  throwError(kind: string, message: string, control = NONE): never {
    const ctl = this.L.join(this.pc, control);
    throw new GuestThrow(new LV(this.realm.makeError(kind, message, ctl), ctl), ctl, this.at);
  }

  halt(status: Halt['status'], code: string, message: string): never {
    throw new Halt(status, code, message);
  }

  isObject(v: Val): v is GObject {
    return v instanceof GObject;
  }
}

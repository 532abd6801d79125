/**
 * User intents as commands (STYLE.md §7): each takes the state and the intent and returns the
 * events it causes together with the state after them — or refuses with a `CommandError`. The
 * inbox appends the events and keeps the state; the workbench asks the same functions why a
 * button is disabled. The invariants live here:
 * - a program the policy denies can never be approved;
 * - a decision binds to the program's hash: an edited program is a new submission;
 * - a decision needs a reason, and is taken once;
 * - a submission runs once, and only when the policy allows it or a human approved it.
 *
 * Pure and browser-safe: the clock and span ids are the caller's.
 */
import type { Analysis } from '../../analysis/types.ts';
import type { DecidedData, DecisionStatement, Proof, SubmittedData, TraceEvent } from './events.ts';
import { reduce, type SubmissionState } from './state.ts';

/** A command that does not apply (approving a denied program, running an unapproved one…); `code` says which. */
export class CommandError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
  }
}

export interface CommandContext {
  /** ISO time now. */
  now(): string;
  newSpanId(): string;
}

export interface Outcome {
  state: SubmissionState;
  events: TraceEvent[];
}

function apply(state: SubmissionState | undefined, events: TraceEvent[]): Outcome {
  let next = state;
  for (const event of events) next = reduce(next, event);
  if (!next) throw new Error('a command produced no submission');
  return { state: next, events };
}

/** A new submission and its analysis: two events on a fresh trace (`ids`). */
export function submit(ctx: CommandContext, ids: { traceId: string; spanId: string }, submitted: SubmittedData, analysis: Analysis): Outcome {
  const time = ctx.now();
  return apply(undefined, [
    { time, traceId: ids.traceId, spanId: ids.spanId, kind: 'submission', actor: `agent:${submitted.agent}`, name: 'submit', data: submitted },
    analysed(ctx, { traceId: ids.traceId, spanId: ids.spanId }, analysis),
  ]);
}

/** A submission a core that is gone left waiting, analysed again by the core taking it back. */
export function restore(ctx: CommandContext, state: SubmissionState, analysis: Analysis, core: number): Outcome {
  return apply(state, [analysed(ctx, state, { ...analysis, restored: true, core } as Analysis)]);
}

function analysed(ctx: CommandContext, root: { traceId: string; spanId: string }, analysis: Analysis): TraceEvent {
  return { time: ctx.now(), traceId: root.traceId, spanId: ctx.newSpanId(), parentSpanId: root.spanId, kind: 'analysis', actor: 'flowgate', name: 'analysis', data: analysis };
}

/** Why `decision` cannot be taken on `state` now, or undefined when it can. */
export function whyNotDecidable(state: SubmissionState, decision: 'approve' | 'deny', reason: string, sourceHash?: string): CommandError | undefined {
  if (sourceHash !== undefined && sourceHash !== state.sourceHash) {
    return new CommandError('stale', 'the program changed since it was reviewed: an edited program is a new submission');
  }
  if (decision === 'approve' && state.analysis?.verdict === 'deny') {
    return new CommandError('forbidden', 'a program the policy denies cannot be approved');
  }
  if (state.status !== 'pending-review') {
    return new CommandError('decided', `submission ${state.id} is ${state.status === 'ready' ? 'ready to run' : state.status}, not waiting for review`);
  }
  if (!reason.trim()) return new CommandError('reason', 'a decision needs a reason');
  return undefined;
}

export interface DecideInput {
  decision: 'approve' | 'deny';
  who: string;
  reason: string;
  /** The program hash the reviewer saw; refused when the program is another. */
  sourceHash?: string;
  /** What the reviewer signed (passkey decisions). */
  statement?: DecisionStatement;
  proof: Proof;
}

/** A human's decision on a submission waiting for review. */
export function decide(ctx: CommandContext, state: SubmissionState, input: DecideInput): Outcome {
  const refused = whyNotDecidable(state, input.decision, input.reason, input.sourceHash);
  if (refused) throw refused;
  const data: DecidedData = {
    decision: input.decision,
    who: input.who,
    reason: input.reason.trim(),
    at: ctx.now(),
    sourceHash: state.sourceHash,
    ...(input.statement ? { statement: input.statement } : {}),
    proof: input.proof,
  };
  return apply(state, [{
    time: data.at, traceId: state.traceId, spanId: ctx.newSpanId(), parentSpanId: state.spanId,
    kind: 'decision', actor: `user:${input.who}`, name: input.decision, data,
  }]);
}

/** Why `state` cannot run now (refused with a reason the agent can act on), or undefined when it can. */
export function whyNotRunnable(state: SubmissionState): CommandError | undefined {
  if (state.status === 'running') return new CommandError('running', `submission ${state.id} is already running`);
  // One run per submission, so one approval covers exactly one run and one trace.
  if (state.status === 'finished') return new CommandError('finished', `submission ${state.id} already ran; submit the program again to run it again`);
  if (state.status === 'pending-review') {
    const detail = (state.analysis?.reasons ?? []).filter((r) => r.verdict !== 'allow').map((r) => `line ${r.line}: ${r.message}`).join('; ');
    return new CommandError('needs-approval', `needs approval before it can run (${detail}); approve it in the workbench, or pass --approve`);
  }
  if (state.status === 'denied') {
    const d = state.decision;
    const detail = (state.analysis?.reasons ?? []).filter((r) => r.verdict === 'deny').map((r) => `line ${r.line}: ${r.message}`).join('; ');
    return new CommandError('denied', d?.decision === 'deny' ? `denied by ${d.who}: ${d.reason}` : `denied by policy: ${detail}`);
  }
  return undefined;
}

/**
 * A run asked of a submission that may not run (waiting for review, or denied): the refusal is
 * recorded on its trace as a run that ended `denied` before starting. Already running or
 * finished submissions are refused without a record (`CommandError`).
 */
export function refuseRun(ctx: CommandContext, state: SubmissionState): Outcome | undefined {
  const why = whyNotRunnable(state);
  if (!why) return undefined;
  if (why.code === 'running' || why.code === 'finished') throw why;
  return apply(state, [{
    time: ctx.now(), traceId: state.traceId, spanId: ctx.newSpanId(), parentSpanId: state.spanId,
    kind: 'run.end', actor: 'flowgate', name: 'run', data: { status: 'denied', error: { code: why.code, message: why.message } },
    durationMs: 0,
  }]);
}

/**
 * Submissions made by other Flowgate processes (a `flowgate run` in a terminal, an earlier
 * workbench), read back from the shared audit log: each trace folded by the same reducer the
 * live inbox uses, so a submission reads the same whoever holds it.
 */
import { foldTrace, type SubmissionState } from '../audit/lifecycle/state.ts';
import { processAlive } from '../audit/process-alive.ts';
import { queryEvents, readTrace } from '../audit/query.ts';

/** The newest `limit` submissions of the log, as their traces fold (oldest first). */
export async function readHistory(file: string, limit = 200): Promise<SubmissionState[]> {
  const { total } = await queryEvents(file, { kind: 'submission' }, { limit: 0 });
  const { records } = await queryEvents(file, { kind: 'submission' }, { offset: Math.max(0, total - limit), limit });
  const states: SubmissionState[] = [];
  for (const submitted of records) {
    const state = foldTrace(await readTrace(file, submitted.traceId));
    if (state?.id) states.push(state);
  }
  return states;
}

/**
 * Whether a core that is gone left `state` waiting for a human: undecided, never refused a run,
 * its core not running, and its policy document on the trace (so it can be analysed again).
 */
export function isOrphan(state: SubmissionState, alive: (pid: number) => boolean = processAlive): boolean {
  return state.status === 'pending-review' && !state.decision && !state.refusal && !state.run
    && state.core !== undefined && !alive(state.core) && state.policy.document !== undefined;
}

/**
 * Data lineage on the timeline: for each API call, which earlier calls' data it carried — per
 * argument, the labels that reached it and the earlier calls of the same run whose responses
 * carried those labels. Pure and browser-safe.
 */
import { WHOLE_CALL } from './events.ts';
import type { CallState } from './state.ts';

export interface CarriedLabel {
  /** The argument the label reached (`*`: the call, argument unknown). */
  argument: string;
  label: string;
  /** Earlier calls whose responses carried the label (span id, operation, position in the run). */
  from: Array<{ spanId: string; operation: string; index: number }>;
  /** Earlier traces the label came from at rest (written by them, read back here). */
  atRest: string[];
}

/** What call `index` of `calls` carried, argument by argument. */
export function lineageOf(calls: readonly CallState[], index: number): CarriedLabel[] {
  const call = calls[index];
  if (!call?.sent) return [];
  const out: CarriedLabel[] = [];
  const args = Object.keys(call.sent).sort((a, b) => (a === WHOLE_CALL ? 1 : b === WHOLE_CALL ? -1 : a.localeCompare(b)));
  const named = new Set(args.filter((a) => a !== WHOLE_CALL).flatMap((a) => call.sent?.[a] ?? []));
  for (const argument of args) {
    for (const label of call.sent[argument]) {
      // A label already traced to an argument is not repeated for the call as a whole.
      if (argument === WHOLE_CALL && named.has(label)) continue;
      const from: CarriedLabel['from'] = [];
      const atRest = new Set<string>();
      for (let i = 0; i < index; i++) {
        const earlier = calls[i];
        if (earlier.received.includes(label)) from.push({ spanId: earlier.spanId, operation: earlier.operation, index: i });
        for (const a of earlier.atRest ?? []) if (a.label === label) atRest.add(a.traceId);
      }
      out.push({ argument, label, from, atRest: [...atRest] });
    }
  }
  return out;
}

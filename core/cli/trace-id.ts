/**
 * The trace a user names on the command line: a full W3C trace id (32 hex digits, any case) or
 * a unique prefix of at least 8 hex digits (the workbench shows the first 8). An unknown id or
 * a prefix several traces share is bad input that says which.
 */
import { indexFor } from '../audit/query.ts';
import { BadInput } from './common.ts';

export const SHORT_ID_MIN = 8;

/** The full, lower-case trace id in `logFile` that `given` names. */
export async function resolveTraceId(logFile: string, given: string): Promise<string> {
  const wanted = given.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(wanted) || wanted.length < SHORT_ID_MIN || wanted.length > 32) {
    throw new BadInput(`"${given}" is not a trace id: give its 32 hex digits, at least its first ${SHORT_ID_MIN} (as the workbench shows them), or all`);
  }
  const index = await indexFor(logFile);
  if (wanted.length === 32) {
    if (index.traceSummary(wanted)) return wanted;
    throw new BadInput(`no trace ${wanted} in ${logFile}`);
  }
  const { traces } = index.listTraces({ limit: Number.MAX_SAFE_INTEGER });
  const matches = traces.filter((t) => t.traceId.startsWith(wanted));
  if (matches.length === 1) return matches[0].traceId;
  if (matches.length === 0) throw new BadInput(`no trace starting with ${wanted} in ${logFile}`);
  const shown = matches.slice(0, 5).map((t) => `  ${t.traceId}  ${t.startTime}  ${t.actor}`);
  throw new BadInput(`${wanted} is ambiguous: ${matches.length} traces start with it; give more digits:\n${shown.join('\n')}${matches.length > 5 ? '\n  …' : ''}`);
}

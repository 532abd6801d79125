/**
 * One sentence for a submission's state, the same in the inbox, the review, the MCP answers and
 * the trace: who decided and how, or that nobody had to. Pure and browser-safe.
 */
import type { Verdict } from '../../policy/types.ts';
import type { ProofMethod, RunStatus } from './events.ts';
import type { SubmissionStatus } from './state.ts';

export interface StateFacts {
  status: SubmissionStatus;
  verdict?: Verdict;
  decision?: { decision: 'approve' | 'deny'; who: string; method: ProofMethod };
  runStatus?: 'running' | RunStatus;
}

export type Tone = 'pending' | 'ready' | 'denied' | 'running' | 'ok' | 'failed';

export interface StateText {
  tone: Tone;
  /** Short, for a badge: `waiting for review`, `approved`, `allowed`, `denied`, `ran ok`… */
  badge: string;
  /** A sentence: `Approved by Dana (passkey): ready to run`. */
  sentence: string;
}

/** How a decision was authenticated, in words. */
export function methodText(method: ProofMethod): string {
  switch (method) {
    case 'passkey':
      return 'passkey';
    case 'dev':
      return 'local-development approval, no passkey';
    case 'system':
      return 'Flowgate';
    case 'unsigned':
      return 'unsigned, recorded before passkeys';
  }
}

function decidedBy(d: NonNullable<StateFacts['decision']>): string {
  return `${d.decision === 'approve' ? 'Approved' : 'Denied'} by ${d.who} (${methodText(d.method)})`;
}

const RUN_TEXT: Record<RunStatus, { badge: string; sentence: string; tone: Tone }> = {
  ok: { badge: 'ran ok', sentence: 'ran to the end', tone: 'ok' },
  denied: { badge: 'blocked', sentence: 'a call was blocked at run time', tone: 'failed' },
  limit: { badge: 'stopped', sentence: 'a limit stopped the run', tone: 'failed' },
  error: { badge: 'failed', sentence: 'the program threw', tone: 'failed' },
};

export function describeState(facts: StateFacts): StateText {
  const { status, decision } = facts;
  const why = decision ? decidedBy(decision) : facts.verdict === 'allow' ? 'Allowed by policy (no approval needed)' : facts.verdict === 'deny' ? 'Denied by policy' : '';
  switch (status) {
    case 'pending-review':
      return { tone: 'pending', badge: 'waiting for review', sentence: 'Waiting for a reviewer: the policy says a human must approve it' };
    case 'ready':
      return { tone: 'ready', badge: decision ? 'approved' : 'allowed', sentence: `${why}: ready to run` };
    case 'denied':
      return { tone: 'denied', badge: 'denied', sentence: `${why}: it will not run` };
    case 'running':
      return { tone: 'running', badge: 'running', sentence: `${why}: running` };
    case 'finished': {
      const run = RUN_TEXT[facts.runStatus === 'running' || !facts.runStatus ? 'ok' : facts.runStatus];
      return { tone: run.tone, badge: run.badge, sentence: `${why}; ${run.sentence}` };
    }
  }
}

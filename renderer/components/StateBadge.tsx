/**
 * Where a submission stands, in one badge and one sentence — the same words everywhere (the
 * core's describeState): waiting for review, approved by whom and how, allowed by policy,
 * denied by whom, ran. Never the policy's verdict alone, which stays true after a decision.
 */
import { describeState, type StateFacts } from '../../core/audit/lifecycle/describe.ts';

export function StateBadge({ facts, testId, readOnly }: { facts: StateFacts; testId?: string; readOnly?: boolean }) {
  const text = describeState(facts);
  const stale = readOnly && facts.status === 'pending-review';
  return (
    <span
      className={`badge state-${stale ? 'stale' : text.tone}`}
      data-testid={testId}
      data-status={facts.status}
      data-tone={text.tone}
      title={stale ? 'Never decided: the Flowgate process that took it has ended' : text.sentence}
    >
      {stale ? 'not decided' : text.badge}
    </span>
  );
}

/**
 * Approve or deny with a reason. Bound to the program's hash (the store sends `sourceHash`):
 * a `deny` verdict cannot be approved, and an edited program must be submitted anew first.
 */
import { useState } from 'react';
import type { SubmissionView } from '../../core/service/protocol.ts';

export interface DecideProps {
  submission?: SubmissionView;
  /** The editor holds a different program than the one submitted. */
  edited: boolean;
  busy: boolean;
  reviewer: string;
  onReviewer(name: string): void;
  onDecide(decision: 'approve' | 'deny', reason: string): void;
}

export function whyApproveDisabled(submission: SubmissionView | undefined, edited: boolean, reason: string): string | undefined {
  if (!submission) return 'Select a submission to review.';
  if (submission.analysis.verdict === 'deny') return 'The policy denies this program: it cannot be approved. Change the program or the policy and submit again.';
  if (edited) return 'The program was edited: submit it as a new submission before deciding (a decision binds to the exact program).';
  if (submission.status !== 'pending-review') return `This submission is ${submission.status.replace('-', ' ')}; it is not waiting for a decision.`;
  if (!reason.trim()) return 'Write why you approve.';
  return undefined;
}

export function Decide({ submission, edited, busy, reviewer, onReviewer, onDecide }: DecideProps) {
  const [reason, setReason] = useState('');
  const approveBlocked = whyApproveDisabled(submission, edited, reason);
  const canDeny = !!submission && submission.status === 'pending-review' && !edited && reason.trim() !== '';
  const decided = submission?.decision;
  return (
    <section className="panel decide" data-testid="decide-panel" aria-label="Decision">
      <h3 className="panel-title">Decide</h3>
      {decided && (
        <p className={`decided decided-${decided.decision}`} data-testid="decision">
          {decided.decision === 'approve' ? 'Approved' : 'Denied'} by <strong>{decided.who}</strong> at {new Date(decided.at).toLocaleString()}: “{decided.reason}”
        </p>
      )}
      {submission && submission.analysis.verdict === 'allow' && !decided && (
        <p className="muted">The policy allows this program: it can run without a decision.</p>
      )}
      <div className="decide-row">
        <label className="field">
          <span>Reviewer</span>
          <input value={reviewer} onChange={(e) => onReviewer(e.target.value)} data-testid="reviewer" />
        </label>
      </div>
      <label className="field">
        <span>Reason</span>
        <textarea
          rows={2}
          value={reason}
          placeholder="Why approve or deny (recorded on the trace)"
          onChange={(e) => setReason(e.target.value)}
          data-testid="decision-reason"
        />
      </label>
      <div className="decide-buttons">
        <button
          type="button"
          className="btn btn-approve"
          disabled={busy || !!approveBlocked}
          title={approveBlocked}
          data-testid="approve"
          onClick={() => {
            onDecide('approve', reason);
            setReason('');
          }}
        >
          Approve
        </button>
        <button
          type="button"
          className="btn btn-deny"
          disabled={busy || !canDeny}
          data-testid="deny"
          onClick={() => {
            onDecide('deny', reason);
            setReason('');
          }}
        >
          Deny
        </button>
      </div>
      {approveBlocked && submission && (
        <p className={`hint${submission.analysis.verdict === 'deny' ? ' hint-deny' : ''}`} data-testid="approve-explanation">
          {approveBlocked}
        </p>
      )}
    </section>
  );
}

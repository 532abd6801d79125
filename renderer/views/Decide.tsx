/**
 * Approve or deny, stating exactly what is decided: the program's SHA-256, each flow (label →
 * destination at its line), the policy and its hash, and who signs (the reviewer's passkey). The
 * reason is the one typed for this submission. After deciding, who decided, how and why —
 * never a stale "needs approval". A `deny` verdict cannot be approved; an edited program must
 * be submitted anew first.
 */
import { whyNotDecidable } from '../../core/audit/lifecycle/commands.ts';
import { methodText } from '../../core/audit/lifecycle/describe.ts';
import { boundFlows } from '../../core/audit/lifecycle/statement.ts';
import type { ReviewerView, SubmissionView } from '../../core/service/protocol.ts';
import { StateBadge } from '../components/StateBadge.tsx';
import { ReviewerSetup } from './ReviewerSetup.tsx';

export interface DecideProps {
  submission?: SubmissionView;
  /** The editor holds a different program than the one submitted. */
  edited: boolean;
  busy: boolean;
  /** Why the last decision was not recorded. */
  error?: string;
  reason: string;
  reviewers: ReviewerView[];
  reviewersLoaded: boolean;
  registering: boolean;
  reviewerError?: string;
  onReason(text: string): void;
  onDecide(decision: 'approve' | 'deny'): void;
  onRegister(name: string): void;
}

/** Why this decision cannot be taken now, in the reviewer's words; undefined when it can. */
export function whyNotNow(submission: SubmissionView | undefined, edited: boolean, decision: 'approve' | 'deny', reason: string): string | undefined {
  if (!submission) return 'Select a submission to review.';
  if (submission.readOnly) return 'This submission belongs to another Flowgate process: it can be read here, not decided.';
  if (decision === 'approve' && submission.verdict === 'deny') return 'The policy denies this program: it cannot be approved. Change the program or the policy and submit again.';
  if (edited) return 'The program in the editor was edited: submit it as a new submission before deciding (a decision binds to the exact program).';
  if (submission.status !== 'pending-review') return undefined;
  const refused = whyNotDecidable(submission, decision, reason);
  if (refused?.code === 'reason') return `Write why you ${decision}: the reason is signed and recorded with the decision.`;
  return refused?.message;
}

const short = (hash: string | undefined) => (hash ? `${hash.slice(0, 12)}…${hash.slice(-4)}` : 'unknown');

export function Decide(props: DecideProps) {
  const { submission: s, edited, busy, reason } = props;
  const approveBlocked = whyNotNow(s, edited, 'approve', reason);
  const denyBlocked = whyNotNow(s, edited, 'deny', reason);
  const waiting = s?.status === 'pending-review' && !s.readOnly;
  const flows = s ? boundFlows(s) : [];
  const decided = s?.decision;
  const needsReviewer = waiting && props.reviewersLoaded && props.reviewers.length === 0;
  return (
    <section className="panel decide" data-testid="decide-panel" data-submission-id={s?.id ?? ''} aria-label="Decision">
      <h3 className="panel-title">
        Decide {s && <StateBadge facts={{ ...s, runStatus: s.run?.status, decision: s.decision }} testId="submission-state" readOnly={s.readOnly} />}
      </h3>
      {s && (
        <dl className="bound" data-testid="bound">
          <p className="bound-intro muted small">{waiting ? 'Your decision binds to exactly this, signed with your passkey:' : s.decision ? 'The decision binds to:' : 'Under review:'}</p>
          <dt>Program</dt>
          <dd className="mono" title={s.sourceHash} data-testid="bound-program" data-hash={s.sourceHash}>sha256 {short(s.sourceHash)}</dd>
          <dt>Flows</dt>
          <dd data-testid="bound-flows">
            {flows.length === 0 ? <span className="muted">no labelled data reaches a destination</span> : (
              <ul className="bound-flows">
                {flows.map((f) => (
                  <li key={`${f.label}>${f.destination}`} data-testid="bound-flow" className={`verdict-text-${f.verdict}`}>
                    <span className="mono">{f.label} → {f.destination}</span> <span className="muted">line {f.line}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Policy</dt>
          <dd data-testid="bound-policy" data-hash={s.policy.hash ?? ''}>
            {s.policy.name} <span className="mono muted" title={s.policy.hash}>sha256 {short(s.policy.hash)}</span>
          </dd>
          {waiting && (
            <>
              <dt>Reviewer</dt>
              <dd data-testid="bound-reviewer">
                {props.reviewers.length ? `your passkey — one of: ${props.reviewers.map((r) => r.name).join(', ')}` : 'no reviewer passkey registered yet'}
              </dd>
            </>
          )}
        </dl>
      )}
      {decided && (
        <p className={`decided decided-${decided.decision}`} data-testid="decision" data-method={decided.method}>
          {decided.decision === 'approve' ? 'Approved' : 'Denied'} by <strong>{decided.who}</strong> ({methodText(decided.method)}) at {new Date(decided.at).toLocaleString()}: “{decided.reason}”
        </p>
      )}
      {s && !decided && s.verdict === 'allow' && <p className="muted" data-testid="no-decision-needed">The policy allows this program: nobody needs to approve it, and it can run.</p>}
      {needsReviewer && <ReviewerSetup reviewers={props.reviewers} busy={props.registering} error={props.reviewerError} onRegister={props.onRegister} />}
      {s && (waiting || (s.verdict === 'deny' && !decided)) && (
        <>
          {waiting && (
            <label className="field">
              <span>Reason (signed and recorded)</span>
              <textarea rows={2} value={reason} placeholder={`Why approve or deny submission ${s.id}`} onChange={(e) => props.onReason(e.target.value)} data-testid="decision-reason" />
            </label>
          )}
          <div className="decide-buttons">
            <button type="button" className="btn btn-approve" disabled={busy || !!approveBlocked || needsReviewer} title={approveBlocked} data-testid="approve" onClick={() => props.onDecide('approve')}>
              {busy ? 'Touch your passkey…' : 'Approve with passkey'}
            </button>
            <button type="button" className="btn btn-deny" disabled={busy || !!denyBlocked || needsReviewer} title={denyBlocked} data-testid="deny" onClick={() => props.onDecide('deny')}>
              Deny with passkey
            </button>
          </div>
          {approveBlocked && <p className={`hint${s.verdict === 'deny' ? ' hint-deny' : ''}`} data-testid="approve-explanation">{approveBlocked}</p>}
          {props.error && <p className="error" data-testid="decide-error">{props.error}</p>}
        </>
      )}
    </section>
  );
}

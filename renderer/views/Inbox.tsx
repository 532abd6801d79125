/** Every submission, newest first, with where it stands (not just the policy's verdict); a click opens it for review. */
import type { SubmissionSummary } from '../../core/service/protocol.ts';
import { StateBadge } from '../components/StateBadge.tsx';
import { VerdictBadge } from '../components/VerdictBadge.tsx';

export interface InboxProps {
  submissions: SubmissionSummary[];
  selectedId?: string;
  onSelect(id: string): void;
}

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function Inbox({ submissions, selectedId, onSelect }: InboxProps) {
  return (
    <nav className="inbox" data-testid="inbox" aria-label="Submissions">
      <h2 className="panel-title">Inbox <span className="count">{submissions.length}</span></h2>
      {submissions.length === 0 && <p className="muted inbox-empty">No submissions yet. Pick a story from the Demo menu, or write a program and submit it.</p>}
      <ul>
        {submissions.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className={`inbox-item${s.id === selectedId ? ' selected' : ''}`}
              data-testid="inbox-item"
              data-submission-id={s.id}
              data-verdict={s.verdict}
              data-status={s.status}
              aria-current={s.id === selectedId}
              onClick={() => onSelect(s.id)}
            >
              <span className="inbox-line">
                <StateBadge facts={s} testId="inbox-state" readOnly={s.readOnly} />
                {s.prompts.length > 0 && <span className="chip chip-prompt" title="A runtime approval is waiting">call waits</span>}
                <span className="inbox-verdict" title="the policy's verdict">policy: <VerdictBadge verdict={s.verdict} small /></span>
              </span>
              <span className="inbox-intent">{s.intent || s.task || s.id}</span>
              <span className="inbox-meta">
                {s.agent} · {s.policy} · {time(s.createdAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

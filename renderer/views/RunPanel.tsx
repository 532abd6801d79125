/**
 * Run a submission that may run: its state (folded by the core from the trace, live while it
 * runs), each API call with what it sent and received, runtime approval prompts answered with
 * the reviewer's passkey, console and result. Run is disabled while the editor holds an edited
 * program: it would run the reviewed version, not what is on screen.
 */
import { whyNotRunnable } from '../../core/audit/lifecycle/commands.ts';
import { methodText } from '../../core/audit/lifecycle/describe.ts';
import { sentLabels } from '../../core/audit/lifecycle/codec.ts';
import type { SubmissionView } from '../../core/service/protocol.ts';
import { formatDuration } from './timeline-model.ts';

export interface RunPanelProps {
  submission?: SubmissionView;
  edited: boolean;
  starting: boolean;
  error?: string;
  promptError?: string;
  promptDrafts: Record<string, string>;
  onRun(): void;
  onPromptDraft(promptId: string, text: string): void;
  onAnswer(promptId: string, approve: boolean): void;
}

export function whyRunDisabled(submission: SubmissionView | undefined, edited: boolean, starting: boolean): string | undefined {
  if (!submission) return 'Select a submission.';
  if (submission.readOnly) return 'This submission belongs to another Flowgate process: it can be read here, not run.';
  if (starting || submission.status === 'running') return 'Running…';
  if (edited && submission.status === 'ready') return `The editor holds an edited program: Run would run the reviewed version (sha256 ${submission.sourceHash.slice(0, 12)}…), not what is on screen. Submit the edit as a new submission, or undo it.`;
  const refused = whyNotRunnable(submission);
  if (!refused) return undefined;
  if (refused.code === 'needs-approval') return 'Waiting for a decision: approve it first.';
  if (refused.code === 'denied') return 'Denied: it will not run.';
  if (refused.code === 'finished') return 'It ran: one submission, one run. Submit it again to run it again.';
  return refused.message;
}

export function RunPanel(props: RunPanelProps) {
  const { submission: s } = props;
  const blocked = whyRunDisabled(s, props.edited, props.starting);
  const run = s?.run;
  const status = props.starting && !run ? 'running' : run?.status ?? 'not run';
  return (
    <section className="panel run" data-testid="run-panel" aria-label="Run">
      <div className="run-head">
        <h3 className="panel-title">Run</h3>
        <span className={`chip run-status run-status-${status.replace(' ', '-')}`} data-testid="run-status" data-status={status}>{status}</span>
        <button type="button" className="btn btn-primary" disabled={!!blocked} title={blocked} onClick={props.onRun} data-testid="run">▶ Run</button>
      </div>
      {blocked && s && blocked !== 'Running…' && <p className={`hint${props.edited ? ' hint-deny' : ''}`} data-testid="run-hint">{blocked}</p>}
      {props.error && <p className="error">{props.error}</p>}

      {s && s.prompts.length > 0 && (
        <div className="prompts" data-testid="prompts">
          {s.prompts.map((p) => (
            <div key={p.id} className="prompt" data-testid="prompt" data-prompt-id={p.id}>
              <p><strong>{p.request.operation}</strong> needs approval at run time (until {new Date(p.deadline).toLocaleTimeString()}):</p>
              <ul>
                {p.request.reasons.map((r, i) => <li key={i} className={`verdict-text-${r.verdict}`}>{r.message}</li>)}
              </ul>
              <input placeholder="Reason (signed and recorded)" value={props.promptDrafts[p.id] ?? ''} onChange={(e) => props.onPromptDraft(p.id, e.target.value)} data-testid="prompt-reason" />
              <button type="button" className="btn btn-approve" onClick={() => props.onAnswer(p.id, true)} data-testid="prompt-approve">Approve call with passkey</button>
              <button type="button" className="btn btn-deny" onClick={() => props.onAnswer(p.id, false)} data-testid="prompt-deny">Deny call</button>
            </div>
          ))}
          {props.promptError && <p className="error">{props.promptError}</p>}
        </div>
      )}

      {run && (
        <div data-testid="run-output">
          {run.status !== 'running' && (
            <div className="run-result" data-testid="run-result">
              {run.error ? (
                <p className="error">{run.error.code}: {run.error.message}{run.error.line ? ` (line ${run.error.line})` : ''}</p>
              ) : (
                <p>Result: <code>{JSON.stringify(run.result) ?? 'undefined'}</code> in {formatDuration(run.durationMs)}</p>
              )}
            </div>
          )}
          <h4 className="sub-title">API calls</h4>
          {run.calls.length === 0 ? <p className="muted">No calls yet.</p> : (
            <ol className="calls" data-testid="run-calls">
              {run.calls.map((c) => {
                const sent = sentLabels(c);
                const to = c.destinations?.filter((d) => d !== c.service) ?? [];
                return (
                  <li key={c.spanId} data-testid="run-call" data-decision={c.decision}>
                    <div className="call-head">
                      <span className="mono">{c.operation}</span>
                      <span className={`chip decision-${c.decision}`}>{c.decision === 'pending' ? 'waiting' : c.decision}</span>
                      <span className="num muted">{formatDuration(c.durationMs)}</span>
                    </div>
                    {(sent.length > 0 || to.length > 0) && (
                      <div className="call-labels">sent {sent.map((l) => <span key={l} className="chip chip-label">{l}</span>)}{to.length > 0 && <> → {to.map((d) => <span key={d} className="chip chip-dest">{d}</span>)}</>}</div>
                    )}
                    {c.received.length > 0 && <div className="call-labels">got {c.received.map((l) => <span key={l} className="chip chip-label">{l}</span>)}</div>}
                    {c.answer && <div className="muted small" data-testid="call-answer">{c.answer.approved ? 'approved' : 'denied'} by {c.answer.who} ({methodText(c.answer.method)})</div>}
                    {c.reason && <div className="muted small">{c.reason}</div>}
                  </li>
                );
              })}
            </ol>
          )}
          <h4 className="sub-title">Console</h4>
          <pre className="console" data-testid="run-console">
            {run.console.length === 0 ? <span className="muted">(nothing printed)</span> : run.console.map((l, i) => <div key={i} className={`console-${l.level}`}>{l.text}</div>)}
          </pre>
        </div>
      )}
    </section>
  );
}

/** Run an approved program: live status, console, each API call with its decision, runtime approval prompts. */
import { useState } from 'react';
import type { SubmissionView } from '../../core/service/protocol.ts';
import type { LiveRun } from '../store/run.ts';
import { formatDuration } from './timeline-model.ts';

export interface RunPanelProps {
  submission?: SubmissionView;
  run?: LiveRun;
  promptError?: string;
  onRun(): void;
  onAnswer(promptId: string, approve: boolean, reason: string): void;
}

export function whyRunDisabled(submission: SubmissionView | undefined, run: LiveRun | undefined): string | undefined {
  if (!submission) return 'Select a submission.';
  if (run?.status === 'running' || submission.status === 'running') return 'Running…';
  if (submission.status === 'pending-review') return 'Waiting for a decision: approve it first.';
  if (submission.status === 'denied') return 'Denied: it will not run.';
  if (submission.status === 'finished') return 'It ran once (one approval, one run): submit it again to run it again.';
  return undefined;
}

export function RunPanel({ submission, run, promptError, onRun, onAnswer }: RunPanelProps) {
  const blocked = whyRunDisabled(submission, run);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const status = run?.status ?? (submission?.status === 'running' ? 'running' : submission?.runStatus) ?? 'not run';
  return (
    <section className="panel run" data-testid="run-panel" aria-label="Run">
      <div className="run-head">
        <h3 className="panel-title">Run</h3>
        <span className={`chip run-status run-status-${status.replace(' ', '-')}`} data-testid="run-status" data-status={status}>
          {status}
        </span>
        <button type="button" className="btn btn-primary" disabled={!!blocked} title={blocked} onClick={onRun} data-testid="run">
          ▶ Run
        </button>
      </div>
      {blocked && submission && blocked !== 'Running…' && <p className="hint">{blocked}</p>}

      {submission && submission.prompts.length > 0 && (
        <div className="prompts" data-testid="prompts">
          {submission.prompts.map((p) => (
            <div key={p.id} className="prompt" data-testid="prompt" data-prompt-id={p.id}>
              <p>
                <strong>{p.request.operation}</strong> needs approval at run time (until {new Date(p.deadline).toLocaleTimeString()}):
              </p>
              <ul>
                {p.request.reasons.map((r, i) => (
                  <li key={i} className={`verdict-text-${r.verdict}`}>{r.message}</li>
                ))}
              </ul>
              <input
                placeholder="Reason"
                value={reasons[p.id] ?? ''}
                onChange={(e) => setReasons({ ...reasons, [p.id]: e.target.value })}
                data-testid="prompt-reason"
              />
              <button type="button" className="btn btn-approve" onClick={() => onAnswer(p.id, true, reasons[p.id] || 'approved at run time')} data-testid="prompt-approve">
                Approve call
              </button>
              <button type="button" className="btn btn-deny" onClick={() => onAnswer(p.id, false, reasons[p.id] || 'denied at run time')} data-testid="prompt-deny">
                Deny call
              </button>
            </div>
          ))}
          {promptError && <p className="error">{promptError}</p>}
        </div>
      )}

      {run && (
        <>
          <h4 className="sub-title">API calls</h4>
          {run.calls.length === 0 ? (
            <p className="muted">No calls yet.</p>
          ) : (
            <table className="calls" data-testid="run-calls">
              <tbody>
                {run.calls.map((c) => (
                  <tr key={c.spanId} data-testid="run-call" data-decision={c.record?.decision ?? 'pending'}>
                    <td className="mono">{c.operation}</td>
                    <td>
                      <span className={`chip decision-${c.record?.decision ?? 'pending'}`}>{c.record?.decision ?? '…'}</span>
                    </td>
                    <td className="num">{formatDuration(c.record?.durationMs)}</td>
                    <td className="muted small">{c.record?.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h4 className="sub-title">Console</h4>
          <pre className="console" data-testid="run-console">
            {run.console.length === 0 ? <span className="muted">(nothing printed)</span> : run.console.map((l, i) => (
              <div key={i} className={`console-${l.level}`}>{l.text}</div>
            ))}
          </pre>
          {run.result && (
            <div className="run-result" data-testid="run-result">
              {run.result.error ? (
                <p className="error">
                  {run.result.error.code}: {run.result.error.message}
                  {run.result.error.line ? ` (line ${run.result.error.line})` : ''}
                </p>
              ) : (
                <p>
                  Result: <code>{JSON.stringify(run.result.result) ?? 'undefined'}</code> in {formatDuration(run.result.durationMs)}
                </p>
              )}
            </div>
          )}
          {run.error && <p className="error">{run.error}</p>}
        </>
      )}
    </section>
  );
}

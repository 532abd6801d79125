/**
 * One event of a trace in full: when, who, its place in the chain; for an API call what it
 * carried (per argument, the labels that reached it and which earlier calls' responses they came
 * from — data lineage), what it received and named as destination, its redacted request and
 * response; for a decision or runtime approval, who decided, how it was authenticated and why.
 */
import { methodText } from '../../core/audit/lifecycle/describe.ts';
import { lineageOf, type CarriedLabel } from '../../core/audit/lifecycle/lineage.ts';
import type { SubmissionState } from '../../core/audit/lifecycle/state.ts';
import { formatDuration, payloadOf, type TimelineRow } from './timeline-model.ts';

/** The earlier calls a label came from, grouped by operation (`workday.getCompensation #3 #5 #7`). */
function byOperation(from: CarriedLabel['from']): Array<[string, CarriedLabel['from']]> {
  const groups = new Map<string, CarriedLabel['from']>();
  for (const f of from) groups.set(f.operation, [...(groups.get(f.operation) ?? []), f]);
  return [...groups];
}

export function TraceDetail({ row, state, onJump }: { row: TimelineRow; state?: SubmissionState; onJump(spanId: string): void }) {
  const { event } = row;
  const payload = payloadOf(event);
  const calls = state?.run?.calls ?? [];
  const index = event.kind === 'api.call' ? calls.findIndex((c) => c.spanId === event.spanId) : -1;
  const carried = index >= 0 ? lineageOf(calls, index) : [];
  return (
    <aside className="tl-detail" data-testid="timeline-detail">
      <h3 className="panel-title">{row.name} <span className="chip">{row.kind}</span></h3>
      <dl className="kv">
        <dt>time</dt><dd className="mono">{row.record.time}</dd>
        <dt>actor</dt><dd>{row.actor}</dd>
        {row.agent && (<><dt>agent</dt><dd>{row.agent}</dd></>)}
        <dt>trace</dt><dd className="mono">{row.traceId}</dd>
        <dt>span</dt><dd className="mono">{row.record.spanId}</dd>
        <dt>seq</dt><dd className="mono">{row.seq}</dd>
        {row.decision && (<><dt>decision</dt><dd>{row.decision}</dd></>)}
        {row.durationMs !== undefined && (<><dt>duration</dt><dd>{formatDuration(row.durationMs)}</dd></>)}
        {row.destinations.length > 0 && (<><dt>to</dt><dd>{row.destinations.map((d) => <span key={d} className="chip chip-dest">{d}</span>)}</dd></>)}
        {event.kind === 'api.call' && event.data.received && event.data.received.length > 0 && (<><dt>received</dt><dd>{event.data.received.map((l) => <span key={l} className="chip chip-label">{l}</span>)}</dd></>)}
      </dl>
      {event.kind === 'api.call' && (
        <>
          <h4 className="sub-title">Carried</h4>
          {carried.length === 0 ? <p className="muted small">No labelled data reached this call.</p> : (
            <ul className="lineage" data-testid="lineage">
              {carried.map((c) => (
                <li key={`${c.argument}:${c.label}`} data-testid="carried" data-argument={c.argument} data-label={c.label}>
                  <span className="mono">{c.argument === '*' ? '(the call)' : c.argument}</span> ← <span className="chip chip-label">{c.label}</span>
                  {c.from.length > 0 ? <> from {byOperation(c.from).map(([operation, calls]) => (
                    <span key={operation} className="lineage-source"><span className="mono">{operation}</span>{calls.map((f) => <button type="button" key={f.spanId} className="link" title={`call #${f.index + 1}`} onClick={() => onJump(f.spanId)}>#{f.index + 1}</button>)}</span>
                  ))}</> : <span className="muted"> from before this run</span>}
                  {c.atRest.length > 0 && <span className="muted"> · at rest since trace {c.atRest.map((t) => t.slice(0, 8)).join(', ')}</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {(event.kind === 'decision' || event.kind === 'approval.result') && (
        <p className="decided" data-testid="detail-decision">
          {event.kind === 'decision' ? event.data.decision : event.data.approved ? 'approved' : 'denied'} by <strong>{event.data.who ?? row.actor}</strong>
          {event.data.proof ? ` (${methodText(event.data.proof.method)})` : ''}{event.data.reason ? `: “${event.data.reason}”` : ''}
        </p>
      )}
      {payload.request !== undefined && (<><h4 className="sub-title">Request (redacted)</h4><pre className="json" data-testid="timeline-request">{payload.request}</pre></>)}
      {payload.response !== undefined && (<><h4 className="sub-title">Response (redacted)</h4><pre className="json" data-testid="timeline-response">{payload.response}</pre></>)}
      {payload.data !== undefined && (<><h4 className="sub-title">Data</h4><pre className="json">{payload.data}</pre></>)}
    </aside>
  );
}

/**
 * One trace as a waterfall, like Jaeger's: each span (submit, analysis, decision, the run, each
 * API call with its runtime approval) on its row, nested by parent, with a bar from its start to
 * its end on the trace's time axis and its duration. Virtualized (a 10k-event trace has
 * thousands of spans). Presentational: spans come from the core's lifecycle model.
 */
import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Span } from '../../core/audit/lifecycle/spans.ts';
import { formatDuration } from './timeline-model.ts';

export const SPAN_ROW_HEIGHT = 24;

export interface WaterfallProps {
  spans: readonly Span[];
  selectedSpanId?: string;
  onSelect(span: Span): void;
}

export function Waterfall({ spans, selectedSpanId, onSelect }: WaterfallProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [t0, total] = useMemo(() => {
    let start = Infinity;
    let end = -Infinity;
    for (const s of spans) {
      if (s.start < start) start = s.start;
      if (s.end > end) end = s.end;
    }
    return [start, Math.max(1, end - start)];
  }, [spans]);
  const virtualizer = useVirtualizer({ count: spans.length, getScrollElement: () => scroller.current, estimateSize: () => SPAN_ROW_HEIGHT, overscan: 10 });
  if (spans.length === 0) return null;
  return (
    <section className="waterfall" data-testid="waterfall" aria-label="Waterfall">
      <div className="wf-head">
        <span className="wf-name">span</span>
        <span className="wf-axis">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => <span key={f} style={{ left: `${f * 100}%` }}>{formatDuration(f * total) || '0 ms'}</span>)}
        </span>
        <span className="wf-dur num">duration</span>
      </div>
      <div className="wf-scroll" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const s = spans[item.index];
            const left = ((s.start - t0) / total) * 100;
            const width = Math.max(0.4, ((s.end - s.start) / total) * 100);
            return (
              <div
                key={s.spanId}
                className={`wf-row status-${s.status}${s.spanId === selectedSpanId ? ' selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: SPAN_ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                data-testid="span"
                data-span-id={s.spanId}
                data-kind={s.kind}
                data-depth={s.depth}
                data-status={s.status}
                onClick={() => onSelect(s)}
                role="row"
              >
                <span className="wf-name" style={{ paddingLeft: 6 + s.depth * 14 }} title={s.message ?? s.name}>
                  <span className={`wf-dot kind-chip-${s.kind.replace('.', '-')}`} aria-hidden />
                  {s.name}
                  {s.labels.length > 0 && <span className="wf-labels"> {s.labels.join(', ')}</span>}
                </span>
                <span className="wf-track">
                  <span className={`wf-bar wf-bar-${s.status} kind-${s.kind.replace('.', '-')}`} style={{ left: `${left}%`, width: `${width}%` }} />
                </span>
                <span className="wf-dur num">{formatDuration(s.end - s.start)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

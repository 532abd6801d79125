/**
 * One trace per submission on one timeline: the waterfall of the trace open (spans nested run →
 * calls, with durations) above the table of its events — submit, analysis, decision, run, every
 * API call with the labels it sent and received — and the detail of the event picked, with the
 * data lineage of a call. Filterable by trace, agent, service, label (sent or received),
 * destination and decision, and searchable; virtualized (fixed-height rows, only those on
 * screen in the DOM) so it stays smooth at 100k events. Reads one timeline store (given as a
 * prop, so the perf harness can render it without a core).
 */
import { useDeferredValue, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from 'zustand';
import { foldTrace, type SubmissionState } from '../../core/audit/lifecycle/state.ts';
import { spansOf, type Span } from '../../core/audit/lifecycle/spans.ts';
import type { AuditRecord } from '../../core/audit/types.ts';
import type { TimelineStore } from '../store/timeline.ts';
import { facetsOf, filterRows, formatDuration, rowsOfTraces, summarize, type TimelineFilters, type TimelineRow } from './timeline-model.ts';
import { TraceDetail } from './TraceDetail.tsx';
import { Waterfall } from './Waterfall.tsx';

export const ROW_HEIGHT = 28;

const rowCache = new WeakMap<readonly AuditRecord[], TimelineRow[]>();
const stateCache = new WeakMap<readonly AuditRecord[], SubmissionState | undefined>();

function FilterSelect(props: { label: string; value?: string; options: string[]; onChange(value: string): void; testId: string }) {
  return (
    <label className="inline-field">
      {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        <option value="">all</option>
        {props.options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  );
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false } as Intl.DateTimeFormatOptions);

function Row({ row, selected, onSelect, style }: { row: TimelineRow; selected: boolean; onSelect(): void; style: CSSProperties }) {
  const summary = summarize(row.event);
  return (
    <div
      className={`tl-row kind-${row.kind.replace('.', '-')}${selected ? ' selected' : ''}`}
      style={style}
      data-testid="timeline-row"
      data-kind={row.kind}
      data-decision={row.decision}
      data-trace-id={row.traceId}
      data-span-id={row.record.spanId}
      data-labels={row.labels.join(' ')}
      onClick={onSelect}
      role="row"
    >
      <span className="tl-time mono">{Number.isNaN(row.t) ? '' : TIME.format(row.t)}</span>
      <span className="tl-trace mono" title={row.traceId}>{row.traceId.slice(0, 8)}</span>
      <span className={`tl-kind chip kind-chip-${row.kind.replace('.', '-')}`}>{row.kind}</span>
      <span className="tl-name mono" title={row.name}>{row.name}</span>
      <span className={`tl-decision${row.decision ? ` chip decision-${row.decision.replace(' ', '-')}` : ''}`}>{row.decision}</span>
      <span className="tl-summary" title={summary}>{summary}</span>
      <span className="tl-labels" title={row.labels.join(', ')}>{row.labels.join(', ')}</span>
      <span className="tl-duration num">{formatDuration(row.durationMs)}</span>
    </div>
  );
}

export function Timeline({ store }: { store: TimelineStore }) {
  const version = useStore(store, (s) => s.version);
  const traces = useStore(store, (s) => s.traces);
  const filters = useStore(store, (s) => s.filters);
  const error = useStore(store, (s) => s.error);
  const rows = useMemo(() => rowsOfTraces(store.getState().records, rowCache), [store, version]);
  const facets = useMemo(() => facetsOf(rows), [rows]);
  const visible = useMemo(() => filterRows(rows, filters), [rows, filters]);
  // The trace open: its spans for the waterfall, its state for lineage.
  const open = filters.traceId ? store.getState().records[filters.traceId] : undefined;
  // The waterfall follows a frame behind the table: a big trace's table is on screen first.
  const deferred = useDeferredValue(open);
  const spans = useMemo(() => (deferred ? spansOf(rowsOfTraces({ t: deferred }, rowCache).map((r) => r.event)) : []), [deferred]);
  const [selectedKey, setSelectedKey] = useState<string>();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12, getItemKey: (i) => visible[i].key });
  const selected = selectedKey ? visible.find((r) => r.key === selectedKey) : undefined;
  // The trace's state (for a call's lineage), folded only when a call of the open trace is looked at.
  const lineageOf = selected?.kind === 'api.call' && selected.traceId === filters.traceId ? open : undefined;
  const detailState = useMemo(() => {
    if (!lineageOf) return undefined;
    if (!stateCache.has(lineageOf)) stateCache.set(lineageOf, foldTrace(lineageOf));
    return stateCache.get(lineageOf);
  }, [lineageOf]);
  const setFilter = (key: keyof TimelineFilters) => (value: string) => store.getState().setFilter(key, value);
  const traceOptions = useMemo(() => {
    const ids = new Set(traces.map((t) => t.traceId));
    for (const r of rows) ids.add(r.traceId);
    return [...ids];
  }, [traces, rows]);
  const traceLabel = (id: string) => {
    const t = traces.find((x) => x.traceId === id);
    return t?.intent ? `${t.intent} (${id.slice(0, 8)})` : id.slice(0, 12);
  };
  const selectSpan = (span: Span | { spanId: string }) => {
    const row = visible.find((r) => r.record.spanId === span.spanId && (r.kind === 'api.call' || !('primary' in span) || r.event === span.primary)) ?? visible.find((r) => r.record.spanId === span.spanId);
    if (!row) return;
    setSelectedKey(row.key);
    virtualizer.scrollToIndex(visible.indexOf(row), { align: 'center' });
  };

  return (
    <div className={`timeline-view${selected ? ' has-detail' : ''}`}>
      <nav className="trace-list" aria-label="Traces" data-testid="trace-list">
        <h2 className="panel-title">Traces <span className="count">{traces.length}</span></h2>
        <ul>
          {traces.map((t) => (
            <li key={t.traceId}>
              <button type="button" className={`trace-item${filters.traceId === t.traceId ? ' selected' : ''}`} data-testid="trace-item" data-trace-id={t.traceId} onClick={() => void store.getState().open(t.traceId)}>
                <span className="trace-intent" title={t.intent}>{t.intent ?? t.traceId.slice(0, 12)}</span>
                <span className="inbox-meta">{t.agent ?? '—'} · {t.events} events · {new Date(t.start).toLocaleTimeString()}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="timeline-main">
        <div className="toolbar filters" data-testid="timeline-filters">
          <label className="inline-field">
            Trace
            <select value={filters.traceId ?? ''} onChange={(e) => setFilter('traceId')(e.target.value)} data-testid="filter-trace">
              <option value="">all opened</option>
              {traceOptions.map((id) => <option key={id} value={id}>{traceLabel(id)}</option>)}
            </select>
          </label>
          <FilterSelect label="Agent" value={filters.agent} options={facets.agents} onChange={setFilter('agent')} testId="filter-agent" />
          <FilterSelect label="Service" value={filters.service} options={facets.services} onChange={setFilter('service')} testId="filter-service" />
          <FilterSelect label="Label" value={filters.label} options={facets.labels} onChange={setFilter('label')} testId="filter-label" />
          <FilterSelect label="Destination" value={filters.destination} options={facets.destinations} onChange={setFilter('destination')} testId="filter-destination" />
          <FilterSelect label="Decision" value={filters.decision} options={facets.decisions} onChange={setFilter('decision')} testId="filter-decision" />
          <input className="filter-text" placeholder="Search name, labels, #channel…" value={filters.text ?? ''} onChange={(e) => setFilter('text')(e.target.value)} data-testid="filter-text" />
          <span className="muted count-label" data-testid="timeline-count">{visible.length.toLocaleString()} / {rows.length.toLocaleString()} events</span>
        </div>
        {error && <p className="error">{error}</p>}
        {open ? <Waterfall spans={spans} selectedSpanId={selected?.record.spanId} onSelect={selectSpan} /> : rows.length > 0 && <p className="muted wf-hint">Open a trace (left) to see it as a waterfall.</p>}
        <div className="tl-table">
          <div className="tl-header" role="row">
            <span className="tl-time">time</span>
            <span className="tl-trace">trace</span>
            <span className="tl-kind">kind</span>
            <span className="tl-name">name</span>
            <span className="tl-decision">decision</span>
            <span className="tl-summary">summary</span>
            <span className="tl-labels">labels</span>
            <span className="tl-duration num">duration</span>
          </div>
          <div className="tl-scroll" ref={scroller} data-testid="timeline" role="table">
            {visible.length === 0 && <p className="muted tl-empty">{rows.length ? 'No events match the filters.' : 'Open a trace on the left, or play a demo story: its events appear here as they happen.'}</p>}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = visible[item.index];
                return (
                  <Row key={item.key} row={row} selected={row.key === selectedKey} onSelect={() => setSelectedKey(row.key)}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }} />
                );
              })}
            </div>
          </div>
        </div>
      </section>
      {selected && <TraceDetail row={selected} state={detailState} onJump={(spanId) => selectSpan({ spanId })} />}
    </div>
  );
}

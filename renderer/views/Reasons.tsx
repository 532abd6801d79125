/** The verdict's reasons and the diagnostics, each a link to its line. */
import type { Analysis } from '../../core/analysis/types.ts';

export function Reasons({ analysis, onReveal }: { analysis?: Analysis; onReveal(line: number, column: number): void }) {
  if (!analysis) return null;
  const items = [
    ...analysis.diagnostics.map((d) => ({ key: `d${d.start}${d.code}`, verdict: d.blocking ? 'deny' : 'diagnostic', kind: 'diagnostic', message: d.message, line: d.line, column: d.column, code: d.code })),
    ...analysis.reasons.filter((r) => r.code !== 'diagnostic').map((r, i) => ({ key: `r${i}`, verdict: r.verdict, kind: 'reason', message: r.message, line: r.line, column: r.column, code: r.code })),
    ...analysis.unknowns.map((u, i) => ({ key: `u${i}`, verdict: 'needs-approval', kind: 'unknown', message: u.message, line: u.line, column: u.column, code: u.code })),
  ];
  if (items.length === 0) return <p className="muted" data-testid="reasons">No findings: every call and flow is allowed by the policy.</p>;
  return (
    <ul className="reasons" data-testid="reasons">
      {items.map((item) => (
        <li key={item.key}>
          <button
            type="button"
            className={`reason reason-${item.verdict}`}
            data-testid="reason"
            data-verdict={item.verdict}
            data-code={item.code}
            data-line={item.line}
            onClick={() => onReveal(item.line, item.column)}
          >
            <span className="reason-line">L{item.line}</span>
            <span className="reason-text">{item.message}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

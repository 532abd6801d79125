/**
 * Pure: an analysis → the marks the editor shows. Blocking diagnostics and `deny` reasons are
 * errors (red), other type errors warnings, `needs-approval` reasons and unknowns warnings (amber), `allow` reasons information.
 */
import type { Analysis, SourceRange } from '../../core/analysis/types.ts';

export type MarkKind = 'deny' | 'needs-approval' | 'info' | 'diagnostic';

export interface Mark {
  kind: MarkKind;
  severity: 'error' | 'warning' | 'info';
  message: string;
  code: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

function range(r: SourceRange): Pick<Mark, 'startLineNumber' | 'startColumn' | 'endLineNumber' | 'endColumn'> {
  const startLineNumber = Math.max(1, r.line);
  const startColumn = Math.max(1, r.column);
  const endLineNumber = Math.max(startLineNumber, r.endLine || startLineNumber);
  const endColumn = endLineNumber === startLineNumber ? Math.max(startColumn + 1, r.endColumn || startColumn + 1) : Math.max(1, r.endColumn);
  return { startLineNumber, startColumn, endLineNumber, endColumn };
}

export function marksFor(analysis: Analysis | undefined): Mark[] {
  if (!analysis) return [];
  const marks: Mark[] = [];
  for (const d of analysis.diagnostics) {
    marks.push({ kind: 'diagnostic', severity: d.severity === 'error' && d.blocking !== false ? 'error' : 'warning', message: d.message, code: d.code, ...range(d) });
  }
  const seen = new Set<string>();
  for (const r of [...analysis.reasons, ...analysis.unknowns]) {
    const key = `${r.code}|${r.message}|${r.start}|${r.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (r.code === 'diagnostic') continue; // already shown as the diagnostic itself
    const kind: MarkKind = r.verdict === 'deny' ? 'deny' : r.verdict === 'needs-approval' ? 'needs-approval' : 'info';
    const severity = kind === 'deny' ? 'error' : kind === 'needs-approval' ? 'warning' : 'info';
    const verdict = r.verdict === 'deny' ? 'Denied' : r.verdict === 'needs-approval' ? 'Needs approval' : 'Allowed';
    marks.push({ kind, severity, message: `${verdict}: ${r.message}`, code: r.code, ...range(r) });
  }
  return marks;
}

/** One decoration per line: deny wins over needs-approval, and the hover lists every reason. */
export interface LineMark {
  line: number;
  kind: 'deny' | 'needs-approval';
  message: string;
}

export function lineMarks(marks: Mark[]): LineMark[] {
  const byLine = new Map<number, LineMark>();
  for (const m of marks) {
    if (m.kind !== 'deny' && m.kind !== 'needs-approval') continue;
    const current = byLine.get(m.startLineNumber);
    if (!current) byLine.set(m.startLineNumber, { line: m.startLineNumber, kind: m.kind, message: m.message });
    else {
      current.kind = current.kind === 'deny' || m.kind === 'deny' ? 'deny' : 'needs-approval';
      current.message += `\n\n${m.message}`;
    }
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

/** Human and JSON renderings of analyses and runs for the command line. */
import type { Analysis } from '../analysis/types.ts';
import type { RunResult } from '../sandbox/types.ts';

export function checkJson(analysis: Analysis) {
  return {
    verdict: analysis.verdict,
    reasons: analysis.reasons.map((r) => ({
      code: r.code,
      message: r.message,
      line: r.line,
      column: r.column,
      ...(r.label ? { label: r.label } : {}),
      ...(r.destination ? { destination: r.destination } : {}),
    })),
    calls: analysis.calls.map((c) => ({ service: c.service, operation: c.operation, line: c.line })),
    flows: analysis.flows.map((f) => ({ label: f.label, destination: f.destination, line: f.line })),
    diagnostics: analysis.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.line, column: d.column, severity: d.severity, blocking: d.blocking })),
  };
}

const VERDICT_TEXT = { allow: 'ALLOW', 'needs-approval': 'NEEDS APPROVAL', deny: 'DENY' } as const;

export function checkText(file: string, analysis: Analysis): string {
  const lines = [`${file}: ${VERDICT_TEXT[analysis.verdict]}`];
  for (const d of analysis.diagnostics) lines.push(`  ${file}:${d.line}:${d.column} ${d.severity}: ${d.message}`);
  for (const r of analysis.reasons) {
    if (r.code === 'diagnostic') continue;
    lines.push(`  ${file}:${r.line}:${r.column} ${r.verdict}: ${r.message}`);
  }
  if (analysis.flows.length) {
    lines.push('  flows:');
    for (const f of analysis.flows) lines.push(`    ${f.label} → ${f.destination} (line ${f.line}): ${f.verdict}`);
  }
  if (analysis.calls.length) lines.push(`  calls: ${analysis.calls.map((c) => `${c.service}.${c.operation} (line ${c.line})`).join(', ')}`);
  return lines.join('\n');
}

export function runJson(result: RunResult) {
  return {
    status: result.status,
    result: result.result ?? null,
    ...(result.error ? { error: result.error } : {}),
    calls: result.calls.map((c) => ({ service: c.service, operation: c.operation, decision: c.decision, ...(c.reason ? { reason: c.reason } : {}) })),
    console: result.console,
    traceId: result.traceId,
    durationMs: Math.round(result.durationMs * 10) / 10,
  };
}

export function runText(result: RunResult): string {
  const lines: string[] = [];
  for (const c of result.console) lines.push(`[console.${c.level}] ${c.text}`);
  for (const c of result.calls) lines.push(`call ${c.service}.${c.operation}: ${c.decision}${c.reason ? ` — ${c.reason}` : ''} (${c.durationMs.toFixed(1)} ms)`);
  lines.push(`status: ${result.status}${result.error ? ` — ${result.error.message}${result.error.line ? ` (line ${result.error.line})` : ''}` : ''}`);
  if (result.result !== undefined) lines.push(`result: ${JSON.stringify(result.result, null, 2)}`);
  lines.push(`trace: ${result.traceId}`);
  return lines.join('\n');
}

/** Human and JSON renderings of analyses and runs for the command line. */
import type { Analysis } from '../analysis/types.ts';
import type { LintFinding } from '../policy/types.ts';
import type { RunResult } from '../sandbox/types.ts';

/** What `check` reports: the analysis, and the policy's lint against the catalog. */
export interface CheckReport {
  file: string;
  policy: string;
  catalog: string;
  analysis: Analysis;
  lint: LintFinding[];
}

/** `check --json`: every field the text output shows (SCENARIOS.md's fields first). */
export function checkJson({ file, policy, catalog, analysis, lint }: CheckReport) {
  return {
    verdict: analysis.verdict,
    reasons: analysis.reasons.map((r) => ({
      code: r.code,
      message: r.message,
      line: r.line,
      column: r.column,
      ...(r.label ? { label: r.label } : {}),
      ...(r.destination ? { destination: r.destination } : {}),
      verdict: r.verdict,
      ...(r.operation ? { operation: r.operation } : {}),
    })),
    calls: analysis.calls.map((c) => ({ service: c.service, operation: c.operation, line: c.line, destinations: c.destinations, labels: c.labels })),
    flows: analysis.flows.map((f) => ({ label: f.label, destination: f.destination, line: f.line, verdict: f.verdict })),
    diagnostics: analysis.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.line, column: d.column, severity: d.severity, blocking: d.blocking })),
    unknowns: analysis.unknowns.map((u) => ({ code: u.code, message: u.message, line: u.line, column: u.column })),
    complete: analysis.complete,
    lint: lint.map((l) => ({ severity: l.severity, code: l.code, message: l.message, pointer: l.pointer })),
    file,
    policy,
    catalog,
    sourceHash: analysis.sourceHash,
  };
}

const VERDICT_TEXT = { allow: 'ALLOW', 'needs-approval': 'NEEDS APPROVAL', deny: 'DENY' } as const;

export function checkText({ file, policy, catalog, analysis, lint }: CheckReport): string {
  const lines = [`${file}: ${VERDICT_TEXT[analysis.verdict]} (policy ${policy}, catalog ${catalog})`];
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
  if (lint.length) {
    lines.push(`  policy ${policy} lint:`);
    for (const l of lint) lines.push(`    ${l.severity}${l.pointer ? ` at ${l.pointer}` : ''}: ${l.message}`);
  }
  return lines.join('\n');
}

/** `run --json`: SCENARIOS.md's fields, plus what the text shows besides (console, each call's time). */
export function runJson(result: RunResult) {
  return {
    status: result.status,
    result: result.result ?? null,
    ...(result.error ? { error: result.error } : {}),
    calls: result.calls.map((c) => ({ service: c.service, operation: c.operation, decision: c.decision, ...(c.reason ? { reason: c.reason } : {}), durationMs: Math.round(c.durationMs * 10) / 10 })),
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

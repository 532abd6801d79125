/**
 * Submissions made by other Flowgate processes (a `flowgate run` in a terminal, an earlier
 * workbench), read back from the shared audit log so the inbox shows them too — read-only:
 * only a live submission of this process can be decided or run. Only submissions that reached
 * an outcome (denied, or run to an end) are listed; one left waiting by a process that is gone
 * can never be answered.
 */
import type { Analysis, CallSite } from '../analysis/types.ts';
import { processAlive } from '../audit/process-alive.ts';
import { queryEvents, readTrace } from '../audit/query.ts';
import type { AuditRecord } from '../audit/types.ts';
import type { CallRecord, ConsoleLine, RunResult } from '../sandbox/types.ts';
import type { SubmissionSummary, SubmissionView } from './protocol.ts';

/** The newest submission traces of the log, as inbox entries (oldest first). */
export async function readHistory(file: string, skip: ReadonlySet<string>, limit = 200): Promise<SubmissionView[]> {
  const views: SubmissionView[] = [];
  const records = await newestSubmissions(file, limit);
  for (const submitted of records) {
    const id = String(submitted.data.submissionId ?? '');
    if (!id || skip.has(id)) continue;
    const view = fromTrace(await readTrace(file, submitted.traceId));
    if (view) views.push(view);
  }
  return views;
}

/** A submission a core that is gone left waiting for a human: what `Submissions.restore` needs. */
export interface Orphan {
  id: string;
  traceId: string;
  spanId: string;
  createdAt: string;
  source: string;
  intent: string;
  agent: string;
  task: string;
  catalog: string;
  policyName: string;
  policyDocument: unknown;
}

/** Submissions of cores no longer running that still wait for review (newest `limit` scanned). */
export async function readOrphans(file: string, skip: ReadonlySet<string>, limit = 200): Promise<Orphan[]> {
  const out: Orphan[] = [];
  const records = await newestSubmissions(file, limit);
  for (const submitted of records) {
    const d = submitted.data as Record<string, unknown>;
    const id = String(d.submissionId ?? '');
    if (!id || skip.has(id) || typeof d.core !== 'number' || processAlive(d.core) || d.policyDocument === undefined) continue;
    const trace = await readTrace(file, submitted.traceId);
    const settled = trace.some((r) => r.kind === 'run.end' || (r.kind === 'decision' && (r.name === 'approve' || r.name === 'deny')));
    const verdict = trace.findLast((r) => r.kind === 'analysis')?.data.verdict;
    if (settled || verdict !== 'needs-approval') continue;
    out.push({
      id, traceId: submitted.traceId, spanId: submitted.spanId, createdAt: submitted.time,
      source: String(d.source ?? ''), intent: String(d.intent ?? ''), agent: String(d.agent ?? 'unknown'),
      task: String(d.task ?? ''), catalog: String(d.catalog ?? 'demo'), policyName: String(d.policy ?? 'restored'), policyDocument: d.policyDocument,
    });
  }
  return out;
}


/** The newest `limit` submission events of the log, oldest first. */
async function newestSubmissions(file: string, limit: number): Promise<AuditRecord[]> {
  const { total } = await queryEvents(file, { kind: 'submission' }, { limit: 0 });
  return (await queryEvents(file, { kind: 'submission' }, { offset: Math.max(0, total - limit), limit })).records;
}

/** Rebuilds a submission from its trace; undefined when it never reached an outcome. */
export function fromTrace(trace: AuditRecord[]): SubmissionView | undefined {
  const submitted = trace.find((r) => r.kind === 'submission');
  const analysed = trace.find((r) => r.kind === 'analysis');
  if (!submitted || !analysed) return undefined;
  const decided = trace.find((r) => r.kind === 'decision' && (r.name === 'approve' || r.name === 'deny'));
  const ended = trace.findLast((r) => r.kind === 'run.end');
  const verdict = analysed.data.verdict as Analysis['verdict'];
  const deniedBeforeRun = verdict === 'deny' || decided?.name === 'deny';
  if (!ended && !deniedBeforeRun) return undefined;
  const s = submitted.data as Record<string, string>;
  const analysis: Analysis = {
    verdict,
    complete: analysed.data.complete === true,
    reasons: (analysed.data.reasons as Analysis['reasons']) ?? [],
    flows: (analysed.data.flows as Analysis['flows']) ?? [],
    diagnostics: (analysed.data.diagnostics as Analysis['diagnostics']) ?? [],
    calls: ((analysed.data.calls as Array<{ id: number; operation: string; line: number; labels: string[]; destinations: CallSite['destinations'] }>) ?? []).map((c) => ({
      id: c.id, service: c.operation.split('.')[0], operation: c.operation.split('.').slice(1).join('.'), labels: c.labels, destinations: c.destinations,
      constArgs: {}, line: c.line, column: 1, endLine: c.line, endColumn: 1, start: 0, end: 0,
    })),
    unknowns: [],
    sourceHash: s.sourceHash,
  };
  const summary: SubmissionSummary = {
    id: s.submissionId,
    traceId: submitted.traceId,
    createdAt: submitted.time,
    intent: s.intent ?? '',
    agent: s.agent ?? 'unknown',
    task: s.task ?? s.sourceHash,
    policy: s.policy ?? '',
    verdict,
    status: ended && !deniedBeforeRun ? 'finished' : 'denied',
    runStatus: ended?.data.status as RunResult['status'] | undefined,
    prompts: [],
  };
  return {
    ...summary,
    source: s.source ?? '',
    sourceHash: s.sourceHash,
    analysis,
    decision: decided ? (decided.data as unknown as SubmissionView['decision']) : undefined,
    run: ended ? runOf(trace, ended) : undefined,
  };
}

function runOf(trace: AuditRecord[], ended: AuditRecord): RunResult {
  const calls: CallRecord[] = trace.filter((r) => r.kind === 'api.call').map((r) => ({
    service: String(r.data.service),
    operation: String(r.data.operation).split('.').slice(1).join('.') || String(r.data.operation),
    decision: r.data.decision as CallRecord['decision'],
    reason: r.data.reason as string | undefined,
    durationMs: r.durationMs ?? 0,
    spanId: r.spanId,
  }));
  const console: ConsoleLine[] = trace.filter((r) => r.kind === 'console').map((r) => ({ level: r.data.level as ConsoleLine['level'], text: String(r.data.text) }));
  return {
    status: ended.data.status as RunResult['status'],
    result: ended.data.result,
    error: ended.data.error as RunResult['error'],
    calls,
    console,
    traceId: ended.traceId,
    durationMs: ended.durationMs ?? 0,
    labelsRead: (ended.data.labelsRead as string[]) ?? [],
  };
}

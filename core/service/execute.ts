/**
 * The life of a submission after review: analysis → (approval) → run, as one trace. Shared by
 * the CLI, the MCP server and the workbench so each leaves the same audit events.
 */
import { createHash } from 'node:crypto';
import type { Analysis } from '../analysis/types.ts';
import type { AuditSink, TraceContext } from '../audit/types.ts';
import type { Catalog } from '../catalog/types.ts';
import type { Policy } from '../policy/types.ts';
import { runProgram } from '../sandbox/run.ts';
import type { ApprovalGate, RunEvent, RunResult, SitePlan, Transport } from '../sandbox/types.ts';
import type { Limits } from '../policy/types.ts';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The per-site label sets the runtime may trust: only for a program the analysis followed
 * completely; otherwise none, and every call is checked against all labels the run read.
 */
export function sitePlanOf(analysis: Analysis): SitePlan | undefined {
  if (!analysis.complete) return undefined;
  return {
    sites: new Map(analysis.calls.map((c) => [c.id, { operation: `${c.service}.${c.operation}`, labels: c.labels, start: c.start, end: c.end }])),
  };
}

export interface ExecuteOptions {
  source: string;
  analysis: Analysis;
  catalog: Catalog;
  policy: Policy;
  transport: Transport;
  trace: TraceContext;
  audit?: AuditSink;
  approve?: ApprovalGate;
  limits?: Partial<Limits>;
  actor?: string;
  onEvent?: (event: RunEvent) => void;
}

/** Runs a reviewed program. The caller has already decided it may run (verdict allow, or approved). */
export function execute(options: ExecuteOptions): Promise<RunResult> {
  return runProgram({ ...options, sitePlan: sitePlanOf(options.analysis) });
}

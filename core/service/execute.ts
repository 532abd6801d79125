/**
 * The life of a submission after review: analysis → (approval) → run, as one trace. Shared by
 * the CLI, the MCP server and the workbench so each leaves the same audit events.
 */
import { createHash } from 'node:crypto';
import type { Analysis } from '../analysis/types.ts';
import type { AuditSink, TraceContext } from '../audit/types.ts';
import type { Catalog } from '../catalog/types.ts';
import type { Policy } from '../policy/types.ts';
import type { AtRestStore } from '../sandbox/at-rest.ts';
import { flowKey, integrityKey, type Approved } from '../sandbox/bridge.ts';
import { runProgram } from '../sandbox/run.ts';
import type { ApprovalGate, RunEvent, RunResult, Transport } from '../sandbox/types.ts';
import type { Limits } from '../policy/types.ts';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What a human's approval of a submission covers at run time: exactly the flows and operations
 * the analysis said need approval. Nothing the policy forbids is ever in it.
 */
export function approvedBy(analysis: Analysis): Approved {
  const flows = new Set<string>();
  const operations = new Set<string>();
  for (const f of analysis.flows) if (f.verdict === 'needs-approval') flows.add(flowKey(f.label, f.destination));
  for (const r of analysis.reasons) {
    if (r.verdict !== 'needs-approval') continue;
    if (r.code === 'integrity' && r.label && r.operation) flows.add(integrityKey(r.label, r.operation));
    else if (r.label) flows.add(flowKey(r.label, r.destination));
    else if (r.operation) operations.add(r.operation);
  }
  return { flows, operations };
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
  /** Whether a human approved the submission (then its needs-approval flows are permitted). */
  approved?: boolean;
  atRest?: AtRestStore;
  params?: Record<string, unknown>;
  paramsLabels?: string[];
  agent?: string;
  limits?: Partial<Limits>;
  actor?: string;
  onEvent?: (event: RunEvent) => void;
}

/** Runs a reviewed program. The caller has already decided it may run (verdict allow, or approved). */
export function execute(options: ExecuteOptions): Promise<RunResult> {
  return runProgram({
    ...options,
    approved: options.approved ? approvedBy(options.analysis) : undefined,
    analysisVerdict: options.analysis.verdict,
  });
}

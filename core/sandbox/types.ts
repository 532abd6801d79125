/**
 * The sandbox's contract: run one program in a fresh isolate under a policy.
 * Invariant: no isolated-vm object is ever reachable from guest code.
 */
import type { Catalog, Operation } from '../catalog/types.ts';
import type { Decision, Limits, Policy } from '../policy/types.ts';
import type { AuditSink, TraceContext } from '../audit/types.ts';

/** Performs the HTTP request for an operation on the host, adding the credentials it holds. */
export interface Transport {
  call(op: Operation, args: Record<string, unknown>, headers: Record<string, string>): Promise<TransportResponse>;
}

export interface TransportResponse {
  status: number;
  body: unknown;
}

/** A runtime approval prompt: a call the policy says needs a human. */
export interface ApprovalRequest {
  traceId: string;
  operation: string;
  args: Record<string, unknown>;
  reasons: Decision[];
}

/** Decides runtime approval prompts; resolves `false` when denied or past its deadline. */
export type ApprovalGate = (request: ApprovalRequest) => Promise<boolean>;

/** Per call site, the labels the static analysis proved may reach it (precise path). */
export interface SitePlan {
  /** Site id → the operation it calls, the labels that may reach it, and the call's offsets in the source. */
  sites: Map<number, { operation: string; labels: string[]; start: number; end: number }>;
}

export type RunStatus = 'ok' | 'denied' | 'limit' | 'error';

export interface CallRecord {
  service: string;
  operation: string;
  decision: 'allow' | 'deny' | 'approved' | 'error';
  reason?: string;
  durationMs: number;
  spanId: string;
}

export interface ConsoleLine {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
}

export interface RunResult {
  status: RunStatus;
  result?: unknown;
  error?: { code: string; message: string; line?: number };
  calls: CallRecord[];
  console: ConsoleLine[];
  traceId: string;
  durationMs: number;
  /** Every label the run read. */
  labelsRead: string[];
}

/** Live events while a program runs (the workbench's Run view). */
export type RunEvent =
  | { type: 'call.start'; operation: string; spanId: string }
  | { type: 'call.end'; record: CallRecord }
  | { type: 'console'; line: ConsoleLine }
  | { type: 'approval'; request: ApprovalRequest };

export interface RunOptions {
  /** TypeScript program body (SCENARIOS.md, "Program form"). */
  source: string;
  catalog: Catalog;
  policy: Policy;
  transport: Transport;
  /** Trace this run belongs to; the run adds its spans under `trace.spanId`. */
  trace: TraceContext;
  audit?: AuditSink;
  /** Runtime approvals. Default: deny every prompt. */
  approve?: ApprovalGate;
  /** Static label sets per call site, for programs the analysis followed completely. */
  sitePlan?: SitePlan;
  /** Overrides the policy's limits (e.g. `--max-duration`). */
  limits?: Partial<Limits>;
  actor?: string;
  onEvent?: (event: RunEvent) => void;
}

/**
 * The sandbox's contract: run one program in a fresh isolate under a policy.
 * Invariant: no isolated-vm object is ever reachable from guest code.
 */
import type { Catalog, Operation } from '../catalog/types.ts';
import type { Decision, Limits, Policy } from '../policy/types.ts';
import type { AuditSink, TraceContext } from '../audit/types.ts';
import type { AtRestStore } from './at-rest.ts';
import type { Approved } from './bridge.ts';
import type { ApprovalAnsweredData, WithheldFrom } from '../audit/lifecycle/events.ts';

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

/** A runtime approval's answer: yes or no, with who gave it, why and how it was authenticated (recorded on the trace). */
export type ApprovalAnswer = boolean | ({ approved: boolean } & Omit<ApprovalAnsweredData, 'operation' | 'approved'>);

/** Decides runtime approval prompts; resolves `false` when denied or past its deadline. */
export type ApprovalGate = (request: ApprovalRequest) => Promise<ApprovalAnswer>;

export type RunStatus = 'ok' | 'denied' | 'limit' | 'error';

export interface CallRecord {
  service: string;
  operation: string;
  decision: 'allow' | 'deny' | 'approved' | 'error';
  reason?: string;
  durationMs: number;
  spanId: string;
  /** Made where data the agent may not see decided it: not in the agent's view (RunResult.withheldFrom). */
  hiddenFromAgent?: boolean;
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
  /**
   * Where the agent's view of the run stops: the first call made, or console line printed, where
   * data the agent may not see decided it (the trace keeps everything; mcp-outcome.ts `runView`
   * cuts).
   */
  withheldFrom?: WithheldFrom;
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
  /** What a human approved before the run (the analysis' needs-approval flows and operations). */
  approved?: Approved;
  /** The static verdict: a call the runtime refuses after the analysis said allow is an analysis miss. */
  analysisVerdict?: string;
  /** Labels at rest, shared by every run on the data directory. Default: none (nothing persists). */
  atRest?: AtRestStore;
  /** The task's own inputs, visible to the program as `params`. */
  params?: Record<string, unknown>;
  /** Labels the params carry: what earlier runs handed back to the agent that gives them. */
  paramsLabels?: string[];
  /** Who the result goes back to (an MCP client): what it is handed stays labelled with it. */
  agent?: string;
  /** Overrides the policy's limits (e.g. `--max-duration`). */
  limits?: Partial<Limits>;
  actor?: string;
  onEvent?: (event: RunEvent) => void;
}

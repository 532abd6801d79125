/**
 * A submission's state is the fold of its trace: `reduce(state, event)` is the only function
 * that says what an event does to it. The live inbox folds events as it writes them; history,
 * restart recovery and the workbench fold the records they read back — so all of them agree.
 *
 * Pure and browser-safe.
 */
import type { Analysis } from '../../analysis/types.ts';
import type { Verdict } from '../../policy/types.ts';
import type { AuditEvent, AuditRecord } from '../types.ts';
import { decodeEvent } from './codec.ts';
import type {
  AnalysisMissData, ApiCallData, CallDecision, ConsoleData, DecisionStatement, Finding, LimitData, ProofMethod, RunStatus, TraceEvent, WithheldFrom,
} from './events.ts';

/**
 * - `pending-review`: needs a human decision before it may run;
 * - `ready`: may run (the policy allows it, or a human approved it — `decision` says which);
 * - `denied`: will not run (the policy denies it, or a human denied it);
 * - `running`, `finished`: one run per submission.
 */
export type SubmissionStatus = 'pending-review' | 'ready' | 'denied' | 'running' | 'finished';

/** A human's (or, for a runtime deadline, Flowgate's) decision. */
export interface HumanDecision {
  decision: 'approve' | 'deny';
  who: string;
  reason: string;
  at: string;
  sourceHash: string;
  /** How it was authenticated: a reviewer passkey, the local-development fallback, Flowgate itself, or unsigned (older logs). */
  method: ProofMethod;
  credentialId?: string;
  statement?: DecisionStatement;
}

export interface CallState {
  spanId: string;
  /** `service.operation`. */
  operation: string;
  service: string;
  /** `pending` while the call waits for a runtime approval, before it is sent or refused. */
  decision: CallDecision | 'pending';
  reason?: string;
  findings?: Finding[];
  time: string;
  durationMs: number;
  sent?: Record<string, string[]>;
  received: string[];
  atRest?: ApiCallData['atRest'];
  destinations?: string[];
  status?: number;
  hiddenFromAgent?: boolean;
  /** The runtime approval this call waited for, and the answer. */
  asked?: { reasons: Finding[] };
  answer?: HumanDecision & { approved: boolean };
}

export interface RunState {
  spanId: string;
  startedAt: string;
  status: 'running' | RunStatus;
  result?: unknown;
  error?: { code: string; message: string; line?: number };
  calls: CallState[];
  console: ConsoleData[];
  durationMs?: number;
  labelsRead: string[];
  /** Where the agent's view of the run stops (RunEndedData.withheldFrom). */
  withheldFrom?: WithheldFrom;
  limit?: LimitData;
  misses: AnalysisMissData[];
}

export interface SubmissionState {
  id: string;
  traceId: string;
  /** The trace's root span. */
  spanId: string;
  createdAt: string;
  intent: string;
  agent: string;
  task: string;
  /** The policy applied: its name, the SHA-256 of its canonical document, and the document (older logs: no hash). */
  policy: { name: string; hash?: string; document?: unknown };
  catalog: string;
  source: string;
  sourceHash: string;
  /** The pid of the core that holds the submission now. */
  core?: number;
  analysis?: Analysis;
  status: SubmissionStatus;
  decision?: HumanDecision;
  run?: RunState;
  /** A run was asked for and refused before starting (waiting for review, or denied). */
  refusal?: { code: string; message: string; at: string };
}

/** The policy's verdict, once analysed. */
export function verdictOf(state: SubmissionState): Verdict | undefined {
  return state.analysis?.verdict;
}

/** The state after one event. Events of other traces, and events before `submission`, change nothing. */
export function reduce(state: SubmissionState | undefined, event: TraceEvent): SubmissionState | undefined {
  if (event.kind === 'submission') {
    if (state) return state;
    const d = event.data;
    return {
      id: d.submissionId,
      traceId: event.traceId,
      spanId: event.spanId,
      createdAt: event.time,
      intent: d.intent,
      agent: d.agent,
      task: d.task,
      policy: { name: d.policy, ...(d.policyHash ? { hash: d.policyHash } : {}), ...(d.policyDocument !== undefined ? { document: d.policyDocument } : {}) },
      catalog: d.catalog,
      source: d.source,
      sourceHash: d.sourceHash,
      ...(d.core !== undefined ? { core: d.core } : {}),
      status: 'pending-review',
    };
  }
  if (!state || event.traceId !== state.traceId) return state;
  switch (event.kind) {
    case 'analysis': {
      const { restored: _r, core, ...analysis } = event.data;
      const next = { ...state, analysis: { ...analysis, sourceHash: analysis.sourceHash || state.sourceHash }, ...(core !== undefined ? { core } : {}) };
      // A decided or running submission keeps its status; an undecided one follows the verdict.
      if (state.status !== 'pending-review' || state.decision) return next;
      return { ...next, status: analysis.verdict === 'allow' ? 'ready' : analysis.verdict === 'deny' ? 'denied' : 'pending-review' };
    }
    case 'decision': {
      const d = event.data;
      const decision: HumanDecision = {
        decision: d.decision, who: d.who, reason: d.reason, at: d.at || event.time, sourceHash: d.sourceHash, method: d.proof.method,
        ...(d.proof.method === 'passkey' ? { credentialId: d.proof.credentialId } : {}),
        ...(d.statement ? { statement: d.statement } : {}),
      };
      const status = state.status === 'pending-review' ? (d.decision === 'approve' ? 'ready' : 'denied') : state.status;
      return { ...state, decision, status };
    }
    case 'run.start':
      return { ...state, status: 'running', run: { spanId: event.spanId, startedAt: event.time, status: 'running', calls: [], console: [], labelsRead: [], misses: [] } };
    case 'run.end': {
      const d = event.data;
      // A run asked of a submission that may not run ends before it starts: the status stays.
      if (!state.run) return { ...state, refusal: { code: d.error?.code ?? d.status, message: d.error?.message ?? '', at: event.time } };
      const run = state.run;
      return {
        ...state,
        status: 'finished',
        run: { ...run, status: d.status, result: d.result, error: d.error, durationMs: event.durationMs ?? run.durationMs, labelsRead: d.labelsRead ?? run.labelsRead, ...(d.withheldFrom ? { withheldFrom: d.withheldFrom } : {}) },
      };
    }
    default:
      return state.run ? { ...state, run: reduceRun(state.run, event, state.decision) } : state;
  }
}

/** Events inside a run: calls, console lines, runtime approvals, limits, analysis misses. */
function reduceRun(run: RunState, event: TraceEvent, decision: HumanDecision | undefined): RunState {
  switch (event.kind) {
    case 'api.call': {
      const d = event.data;
      const at = run.calls.findIndex((c) => c.spanId === event.spanId);
      const previous = at >= 0 ? run.calls[at] : undefined;
      const call: CallState = {
        spanId: event.spanId, operation: d.operation, service: d.service, decision: d.decision, time: event.time, durationMs: event.durationMs ?? 0, received: d.received ?? [],
        ...(d.reason !== undefined ? { reason: d.reason } : {}),
        ...(d.findings ? { findings: d.findings } : {}),
        ...(d.sent ? { sent: d.sent } : {}),
        ...(d.atRest ? { atRest: d.atRest } : {}),
        ...(d.destinations ? { destinations: d.destinations } : {}),
        ...(d.status !== undefined ? { status: d.status } : {}),
        ...(d.hiddenFromAgent ? { hiddenFromAgent: true } : {}),
        ...(previous?.asked ? { asked: previous.asked } : {}),
        ...(previous?.answer ? { answer: previous.answer } : {}),
      };
      return { ...run, calls: at >= 0 ? run.calls.map((c, i) => (i === at ? call : c)) : [...run.calls, call] };
    }
    case 'approval.request':
      return withCall(run, event.spanId, event.data.operation, event.time, (c) => ({ ...c, asked: { reasons: event.data.reasons } }));
    case 'approval.result': {
      const d = event.data;
      return withCall(run, event.spanId, d.operation, event.time, (c) => {
        // Older logs wrote the answer twice: once named (who, why), once bare. The named one stands.
        if (c.answer && !d.who) return c;
        const proof = d.proof;
        const answer: CallState['answer'] = {
          approved: d.approved, decision: d.approved ? 'approve' : 'deny', who: d.who ?? actorName(event.actor), reason: d.reason ?? '', at: d.at ?? event.time, sourceHash: decision?.sourceHash ?? '',
          method: proof ? proof.method : 'unsigned',
          ...(proof?.method === 'passkey' ? { credentialId: proof.credentialId } : {}),
          ...(d.statement ? { statement: d.statement } : {}),
        };
        return { ...c, answer };
      });
    }
    case 'console':
      return { ...run, console: [...run.console, event.data] };
    case 'limit':
      return { ...run, limit: event.data };
    case 'analysis.miss':
      return { ...run, misses: [...run.misses, event.data] };
    default:
      return run;
  }
}

/**
 * Updates the call in span `spanId` — or, for older logs whose answer records sit in their own
 * span, the last call of that operation still waiting — creating it (not yet sent) if none exists.
 */
function withCall(run: RunState, spanId: string, operation: string, time: string, update: (call: CallState) => CallState): RunState {
  let at = run.calls.findIndex((c) => c.spanId === spanId);
  if (at < 0) at = run.calls.findLastIndex((c) => c.operation === operation && c.asked !== undefined && c.answer === undefined);
  if (at >= 0) return { ...run, calls: run.calls.map((c, i) => (i === at ? update(c) : c)) };
  const waiting: CallState = { spanId, operation, service: operation.split('.')[0], decision: 'pending', time, durationMs: 0, received: [] };
  return { ...run, calls: [...run.calls, update(waiting)] };
}

function actorName(actor: string): string {
  const colon = actor.indexOf(':');
  return colon >= 0 ? actor.slice(colon + 1) : actor;
}

/** Folds a trace (records in log order) into its submission's state; undefined without a `submission` record. */
export function foldTrace(records: Iterable<AuditRecord | AuditEvent>): SubmissionState | undefined {
  let state: SubmissionState | undefined;
  for (const record of records) {
    const event = decodeEvent(record);
    if (event) state = reduce(state, event);
  }
  return state;
}

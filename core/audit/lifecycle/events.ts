/**
 * The life of a submission as typed events: one payload type per audit record kind. Every
 * reader of a trace (the live inbox, history, restart recovery, the timeline, the OTLP export,
 * the workbench) goes through `decodeEvent` (codec.ts) to these types and folds them with
 * `reduce` (state.ts); nobody digs into `AuditRecord.data` by hand.
 *
 * The on-disk format is the audit record (kind, name, actor, data…) as before; the field names
 * below are what older logs already hold, and codec.ts reads the older shapes too.
 *
 * Pure and browser-safe: types only, from the analysis and policy layers below.
 */
import type { Analysis } from '../../analysis/types.ts';
import type { Decision as Finding, Verdict } from '../../policy/types.ts';
import type { EventKind } from '../types.ts';

export type { Finding };

/** What a human signs when deciding (statement.ts builds it; its SHA-256 is the WebAuthn challenge). */
export interface DecisionStatement {
  v: 1;
  /** A whole submission, or one API call a running program asked about. */
  subject: 'submission' | 'call';
  submissionId: string;
  traceId: string;
  /** SHA-256 of the program: the decision binds to exactly this program. */
  sourceHash: string;
  /** The policy the program was checked against and will run under, and the SHA-256 of its canonical document. */
  policy: { name: string; hash: string };
  /** The flows the reviewer saw (label → destination at a line, with the policy's verdict). */
  flows: Array<{ label: string; destination: string; line: number; verdict: Verdict }>;
  /** The operation a runtime approval is about (`subject: 'call'`). */
  operation?: string;
  decision: 'approve' | 'deny';
  reason: string;
}

/** What an existing reviewer's passkey signs to endorse a new one. */
export interface EndorsementStatement {
  v: 1;
  subject: 'reviewer';
  credentialId: string;
  publicKey: string;
  name: string;
}

/** How a decision was authenticated. */
export type Proof =
  /** A WebAuthn assertion by a registered reviewer passkey over the statement (base64url fields). */
  | { method: 'passkey'; credentialId: string; authenticatorData: string; clientDataJSON: string; signature: string; userHandle?: string }
  /** Local development only (CLI `--approve`, tests): no reviewer credential. Shown as such everywhere. */
  | { method: 'dev'; note: string }
  /** Flowgate itself (a runtime approval's deadline passed). */
  | { method: 'system' }
  /** A record written before decisions were signed (older logs). */
  | { method: 'unsigned' };

export type ProofMethod = Proof['method'];

export interface SubmittedData {
  submissionId: string;
  intent: string;
  agent: string;
  /** Submissions with the same task are versions of one another. */
  task: string;
  policy: string;
  /** SHA-256 of the canonical policy document (older logs: absent). */
  policyHash?: string;
  /** The exact policy document applied (it may be an edited one). */
  policyDocument?: unknown;
  catalog: string;
  sourceHash: string;
  source: string;
  /** The pid of the core that took the submission (restart recovery). */
  core?: number;
}

/** The static analysis, whole; a core that took back a submission left waiting analyses it again and says so. */
export type AnalysedData = Analysis & { restored?: boolean; core?: number };

export interface DecidedData {
  decision: 'approve' | 'deny';
  /** The reviewer: the passkey's registered name, `cli --approve`, `flowgate`… */
  who: string;
  reason: string;
  at: string;
  /** The program hash the decision binds to. */
  sourceHash: string;
  /** What was signed (absent in older logs). */
  statement?: DecisionStatement;
  proof: Proof;
}

export interface RunStartedData {
  policy: string;
  limits?: { maxDurationMs: number; maxMemoryMb: number; maxApiCalls: number };
}

export type CallDecision = 'allow' | 'approved' | 'deny' | 'error';

/** The argument name under which `sent` lists labels known to reach the call but not which argument. */
export const WHOLE_CALL = '*';

export interface ApiCallData {
  service: string;
  /** `service.operation`. */
  operation: string;
  verb?: string;
  host?: string;
  decision: CallDecision;
  reason?: string;
  findings?: Finding[];
  /**
   * Labels of what the call sent, per argument name. `'*'` ({@link WHOLE_CALL}) holds labels
   * that reached the call without the runtime saying which argument (today's bridge: the labels
   * the call was checked against); the label-tracking runtime fills each argument.
   */
  sent?: Record<string, string[]>;
  /** Labels of the response. */
  received?: string[];
  /** Labels the response carried "at rest": written by an earlier run (`traceId`, by `operation`, `at`) into what this call read back. */
  atRest?: Array<{ label: string; traceId: string; at?: string; operation?: string }>;
  /** Destination classes the call names (`slack`, `slack.internal`…). */
  destinations?: string[];
  /**
   * Every label of `sent`, `received` and `atRest` (older logs: the response's labels). The
   * audit index files the record under each, so a label filter finds a call by what it sent.
   */
  labels: string[];
  request?: unknown;
  /** HTTP status of the answer. */
  status?: number;
  response?: unknown;
  /** Made where data the agent may not see decided it (RunEndedData.withheldFrom): not in the agent's view of the run. */
  hiddenFromAgent?: boolean;
}

export interface ConsoleData {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
  /** Labels of what was printed (the label-tracking runtime says). */
  labels?: string[];
}

export interface ApprovalAskedData {
  operation: string;
  args?: Record<string, unknown>;
  reasons: Finding[];
}

export interface ApprovalAnsweredData {
  operation: string;
  approved: boolean;
  /** The human (or `flowgate` when the deadline passed). Older logs: absent. */
  who?: string;
  reason?: string;
  at?: string;
  statement?: DecisionStatement;
  proof?: Proof;
}

export interface LimitData {
  code: string;
  message: string;
}

export type RunStatus = 'ok' | 'denied' | 'limit' | 'error';

export interface RunEndedData {
  status: RunStatus;
  result?: unknown;
  error?: { code: string; message: string; line?: number };
  calls?: number;
  labelsRead?: string[];
  /**
   * Where what the run shows the agent starts to depend on data the agent may not see (a label
   * withheld from `agent`): the first call made, or console line printed, under such a label.
   * The agent's view of the run stops there (mcp-outcome.ts `runView`); the trace keeps everything.
   */
  withheldFrom?: WithheldFrom;
}

/** See `RunEndedData.withheldFrom`. */
export interface WithheldFrom {
  /** Calls requested before the cut (the later ones are marked `hiddenFromAgent`). */
  calls: number;
  /** Console lines printed before the cut. */
  console: number;
  /** The withheld labels that decided the cut. */
  labels: string[];
  /** The program threw where such data decided it: where and why are withheld too. */
  error?: boolean;
}

/** The runtime refused (or had to ask about) a call the static analysis had allowed: a bug in the analysis, kept on the trace. */
export interface AnalysisMissData {
  operation: string;
  /** What the runtime found that the analysis did not: each finding with its label and destination. */
  findings: Finding[];
  message: string;
  line?: number;
}

/** A reviewer's passkey (WebAuthn credential) registered with this data directory. */
export interface ReviewerData {
  credentialId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  name: string;
  /** The authenticator's signature counter at registration. */
  counter: number;
  /** A later reviewer is endorsed by an earlier one (a passkey assertion over the new credential). */
  endorsedBy?: { credentialId: string; proof: Proof };
}

/** Payload type per record kind. */
export interface EventData {
  submission: SubmittedData;
  analysis: AnalysedData;
  decision: DecidedData;
  'run.start': RunStartedData;
  'api.call': ApiCallData;
  console: ConsoleData;
  'approval.request': ApprovalAskedData;
  'approval.result': ApprovalAnsweredData;
  limit: LimitData;
  'run.end': RunEndedData;
  'analysis.miss': AnalysisMissData;
  reviewer: ReviewerData;
}

// Every stored kind has a payload type, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _kindsMatch: Exact<keyof EventData, EventKind> = true;
void _kindsMatch;

/** Where and when an event happened, common to every kind. */
export interface EventEnvelope {
  time: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  actor: string;
  name: string;
  durationMs?: number;
  /** Position in the log, when read back from it. */
  seq?: number;
}

/** One typed event of a trace. */
export type TraceEvent = { [K in EventKind]: EventEnvelope & { kind: K; data: EventData[K] } }[EventKind];

export type EventOf<K extends EventKind> = Extract<TraceEvent, { kind: K }>;

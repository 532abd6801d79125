/**
 * The core's protocol (JSON-RPC 2.0), version 1: what the workbench (over Electron IPC or a
 * WebSocket) and any other client can ask the core, and the events it pushes. Types only, so
 * the renderer can import them; `rpc.ts` validates every request's params at the core's end,
 * and the renderer's bridge validates what comes back.
 */
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Analysis } from '../analysis/types.ts';
import type { DecisionStatement, EndorsementStatement, ProofMethod } from '../audit/lifecycle/events.ts';
import type { SubmissionState, SubmissionStatus } from '../audit/lifecycle/state.ts';
import type { AuditRecord } from '../audit/types.ts';
import type { LintFinding, Verdict } from '../policy/types.ts';
import type { ApprovalRequest, RunResult } from '../sandbox/types.ts';

export type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON };

export const PROTOCOL_VERSION = 1;

/** A policy chosen by name (`seed`, `hr-assistant`, a file in policies/) or given as JSON text (the Policy view's editor). */
export type PolicyRef = { name: string } | { text: string; name?: string };

export interface OperationView {
  id: string;
  service: string;
  name: string;
  verb: string;
  host: string;
  method: string;
  path: string;
  summary?: string;
  labels: string[];
  fieldLabels: Array<{ path: string; labels: string[] }>;
  /** Argument name → destination classes it can name. */
  destinations: Record<string, string[]>;
  approval?: string;
}

export interface CatalogView {
  name: string;
  services: Array<{ name: string; title: string; host: string; operations: OperationView[] }>;
  labels: string[];
  destinations: string[];
  /** The TypeScript declarations programs are written against (Monaco's extra lib). */
  declarations: string;
}

/** A catalog the core can serve: the demo company, or a workspace directory. */
export interface WorkspaceView {
  name: string;
  /** The workspace's directory; absent for the demo company. */
  dir?: string;
  demo: boolean;
  services: string[];
  operations: number;
}

/** A runtime approval prompt waiting for a human. */
export interface PromptView {
  id: string;
  request: ApprovalRequest;
  deadline: string;
}

/** An inbox line: what a submission is and where it stands. */
export interface SubmissionSummary {
  id: string;
  traceId: string;
  createdAt: string;
  intent: string;
  agent: string;
  task: string;
  /** The policy's name. */
  policy: string;
  /** The policy's verdict (undefined before the analysis). */
  verdict?: Verdict;
  status: SubmissionStatus;
  runStatus?: RunResult['status'] | 'running';
  /** Who decided and how (a passkey, the local-development fallback…), when someone did. */
  decision?: { decision: 'approve' | 'deny'; who: string; method: ProofMethod };
  prompts: PromptView[];
  /** Read back from the log: another (or an earlier) Flowgate process holds it; it cannot be decided or run here. */
  readOnly: boolean;
}

/** A submission in full: the state its trace folds to (audit/lifecycle/state.ts), and what this core adds. */
export interface SubmissionView extends SubmissionState {
  verdict?: Verdict;
  prompts: PromptView[];
  readOnly: boolean;
  /** The previous submission of the same task, for the review's diff. */
  previous?: { id: string; source: string };
}

/** A reviewer's passkey. */
export interface ReviewerView {
  credentialId: string;
  name: string;
  registeredAt: string;
  endorsedBy?: string;
}

/** What a passkey must sign, and the WebAuthn options to ask it with. */
export interface SignRequest<S = DecisionStatement> {
  statement: S;
  options: PublicKeyCredentialRequestOptionsJSON;
}


export interface TraceSummary {
  traceId: string;
  start: string;
  end: string;
  events: number;
  submissionId?: string;
  intent?: string;
  agent?: string;
}

export interface DemoStory {
  id: number;
  title: string;
  policy: string;
  catalog: 'demo' | 'demo-v2';
  intent: string;
  source: string;
  /** What SCENARIOS.md says should happen. */
  expected: string;
}

/** Method → params and result. */
export interface Methods {
  hello: { params: { client: string; version: number }; result: { version: number; catalog: string; demo: boolean; policies: string[] } };
  'catalog.get': { params: { catalog?: 'demo' | 'demo-v2' }; result: CatalogView };
  'catalog.search': { params: { query: string; limit?: number }; result: { results: Array<{ operation: string; score: number; summary: string }>; declarations: string } };
  'policy.list': { params: Record<string, never>; result: Array<{ name: string; file: string }> };
  'policy.get': { params: { name: string }; result: { name: string; text: string } };
  'policy.schema': { params: Record<string, never>; result: { schema: unknown } };
  /** Validates policy text: the error names the JSON pointer; lint findings against the catalog. */
  'policy.validate': { params: { text: string }; result: { ok: boolean; error?: { message: string; pointer: string; line?: number; column?: number }; lint: LintFinding[] } };
  /** Live analysis as the developer types; creates no submission. */
  analyze: { params: { source: string; policy: PolicyRef; catalog?: 'demo' | 'demo-v2' }; result: Analysis };
  submit: { params: { source: string; intent?: string; agent?: string; task?: string; policy: PolicyRef; catalog?: 'demo' | 'demo-v2'; params?: Record<string, unknown> }; result: SubmissionView };
  'submissions.list': { params: Record<string, never>; result: SubmissionSummary[] };
  'submission.get': { params: { id: string }; result: SubmissionView };
  /** The statement a reviewer's passkey signs to decide a submission, and the options to ask it with. */
  'decision.request': { params: { id: string; decision: 'approve' | 'deny'; reason: string }; result: SignRequest };
  /**
   * Approve or deny with a reason, signed by a registered reviewer passkey over the statement
   * `decision.request` gave (program hash, flows, policy and its hash, decision, reason). A
   * `deny` verdict cannot be approved; the reviewer is the passkey's owner.
   */
  decide: { params: { id: string; decision: 'approve' | 'deny'; reason: string; sourceHash: string; assertion: AuthenticationResponseJSON }; result: SubmissionView };
  /** Runs an approved submission; resolves when the run ends (submission events stream meanwhile). */
  run: { params: { id: string }; result: RunResult };
  'prompt.request': { params: { promptId: string; approve: boolean; reason: string }; result: SignRequest };
  /** Answers a runtime approval prompt, signed like a decision. */
  'prompt.answer': { params: { promptId: string; approve: boolean; reason: string; assertion: AuthenticationResponseJSON }; result: { ok: true } };
  'reviewers.list': { params: Record<string, never>; result: ReviewerView[] };
  /** Starts registering a passkey for a reviewer (WebAuthn creation options). */
  'reviewer.begin': { params: { name: string }; result: PublicKeyCredentialCreationOptionsJSON };
  /** Completes it: the first reviewer at once; a later one needs an existing reviewer's endorsement (`reviewer.endorse`). */
  'reviewer.register': { params: { response: RegistrationResponseJSON }; result: { reviewer: ReviewerView } | { endorse: SignRequest<EndorsementStatement> } };
  'reviewer.endorse': { params: { credentialId: string; assertion: AuthenticationResponseJSON }; result: ReviewerView };
  'traces.list': { params: { limit?: number }; result: TraceSummary[] };
  'trace.get': { params: { traceId: string }; result: AuditRecord[] };
  'demo.stories': { params: Record<string, never>; result: DemoStory[] };
  /** The catalog being served and the others this core has served (the workbench's switcher). */
  'workspace.get': { params: Record<string, never>; result: { current: WorkspaceView; known: WorkspaceView[] } };
  /** Serves another catalog from now on: a workspace directory (flowgate.json|yaml) or `demo`. Earlier submissions keep theirs. */
  'workspace.open': { params: { dir: string }; result: WorkspaceView };
}

export type MethodName = keyof Methods;
export type Params<M extends MethodName> = Methods[M]['params'];
export type Result<M extends MethodName> = Methods[M]['result'];

/** Events the core pushes (JSON-RPC notification `event`). */
export type CoreEvent =
  | { type: 'submission'; submission: SubmissionSummary }
  | { type: 'audit'; record: AuditRecord };

/** Where a request came from: the page's web origin (browser mode), which passkeys are bound to. */
export interface CallContext {
  origin?: string;
}

export interface RpcRequest<M extends MethodName = MethodName> {
  jsonrpc: '2.0';
  id: number | string;
  method: M;
  params: Params<M>;
}

export interface RpcSuccess<M extends MethodName = MethodName> {
  jsonrpc: '2.0';
  id: number | string;
  result: Result<M>;
}

export interface RpcFailure {
  jsonrpc: '2.0';
  id: number | string | null;
  error: { code: number; message: string; data?: { code?: string; pointer?: string } };
}

export interface RpcNotification {
  jsonrpc: '2.0';
  method: 'event';
  params: CoreEvent;
}

export type RpcMessage = RpcRequest | RpcSuccess | RpcFailure | RpcNotification;

/** JSON-RPC error codes used by the core. */
export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** A command that does not apply now (approving a denied program…): `data.code` says which. */
  command: -32000,
  /** Bad input the user must fix (policy with a typo, broken program): `data.pointer` may say where. */
  badInput: -32001,
} as const;

/**
 * The inbox: submissions and what humans decide about them. User intents (submit, approve,
 * deny, run, answer a runtime prompt) are commands that produce the next state *and* the audit
 * event, so the workbench button, the CLI flag and the MCP tool all leave the same trace.
 *
 * Invariants: a `deny` verdict can never be approved; a decision binds to the program's hash;
 * an edited program is a new submission.
 */
import { randomUUID } from 'node:crypto';
import { analyzeProgram } from '../analysis/index.ts';
import type { Analysis } from '../analysis/types.ts';
import { newSpanId, newTraceId } from '../audit/trace.ts';
import type { AuditEvent, EventKind } from '../audit/types.ts';
import type { Limits, Policy } from '../policy/types.ts';
import type { ApprovalRequest, RunEvent, RunResult } from '../sandbox/types.ts';
import { execute, sha256 } from './execute.ts';
import type { Runtime } from './runtime.ts';
import type { CatalogChoice } from './environment.ts';

export type SubmissionStatus = 'pending-review' | 'approved' | 'denied' | 'running' | 'finished';

export interface HumanDecision {
  decision: 'approve' | 'deny';
  who: string;
  reason: string;
  at: string;
  /** The program hash the decision is bound to. */
  sourceHash: string;
}

export interface Submission {
  id: string;
  traceId: string;
  /** Root span of the submission's trace. */
  spanId: string;
  createdAt: string;
  source: string;
  sourceHash: string;
  intent: string;
  agent: string;
  /** Submissions with the same task are versions of one another (the workbench diffs them). */
  task: string;
  policy: Policy;
  /** The catalog the program was checked against and runs with. */
  catalog: CatalogChoice;
  analysis: Analysis;
  status: SubmissionStatus;
  decision?: HumanDecision;
  run?: RunResult;
  /** Runtime approval prompts waiting for a human. */
  prompts: PendingPrompt[];
  /** The task's own inputs (`execute_code`'s params, `--param k=v`): the program reads them as `params`. */
  params?: Record<string, unknown>;
}

export interface PendingPrompt {
  id: string;
  request: ApprovalRequest;
  deadline: string;
}

export interface SubmitInput {
  source: string;
  intent?: string;
  agent?: string;
  task?: string;
  policy: Policy;
  /** Default: the runtime's catalog. */
  catalog?: CatalogChoice;
  /** Reuse an analysis already made for exactly this source. */
  analysis?: Analysis;
  /** The task's own inputs (trusted). */
  params?: Record<string, unknown>;
}

export interface RunInput {
  limits?: Partial<Limits>;
  /** The CLI's `--approve`: every runtime prompt is approved (never what the policy forbids). */
  approveAtRuntime?: boolean;
  /** How long a runtime prompt waits for a human before it counts as denied. Default 0 when nobody can answer, else 5 minutes. */
  promptTimeoutMs?: number;
  onEvent?: (event: RunEvent) => void;
}

export type SubmissionListener = (event: { type: 'submission'; submission: Submission } | { type: 'run'; submissionId: string; event: RunEvent }) => void;

/** Thrown for a command that does not apply (approving a denied program, running an unapproved one…). */
export class CommandError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
  }
}

export class Submissions {
  private readonly runtime: Runtime;
  private readonly byId = new Map<string, Submission>();
  private readonly listeners = new Set<SubmissionListener>();
  private readonly promptResolvers = new Map<string, (approved: boolean, who: string, reason: string) => void>();

  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  list(): Submission[] {
    return [...this.byId.values()];
  }

  get(id: string): Submission {
    const submission = this.byId.get(id);
    if (!submission) throw new CommandError('not-found', `no submission ${id}`);
    return submission;
  }

  subscribe(listener: SubmissionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Takes back a submission a core that is gone left waiting for review (same id and trace);
   * its analysis is made again against today's catalog and policy document.
   */
  restore(input: SubmitInput & { id: string; traceId: string; spanId: string; createdAt: string }): Submission {
    const submission = this.admit(input, input);
    this.emitAnalysis(submission, { restored: true });
    this.notify(submission);
    return submission;
  }

  submit(input: SubmitInput): Submission {
    const submission = this.admit({ id: randomUUID().slice(0, 8), traceId: newTraceId(), spanId: newSpanId(), createdAt: new Date().toISOString() }, input);
    this.emit(submission, 'submission', `agent:${submission.agent}`, 'submit', {
      submissionId: submission.id, intent: submission.intent, agent: submission.agent, task: submission.task,
      policy: input.policy.name, catalog: submission.catalog.name, sourceHash: submission.sourceHash, source: input.source,
      // The exact policy applied (it may be an edited one), and which core took the submission:
      // a core started later restores what this one left waiting (history.ts).
      policyDocument: input.policy.document, core: process.pid,
    });
    this.emitAnalysis(submission);
    this.notify(submission);
    return submission;
  }

  /** A submission with its analysis, entered in the inbox (its status follows the verdict). */
  private admit(ids: { id: string; traceId: string; spanId: string; createdAt: string }, input: SubmitInput): Submission {
    const catalog = input.catalog ?? this.runtime.catalog;
    const paramsLabels = input.params ? agentContext(this.runtime, { agent: input.agent ?? 'unknown' }).paramsLabels : undefined;
    const analysis = input.analysis ?? analyzeProgram(input.source, catalog.catalog, input.policy, { hash: sha256, atRest: this.runtime.atRest.lookup(), paramsLabels });
    const sourceHash = sha256(input.source);
    const submission: Submission = {
      ...ids,
      source: input.source,
      sourceHash,
      intent: input.intent ?? '',
      agent: input.agent ?? 'unknown',
      task: input.task ?? input.intent ?? sourceHash,
      policy: input.policy,
      catalog,
      analysis,
      status: analysis.verdict === 'allow' ? 'approved' : analysis.verdict === 'deny' ? 'denied' : 'pending-review',
      prompts: [],
      ...(input.params ? { params: input.params } : {}),
    };
    this.byId.set(submission.id, submission);
    return submission;
  }

  private emitAnalysis(submission: Submission, extra: Record<string, unknown> = {}): void {
    const { analysis } = submission;
    this.emit(submission, 'analysis', 'flowgate', 'analysis', {
      verdict: analysis.verdict,
      complete: analysis.complete,
      reasons: analysis.reasons,
      flows: analysis.flows,
      calls: analysis.calls.map((c) => ({ id: c.id, operation: `${c.service}.${c.operation}`, line: c.line, labels: c.labels, destinations: c.destinations })),
      diagnostics: analysis.diagnostics,
      ...extra,
    });
  }

  /** A human's decision on a submission that needs approval. */
  decide(id: string, input: { decision: 'approve' | 'deny'; who: string; reason: string; sourceHash?: string }): Submission {
    const submission = this.get(id);
    if (input.sourceHash && input.sourceHash !== submission.sourceHash) {
      throw new CommandError('stale', 'the program changed since it was reviewed: an edited program is a new submission');
    }
    if (input.decision === 'approve' && submission.analysis.verdict === 'deny') {
      throw new CommandError('forbidden', 'a program the policy denies cannot be approved');
    }
    if (submission.status !== 'pending-review') throw new CommandError('decided', `submission ${id} is ${submission.status}, not waiting for review`);
    if (!input.reason.trim()) throw new CommandError('reason', 'a decision needs a reason');
    submission.decision = { decision: input.decision, who: input.who, reason: input.reason, at: new Date().toISOString(), sourceHash: submission.sourceHash };
    submission.status = input.decision === 'approve' ? 'approved' : 'denied';
    this.emit(submission, 'decision', `user:${input.who}`, input.decision === 'approve' ? 'approve' : 'deny', { ...submission.decision });
    this.notify(submission);
    return submission;
  }

  /** Answers a runtime approval prompt. */
  answerPrompt(promptId: string, input: { approve: boolean; who: string; reason: string }): void {
    const resolve = this.promptResolvers.get(promptId);
    if (!resolve) throw new CommandError('not-found', `no runtime approval prompt ${promptId} is waiting`);
    resolve(input.approve, input.who, input.reason);
  }

  /** Runs an approved submission (allowed by policy, or approved by a human). */
  async run(id: string, input: RunInput = {}): Promise<RunResult> {
    const submission = this.get(id);
    if (submission.status === 'denied' || submission.status === 'pending-review') {
      const result = this.refusal(submission);
      this.emit(submission, 'run.end', 'flowgate', 'run', { status: result.status, error: result.error });
      submission.run = result;
      this.notify(submission);
      return result;
    }
    if (submission.status === 'running') throw new CommandError('running', `submission ${id} is already running`);
    // One run per submission, so one approval covers exactly one run and one trace.
    if (submission.status === 'finished') throw new CommandError('finished', `submission ${id} already ran; submit the program again to run it again`);
    submission.status = 'running';
    this.notify(submission);
    const promptTimeoutMs = input.promptTimeoutMs ?? (this.listeners.size ? 5 * 60_000 : 0);
    const result = await execute({
      source: submission.source,
      analysis: submission.analysis,
      catalog: submission.catalog.catalog,
      policy: submission.policy,
      transport: this.runtime.transport,
      trace: { traceId: submission.traceId, spanId: submission.spanId },
      audit: this.runtime.audit,
      atRest: this.runtime.atRest,
      params: submission.params,
      ...agentContext(this.runtime, submission),
      approved: submission.decision?.decision === 'approve',
      limits: input.limits,
      actor: `agent:${submission.agent}`,
      approve: async (request) => {
        if (input.approveAtRuntime) return true;
        return this.prompt(submission, request, promptTimeoutMs);
      },
      onEvent: (event) => {
        input.onEvent?.(event);
        for (const listener of this.listeners) listener({ type: 'run', submissionId: submission.id, event });
      },
    });
    submission.status = 'finished';
    submission.run = result;
    await this.runtime.audit.flush();
    this.notify(submission);
    return result;
  }

  private prompt(submission: Submission, request: ApprovalRequest, timeoutMs: number): Promise<boolean> {
    if (timeoutMs <= 0) return Promise.resolve(false);
    const prompt: PendingPrompt = { id: randomUUID().slice(0, 8), request, deadline: new Date(Date.now() + timeoutMs).toISOString() };
    submission.prompts.push(prompt);
    this.notify(submission);
    return new Promise<boolean>((resolve) => {
      const finish = (approved: boolean, who: string, reason: string): void => {
        clearTimeout(timer);
        this.promptResolvers.delete(prompt.id);
        submission.prompts = submission.prompts.filter((p) => p.id !== prompt.id);
        this.emit(submission, 'decision', `user:${who}`, approved ? 'approve-call' : 'deny-call', { operation: request.operation, approved, who, reason, at: new Date().toISOString(), sourceHash: submission.sourceHash });
        this.notify(submission);
        resolve(approved);
      };
      const timer = setTimeout(() => finish(false, 'flowgate', `no decision before the deadline (${timeoutMs} ms)`), timeoutMs);
      this.promptResolvers.set(prompt.id, finish);
    });
  }

  private refusal(submission: Submission): RunResult {
    const pending = submission.status === 'pending-review';
    const reasons = submission.analysis.reasons.filter((r) => r.verdict !== 'allow');
    const detail = reasons.map((r) => `line ${r.line}: ${r.message}`).join('; ');
    const message = pending
      ? `needs approval before it can run (${detail}); approve it in the workbench, or pass --approve`
      : submission.decision?.decision === 'deny'
        ? `denied by ${submission.decision.who}: ${submission.decision.reason}`
        : `denied by policy: ${detail}`;
    return { status: 'denied', error: { code: pending ? 'needs-approval' : 'denied', message }, calls: [], console: [], traceId: submission.traceId, durationMs: 0, labelsRead: [] };
  }

  private emit(submission: Submission, kind: EventKind, actor: string, name: string, data: Record<string, unknown>): void {
    const event: AuditEvent = { time: new Date().toISOString(), traceId: submission.traceId, spanId: kind === 'submission' ? submission.spanId : newSpanId(), parentSpanId: kind === 'submission' ? undefined : submission.spanId, kind, actor, name, data };
    this.runtime.audit.append(event);
  }

  private notify(submission: Submission): void {
    for (const listener of this.listeners) listener({ type: 'submission', submission });
  }
}

/** People at a terminal or in the workbench: what they are shown does not come back as data. */
const HUMAN_AGENTS = new Set(['cli', 'workbench', 'corpus', 'test']);

/**
 * An agent (an MCP client) gets back results and console lines; what it was handed stays labelled
 * with it, and the params it passes later carry those labels (an agent that read a document may
 * not make its text "the task's own input").
 */
function agentContext(runtime: Runtime, submission: { agent: string }): { agent?: string; paramsLabels?: string[] } {
  if (HUMAN_AGENTS.has(submission.agent)) return {};
  return { agent: submission.agent, paramsLabels: runtime.atRest.labelsForAgent(submission.agent).map((a) => a.label) };
}

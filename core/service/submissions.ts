/**
 * The inbox: every submission this process knows, each as the state its trace folds to
 * (audit/lifecycle). User intents (submit, decide, run, answer a runtime prompt) go through the
 * lifecycle's commands, which return the events and the next state together; the inbox appends
 * the events and keeps the state, and folds the run's own events as the sandbox writes them. So
 * the workbench button, the CLI flag and the MCP tool leave the same trace, and what the inbox
 * shows live is what anyone reading the trace back gets.
 *
 * Entries read back from the shared log (history.ts) are read-only: only a submission this
 * process holds (`live`) can be decided or run.
 *
 * Invariants (commands.ts): a `deny` verdict can never be approved; a decision binds to the
 * program's hash; one run per submission. Who may call `decide` with which proof is the
 * caller's business: the protocol accepts passkey-signed decisions only (core-service.ts), the
 * CLI's `--approve` records a local-development proof.
 */
import { randomUUID } from 'node:crypto';
import { analyzeProgram } from '../analysis/index.ts';
import type { Analysis } from '../analysis/types.ts';
import { canonicalJson } from '../audit/canonical.ts';
import { decodeEvent, toAuditEvent } from '../audit/lifecycle/codec.ts';
import * as commands from '../audit/lifecycle/commands.ts';
import { CommandError, type DecideInput, type Outcome } from '../audit/lifecycle/commands.ts';
import type { ApprovalAnsweredData, DecisionStatement, Proof, TraceEvent } from '../audit/lifecycle/events.ts';
import { reduce, type SubmissionState } from '../audit/lifecycle/state.ts';
import { callStatement, submissionStatement } from '../audit/lifecycle/statement.ts';
import { auditLogPath } from '../audit/store.ts';
import { newSpanId, newTraceId } from '../audit/trace.ts';
import type { AuditEvent } from '../audit/types.ts';
import type { Limits, Policy } from '../policy/types.ts';
import type { ApprovalAnswer, ApprovalRequest, RunResult } from '../sandbox/types.ts';
import type { CatalogChoice } from './environment.ts';
import { execute, sha256 } from './execute.ts';
import { isOrphan, readHistory } from './history.ts';
import type { Runtime } from './runtime.ts';

export { CommandError };

/** A runtime approval prompt waiting for a human. */
export interface PendingPrompt {
  id: string;
  request: ApprovalRequest;
  deadline: string;
}

/** A submission: its state, and — when this process holds it — what it runs with. */
export interface Entry {
  state: SubmissionState;
  live?: { policy: Policy; catalog: CatalogChoice; prompts: PendingPrompt[]; params?: Record<string, unknown> };
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
  /** The task's own inputs (`execute_code`'s params, `--param k=v`), trusted: the program reads them as `params`. */
  params?: Record<string, unknown>;
}

export interface RunInput {
  limits?: Partial<Limits>;
  /** The CLI's `--approve`: every runtime prompt is approved (never what the policy forbids), marked as a local-development approval. */
  approveAtRuntime?: boolean;
  /** How long a runtime prompt waits for a human before it counts as denied. Default 0 when nobody can answer, else 5 minutes. */
  promptTimeoutMs?: number;
}

export type SubmissionListener = (event: { type: 'submission'; entry: Entry }) => void;

/** The proof of a local-development approval: no reviewer credential, and the trace says so. */
export const DEV_PROOF: Proof = { method: 'dev', note: 'local development: approved without a reviewer passkey' };

const ctx: commands.CommandContext = { now: () => new Date().toISOString(), newSpanId };

/** SHA-256 of a policy's canonical document: what a decision's statement names. */
export function policyHash(policy: Policy): string {
  return sha256(canonicalJson(policy.document));
}

export class Submissions {
  private readonly runtime: Runtime;
  private readonly byId = new Map<string, Entry>();
  private readonly listeners = new Set<SubmissionListener>();
  private readonly prompts = new Map<string, { entry: Entry; prompt: PendingPrompt; finish: (answer: ApprovalAnswer) => void }>();
  private readonly pendingNotice = new Set<Entry>();
  private history: { size: number; loaded: Promise<void> } | undefined;

  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  /** Every entry, live and read back, oldest first. */
  list(): Entry[] {
    return [...this.byId.values()].sort((a, b) => a.state.createdAt.localeCompare(b.state.createdAt));
  }

  get(id: string): Entry {
    const entry = this.byId.get(id);
    if (!entry) throw new CommandError('not-found', `no submission ${id}`);
    return entry;
  }

  /** Entries this process holds. */
  live(): Entry[] {
    return this.list().filter((e) => e.live);
  }

  subscribe(listener: SubmissionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reads back submissions of other processes sharing the data directory (the CLI, an earlier
   * workbench) — only when the log grew since the last time.
   */
  async refreshHistory(logSize: number): Promise<void> {
    if (this.history?.size !== logSize) {
      const loaded = readHistory(auditLogPath(this.runtime.dataDir)).then((states) => {
        // What reached an outcome, and what a core that is gone left waiting (restorePending takes
        // those back); not what another running core is still holding.
        for (const state of states) {
          if (this.byId.get(state.id)?.live) continue;
          if (state.status === 'finished' || state.status === 'denied' || state.refusal || isOrphan(state)) this.byId.set(state.id, { state });
        }
      });
      this.history = { size: logSize, loaded };
      loaded.catch(() => (this.history = undefined));
    }
    await this.history.loaded;
  }

  submit(input: SubmitInput): Entry {
    const catalog = input.catalog ?? this.runtime.catalog;
    const paramsLabels = input.params ? agentContext(this.runtime, { agent: input.agent ?? 'unknown' }).paramsLabels : undefined;
    const analysis = input.analysis ?? analyzeProgram(input.source, catalog.catalog, input.policy, { hash: sha256, atRest: this.runtime.atRest.lookup(), paramsLabels });
    const sourceHash = sha256(input.source);
    const outcome = commands.submit(ctx, { traceId: newTraceId(), spanId: newSpanId() }, {
      submissionId: randomUUID().slice(0, 8),
      intent: input.intent ?? '',
      agent: input.agent ?? 'unknown',
      task: input.task ?? input.intent ?? sourceHash,
      policy: input.policy.name,
      policyHash: policyHash(input.policy),
      // The exact policy applied (it may be an edited one), and which core took the submission:
      // a core started later restores what this one left waiting (history.ts).
      policyDocument: input.policy.document,
      catalog: catalog.name,
      sourceHash,
      source: input.source,
      core: process.pid,
    }, analysis);
    const entry: Entry = { state: outcome.state, live: { policy: input.policy, catalog, prompts: [], ...(input.params ? { params: input.params } : {}) } };
    this.byId.set(entry.state.id, entry);
    this.apply(entry, outcome);
    return entry;
  }

  /**
   * Takes back a submission a core that is gone left waiting for review (same id and trace);
   * its analysis is made again against today's catalog and the policy document it was submitted under.
   */
  restore(state: SubmissionState, policy: Policy, catalog: CatalogChoice): Entry {
    const analysis = analyzeProgram(state.source, catalog.catalog, policy, { hash: sha256, atRest: this.runtime.atRest.lookup() });
    const entry: Entry = { state, live: { policy, catalog, prompts: [] } };
    this.byId.set(state.id, entry);
    this.apply(entry, commands.restore(ctx, state, analysis, process.pid));
    return entry;
  }

  /** The statement a reviewer signs to decide submission `id`. */
  statement(id: string, decision: 'approve' | 'deny', reason: string): DecisionStatement {
    const entry = this.holding(id);
    const refused = commands.whyNotDecidable(entry.state, decision, reason);
    if (refused) throw refused;
    return submissionStatement(entry.state, this.policyHashOf(entry), decision, reason);
  }

  /** A human's decision on a submission waiting for review. */
  decide(id: string, input: DecideInput): Entry {
    const entry = this.holding(id);
    this.apply(entry, commands.decide(ctx, entry.state, input));
    return entry;
  }

  /** The statement a reviewer signs to answer runtime prompt `promptId`. */
  promptStatement(promptId: string, approve: boolean, reason: string): DecisionStatement {
    const waiting = this.prompts.get(promptId);
    if (!waiting) throw new CommandError('not-found', `no runtime approval prompt ${promptId} is waiting`);
    const { entry, prompt } = waiting;
    return callStatement(entry.state, this.policyHashOf(entry), prompt.request.operation, prompt.request.reasons, approve ? 'approve' : 'deny', reason);
  }

  /** Answers a runtime approval prompt. */
  answerPrompt(promptId: string, input: { approve: boolean; who: string; reason: string; statement?: DecisionStatement; proof: Proof }): void {
    const waiting = this.prompts.get(promptId);
    if (!waiting) throw new CommandError('not-found', `no runtime approval prompt ${promptId} is waiting`);
    waiting.finish({ approved: input.approve, who: input.who, reason: input.reason, at: ctx.now(), ...(input.statement ? { statement: input.statement } : {}), proof: input.proof });
  }

  /** Runs a submission that may run (allowed by policy, or approved by a human); a refusal is recorded and returned. */
  async run(id: string, input: RunInput = {}): Promise<RunResult> {
    const entry = this.holding(id);
    const refused = commands.refuseRun(ctx, entry.state);
    if (refused) {
      this.apply(entry, refused);
      const error = entry.state.refusal ?? { code: 'denied', message: 'refused' };
      return { status: 'denied', error: { code: error.code, message: error.message }, calls: [], console: [], traceId: entry.state.traceId, durationMs: 0, labelsRead: [] };
    }
    // Running from here on, before the sandbox's first event: a second `run` is refused.
    entry.state = { ...entry.state, status: 'running' };
    this.notify(entry, true);
    const promptTimeoutMs = input.promptTimeoutMs ?? (this.listeners.size ? 5 * 60_000 : 0);
    // The run's events go to the log and, as they are written, into this entry's state.
    const audit = {
      append: (event: AuditEvent): void => {
        this.runtime.audit.append(event);
        const typed = decodeEvent(event);
        if (typed) this.fold(entry, typed);
      },
    };
    let result: RunResult;
    try {
      result = await this.execute(entry, input, audit, promptTimeoutMs);
    } finally {
      // A run that failed before it started leaves the submission as it was.
      if (!entry.state.run) entry.state = { ...entry.state, status: 'ready' };
    }
    await this.runtime.audit.flush();
    this.notify(entry, true);
    return result;
  }

  private execute(entry: Entry, input: RunInput, audit: { append(event: AuditEvent): void }, promptTimeoutMs: number): Promise<RunResult> {
    const live = entry.live as NonNullable<Entry['live']>;
    return execute({
      source: entry.state.source,
      analysis: entry.state.analysis as Analysis,
      catalog: live.catalog.catalog,
      policy: live.policy,
      transport: this.runtime.transport,
      trace: { traceId: entry.state.traceId, spanId: entry.state.spanId },
      audit,
      atRest: this.runtime.atRest,
      params: live.params,
      ...agentContext(this.runtime, entry.state),
      // What the reviewer approved (the analysis' needs-approval flows and operations) is permitted at run time.
      approved: entry.state.decision?.decision === 'approve',
      limits: input.limits,
      actor: `agent:${entry.state.agent}`,
      approve: async (request): Promise<ApprovalAnswer> => {
        if (input.approveAtRuntime) return { approved: true, who: 'cli --approve', reason: 'approved on the command line with --approve', at: ctx.now(), proof: DEV_PROOF };
        return this.prompt(entry, request, promptTimeoutMs);
      },
    });
  }

  private prompt(entry: Entry, request: ApprovalRequest, timeoutMs: number): Promise<ApprovalAnswer> {
    if (timeoutMs <= 0) return Promise.resolve({ approved: false, who: 'flowgate', reason: 'nobody can answer a runtime approval here', at: ctx.now(), proof: { method: 'system' } });
    const live = entry.live as NonNullable<Entry['live']>;
    const prompt: PendingPrompt = { id: randomUUID().slice(0, 8), request, deadline: new Date(Date.now() + timeoutMs).toISOString() };
    live.prompts.push(prompt);
    this.notify(entry, true);
    return new Promise<ApprovalAnswer>((resolve) => {
      const finish = (answer: ApprovalAnswer): void => {
        clearTimeout(timer);
        this.prompts.delete(prompt.id);
        live.prompts = live.prompts.filter((p) => p.id !== prompt.id);
        this.notify(entry, true);
        resolve(answer);
      };
      const expired: ApprovalAnsweredData = { operation: request.operation, approved: false, who: 'flowgate', reason: `no decision before the deadline (${timeoutMs} ms)`, proof: { method: 'system' } };
      const timer = setTimeout(() => finish({ ...expired, at: ctx.now() }), timeoutMs);
      this.prompts.set(prompt.id, { entry, prompt, finish });
    });
  }

  /** A live entry (read-only ones belong to another process). */
  private holding(id: string): Entry & { live: NonNullable<Entry['live']> } {
    const entry = this.get(id);
    if (!entry.live) throw new CommandError('read-only', `submission ${id} was taken by another Flowgate process: it can be read here, not decided or run`);
    return entry as Entry & { live: NonNullable<Entry['live']> };
  }

  private policyHashOf(entry: Entry): string {
    return entry.live ? policyHash(entry.live.policy) : (entry.state.policy.hash ?? '');
  }

  /** Appends a command's events and takes its state. */
  private apply(entry: Entry, outcome: Outcome): void {
    for (const event of outcome.events) this.runtime.audit.append(toAuditEvent(event));
    entry.state = outcome.state;
    this.notify(entry, true);
  }

  private fold(entry: Entry, event: TraceEvent): void {
    const before = entry.state.status;
    entry.state = reduce(entry.state, event) ?? entry.state;
    this.notify(entry, entry.state.status !== before);
  }

  /** Tells listeners; a run's many small steps are told at most every 50 ms. */
  private notify(entry: Entry, now: boolean): void {
    if (now) {
      this.pendingNotice.delete(entry);
      for (const listener of this.listeners) listener({ type: 'submission', entry });
      return;
    }
    if (this.pendingNotice.has(entry)) return;
    this.pendingNotice.add(entry);
    setTimeout(() => {
      if (this.pendingNotice.delete(entry)) for (const listener of this.listeners) listener({ type: 'submission', entry });
    }, 50).unref?.();
  }
}

/**
 * People at a terminal (`flowgate run`, in-process) or in the workbench's own editor: what they are
 * shown does not come back as data. Names only Flowgate gives: a caller over the protocol (an MCP
 * client names itself) cannot claim one (CoreService.submit, `agentName`).
 */
export const PERSON_AGENTS: ReadonlySet<string> = new Set(['cli', 'workbench']);

/**
 * An agent (an MCP client) gets back results and console lines; what it was handed stays labelled
 * with it, and the params it passes later carry those labels (an agent that read a document may
 * not make its text "the task's own input").
 */
function agentContext(runtime: Runtime, submission: { agent: string }): { agent?: string; paramsLabels?: string[] } {
  if (PERSON_AGENTS.has(submission.agent)) return {};
  return { agent: submission.agent, paramsLabels: runtime.atRest.labelsForAgent(submission.agent).map((a) => a.label) };
}

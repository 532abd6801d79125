/**
 * What an agent gets back for a submission: waits for a human (as long as the caller may wait),
 * runs it once it may run (or joins the run a human started from the workbench), and words the
 * answer — the run's result, the reasons it was denied, or "waiting for review" with the
 * submission id and the workbench's address so the agent can collect the outcome later.
 *
 * Invariant: nothing here decides. A client that stops waiting (a timeout, a cancel) leaves the
 * submission in the inbox for a human; only a reviewer's decision denies it.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { boundFlows } from '../audit/lifecycle/statement.ts';
import type { RunResult } from '../sandbox/types.ts';
import type { SubmissionSummary, SubmissionView } from './protocol.ts';
import type { CoreClient } from './remote-core.ts';

export interface WaitOptions {
  /** How long to wait for a human before answering "waiting for review" (Infinity: until decided). */
  withinMs: number;
  /** The caller stopped waiting: answer "waiting for review" now. */
  signal?: AbortSignal;
  /** The workbench's address, without its token. */
  workbench?: () => string | undefined;
  /** Told while waiting: a sentence about what is awaited (progress notifications, a task's status). */
  onWaiting?: (message: string) => void;
  /** How often `onWaiting` is told. Default 3 s. */
  everyMs?: number;
}

/**
 * The outcome of submission `id` as an MCP tool result: waits (within `withinMs`) for a decision,
 * runs it if it may run, and answers. Never denies anything itself.
 */
export async function outcomeOf(core: CoreClient, id: string, options: WaitOptions): Promise<CallToolResult> {
  const decided = await waitForDecision(core, id, options);
  if (!decided) return pending(await core.call('submission.get', { id }), options);
  const view = await core.call('submission.get', { id });
  if (view.status === 'denied') return failure(deniedText(view));
  if (view.status === 'finished' && view.run) return runAnswer(runResultOf(view));
  const stop = tell(core, id, options, () => `running (submission ${id})`);
  try {
    return runAnswer(await runOrJoin(core, id));
  } finally {
    stop();
  }
}

/** Resolves true once nobody needs to decide any more, false when the wait ends first. */
function waitForDecision(core: CoreClient, id: string, options: WaitOptions): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const deadline = Date.now() + options.withinMs;
    let done = false;
    const settle = (value: boolean): void => {
      if (done) return;
      done = true;
      unsubscribe();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      stopTelling();
      resolve(value);
    };
    const stopTelling = tell(core, id, options, () => {
      const url = options.workbench?.();
      const left = Number.isFinite(deadline) ? `, answering in ${Math.max(0, Math.round((deadline - Date.now()) / 1000))} s if nobody decides` : '';
      return `waiting for a human to approve in the Flowgate workbench${url ? `: ${url}` : ''} (submission ${id}${left})`;
    });
    const unsubscribe = core.onEvent((event) => {
      if (event.type === 'submission' && event.submission.id === id && event.submission.status !== 'pending-review') settle(true);
    });
    const onAbort = (): void => settle(false);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = Number.isFinite(options.withinMs) ? setTimeout(() => settle(false), options.withinMs) : undefined;
    // The decision may have landed before subscribing.
    core.call('submission.get', { id }).then((now) => {
      if (now.status !== 'pending-review') settle(true);
    }, (error: unknown) => {
      if (!done) {
        done = true;
        unsubscribe();
        clearTimeout(timer);
        stopTelling();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    if (options.signal?.aborted) settle(false);
  });
}

/** Calls `onWaiting` now and every `everyMs` until stopped; names a runtime prompt when one waits. */
function tell(core: CoreClient, id: string, options: WaitOptions, message: () => string): () => void {
  if (!options.onWaiting) return () => undefined;
  let prompt: SubmissionSummary['prompts'][number] | undefined;
  const unsubscribe = core.onEvent((event) => {
    if (event.type === 'submission' && event.submission.id === id) prompt = event.submission.prompts[0];
  });
  const send = (): void => {
    const url = options.workbench?.();
    options.onWaiting?.(prompt ? `waiting for a human to approve the call ${prompt.request.operation} in the Flowgate workbench${url ? `: ${url}` : ''} (submission ${id})` : message());
  };
  send();
  const interval = setInterval(send, options.everyMs ?? 3_000);
  return () => {
    clearInterval(interval);
    unsubscribe();
  };
}

/**
 * Runs a submission that may run, or joins the run a human already started from the workbench
 * (a submission runs once; the agent gets that run's result).
 */
async function runOrJoin(core: CoreClient, id: string): Promise<RunResult> {
  const finished = new Promise<void>((resolve) => {
    const unsubscribe = core.onEvent((event) => {
      if (event.type === 'submission' && event.submission.id === id && event.submission.status === 'finished') {
        unsubscribe();
        resolve();
      }
    });
  });
  const now = await core.call('submission.get', { id });
  if (now.status === 'ready') {
    try {
      return await core.call('run', { id });
    } catch (error) {
      if (!(error instanceof Error && (error as Error & { code?: string }).code === 'running')) throw error;
    }
  }
  if (now.status !== 'finished') await finished;
  return runResultOf(await core.call('submission.get', { id }));
}

/** A finished submission's run, as the `run` method returns it. */
function runResultOf(view: SubmissionView): RunResult {
  const run = view.run;
  if (!run) throw new Error(`submission ${view.id} finished without a run`);
  return {
    status: run.status === 'running' ? 'error' : run.status,
    result: run.result,
    error: run.error,
    calls: run.calls.map((c) => ({ service: c.service, operation: c.operation.slice(c.service.length + 1), decision: c.decision === 'pending' ? 'deny' : c.decision, reason: c.reason, durationMs: c.durationMs, spanId: c.spanId, ...(c.hiddenFromAgent ? { hiddenFromAgent: true } : {}) })),
    console: run.console,
    traceId: view.traceId,
    durationMs: run.durationMs ?? 0,
    labelsRead: run.labelsRead,
    ...(run.withheldFrom ? { withheldFrom: run.withheldFrom } : {}),
  };
}

/** The answer while a submission waits for a reviewer: not an error, and how to collect the outcome. */
export function pending(view: SubmissionView, options: Pick<WaitOptions, 'workbench'>): CallToolResult {
  const url = options.workbench?.();
  const flows = boundFlows(view).filter((f) => f.verdict !== 'allow').map((f) => `${f.label} → ${f.destination} (line ${f.line})`);
  const why = flows.length ? ` for ${flows.join(', ')}` : '';
  const text = [
    `Waiting for review: submission ${view.id} needs a human's approval under policy "${view.policy.name}"${why}. Nothing has run.`,
    `A reviewer decides in the Flowgate workbench${url ? `: ${url}#submission=${view.id}` : ` (submission ${view.id})`}.`,
    `Call get_result with {"submissionId": "${view.id}"} to collect the outcome; the submission stays in the inbox until a reviewer decides.`,
  ].join('\n');
  return {
    content: [{ type: 'text', text }],
    structuredContent: { status: 'pending-review', submissionId: view.id, ...(url ? { workbench: url } : {}) },
  };
}

/** Why a submission will not run: the policy's reasons, or the reviewer's. */
function deniedText(view: SubmissionView): string {
  const d = view.decision;
  if (d?.decision === 'deny') return `Submission ${view.id} was denied by ${d.who}: ${d.reason}. The program did not run.`;
  return denialText(view);
}

/** The reasons a program was denied, each at its line, and the diagnostics not already among them. */
export function denialText(view: SubmissionView): string {
  const lines = [`Denied by policy "${view.policy.name}" before running (submission ${view.id}). Fix the program and call execute_code again:`];
  const seen = new Set<string>();
  const analysis = view.analysis;
  for (const r of analysis?.reasons ?? []) {
    if (r.verdict === 'allow') continue;
    const key = `${r.line}:${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const flow = r.label && r.destination ? ` [${r.label} → ${r.destination}]` : '';
    lines.push(`- line ${r.line}, column ${r.column}: ${r.message}${flow} (${r.code})`);
  }
  // A diagnostic already given as a reason (code `diagnostic`, same place) is not repeated.
  const reasonAt = new Set((analysis?.reasons ?? []).filter((r) => r.code === 'diagnostic').map((r) => `${r.line}:${r.column}`));
  for (const d of analysis?.diagnostics ?? []) {
    if (d.severity !== 'error' || seen.has(`${d.line}:${d.message}`) || reasonAt.has(`${d.line}:${d.column}`)) continue;
    seen.add(`${d.line}:${d.message}`);
    lines.push(`- line ${d.line}, column ${d.column}: ${d.message} (${d.code})`);
  }
  return lines.join('\n');
}

/**
 * What the agent gets back from a run: compact, JSON-serialisable. A value the agent may not see
 * is withheld where it stands, and a result that holds one is withheld whole (its lengths and keys
 * could spell it). Once data the agent may not see has decided what the run does
 * (`withheldFrom`), the rest is cut as a whole — later calls, console lines, where and why the
 * program threw — because which of them exist can spell it. Left to the agent: the status and the
 * timing (README, accepted residue).
 */
export function runView(run: RunResult) {
  const cut = run.withheldFrom;
  const marker = (labels: string[]) => `[WITHHELD:${labels.join(',')}]`;
  const console = run.console.map((c) => (c.level === 'log' ? c.text : `${c.level}: ${c.text}`));
  const shown = run.calls.filter((c) => !c.hiddenFromAgent);
  const calls = shown.map((c) => ({ operation: `${c.service}.${c.operation}`, decision: c.decision, ...(c.reason ? { reason: c.reason } : {}) }));
  const result = run.result ?? null;
  const withheldIn = /\[WITHHELD:([^\]]*)\]/.exec(JSON.stringify(result));
  return {
    status: run.status,
    result: withheldIn ? marker(withheldIn[1].split(',')) : result,
    // After the cut, where and why the run ended can spell the data too (which call was blocked,
    // at which line it stopped): the code stays, the message and the line do not.
    ...(run.error ? { error: cut ? { code: run.error.code, message: `${marker(cut.labels)} ${cut.error ? 'the program threw where' : 'the run ended after'} data the agent may not see decided it` } : run.error } : {}),
    console: cut && console.length > cut.console ? [...console.slice(0, cut.console), `${marker(cut.labels)} console output from here on depends on data the agent may not see`] : console,
    calls,
    ...(shown.length < run.calls.length ? { callsWithheld: 'later calls depend on data the agent may not see; the trace has them' } : {}),
    traceId: run.traceId,
  };
}

function runAnswer(run: RunResult): CallToolResult {
  // Compact: every byte of the answer is context the agent pays for.
  const body = JSON.stringify(runView(run));
  if (run.status === 'ok') return { content: [{ type: 'text', text: body }] };
  const view = runView(run);
  const where = run.error?.line && !run.withheldFrom ? ` (line ${run.error.line})` : '';
  return failure(`${run.status === 'limit' ? 'Stopped by a limit' : run.status === 'denied' ? 'Blocked' : 'The program failed'}: ${view.error?.message ?? run.status}${where}\n${body}`);
}

export function failure(body: string): CallToolResult {
  return { content: [{ type: 'text', text: body }], isError: true };
}

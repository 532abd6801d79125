/**
 * `runProgram`: one program, one fresh isolate running Flowgate's interpreter, under a policy.
 * The run ends in exactly one status — ok, denied (a call was blocked or a flow refused by the
 * monitor), limit (time, memory, calls, steps, depth), or error (the program threw) — and
 * whatever the program does, the host process keeps serving.
 */
import { toAuditEvent } from '../audit/lifecycle/codec.ts';
import type { EventData, TraceEvent, WithheldFrom } from '../audit/lifecycle/events.ts';
import { newSpanId } from '../audit/trace.ts';
import { Redactor } from '../audit/redact.ts';
import type { Limits } from '../policy/types.ts';
import { mayReachAgent } from '../policy/decide.ts';
import { Bridge, redacts, type CallRequest } from './bridge.ts';
import { GuestIsolate } from './isolate.ts';
import { lowerSource } from '../lower/lower.ts';
import type { ConsoleLine, RunOptions, RunResult, RunStatus } from './types.ts';

/** Caps on what a program can push through console and its result. */
export const OUTPUT_CAPS = {
  consoleLine: 8 * 1024,
  argsChars: 1024 * 1024,
  consoleLines: 10_000,
  consoleTotal: 1024 * 1024,
  resultChars: 4 * 1024 * 1024,
};

/** How long a run that has ended waits for the answers of calls it sent before closing its trace. */
const IN_FLIGHT_GRACE_MS = 5_000;

/** Interpreter budgets: evaluation steps per run, and how deep calls may nest. */
export const INTERPRETER_LIMITS = { maxSteps: 100_000_000, maxDepth: 400 };

type Stop = { status: RunStatus; code: string; message: string; line?: number };

interface Outcome {
  status: 'ok' | 'threw' | 'stopped';
  result?: unknown;
  labels?: string[];
  error?: { name: string; message: string; line?: number };
  stop?: { status: RunStatus; code: string; message: string; line?: number };
}

export async function runProgram(options: RunOptions): Promise<RunResult> {
  const { catalog, policy, trace, audit, actor = 'flowgate' } = options;
  const limits: Limits = { ...policy.limits, ...options.limits };
  const started = performance.now();
  const runSpanId = newSpanId();
  const redactLabels = new Set(catalog.labels.filter((l) => redacts(policy, l)));
  for (const label of Object.keys(policy.document.dataFlows ?? {})) if (redacts(policy, label)) redactLabels.add(label);
  const redactor = new Redactor({ redactLabels });
  const known = new Set([...catalog.labels, ...Object.keys(policy.document.dataFlows ?? {}), ...(options.paramsLabels ?? [])]);
  const withhold = [...known].filter((l) => !mayReachAgent(policy, l));
  const emit = <K extends 'run.start' | 'console' | 'limit' | 'run.end'>(kind: K, name: string, data: EventData[K], durationMs?: number): void => {
    const event = { time: new Date().toISOString(), traceId: trace.traceId, spanId: runSpanId, parentSpanId: trace.spanId, kind, actor, name, data: redactor.redact(data) as EventData[K], durationMs } as TraceEvent;
    audit?.append(toAuditEvent(event));
  };

  const withheldSet = new Set(withhold);
  let withheldFrom: WithheldFrom | undefined;
  let requested = 0;
  /**
   * The first call made, or line printed, where a label withheld from the agent decided it: from
   * there on, which calls happen and what is printed can spell that data, so the agent's view of
   * the run stops (the trace keeps everything).
   */
  const cutIfWithheld = (labels: unknown[]): void => {
    if (withheldFrom) return;
    const deciding = labels.filter((l): l is string => typeof l === 'string' && withheldSet.has(l));
    if (deciding.length) withheldFrom = { calls: requested, console: consoleLines.length, labels: [...new Set(deciding)].sort() };
  };
  const consoleLines: ConsoleLine[] = [];
  /** Labels of what went back to the agent (result, console, error), withheld ones excluded. */
  const handedBack: string[] = [];
  let consoleChars = 0;
  let stop: Stop | undefined;
  let guest: GuestIsolate | undefined;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const halt = (reason: Stop): void => {
    if (stop) return;
    stop = reason;
    if (guest && !guest.disposed) guest.dispose();
    wake();
  };

  const bridge = new Bridge({
    catalog, policy, limits, trace, runSpanId, redactor, actor,
    transport: options.transport,
    approve: options.approve ?? (async () => false),
    approved: options.approved,
    analysisVerdict: options.analysisVerdict,
    atRest: options.atRest,
    audit,
    onEvent: options.onEvent,
  });

  /** Calls the program started and the host has not finished handling (sent, or waiting for a human). */
  const callsOpen = new Set<Promise<void>>();
  const onMessage = (kind: string, payload: string): void => {
    if (stop) return;
    if (kind === 'console') onConsole(payload);
    else if (kind === 'call') {
      const call = onCall(payload);
      callsOpen.add(call);
      void call.finally(() => callsOpen.delete(call));
    }
  };

  const onConsole = (payload: string): void => {
    let message: { level?: unknown; text?: unknown; labels?: unknown };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const level = (['log', 'info', 'warn', 'error', 'debug'].includes(String(message.level)) ? message.level : 'log') as ConsoleLine['level'];
    const text = String(message.text ?? '').slice(0, OUTPUT_CAPS.consoleLine + 32);
    if (consoleChars + text.length > OUTPUT_CAPS.consoleTotal) {
      // Ends the run rather than drop lines: which later lines were kept would tell what was printed before.
      halt({ status: 'limit', code: 'consoleTotal', message: `stopped: console output passed ${OUTPUT_CAPS.consoleTotal} characters` });
      return;
    }
    consoleChars += text.length;
    if (Array.isArray(message.labels)) for (const l of message.labels) if (typeof l === 'string') handedBack.push(l);
    cutIfWithheld(Array.isArray(message.labels) ? message.labels : []);
    const line: ConsoleLine = { level, text };
    consoleLines.push(line);
    options.onEvent?.({ type: 'console', line: { level, text: redactor.redactString(text) } });
    emit('console', `console.${level}`, { level, text, labels: Array.isArray(message.labels) ? message.labels : [] });
  };

  const onCall = async (payload: string): Promise<void> => {
    let request: CallRequest & { id: number };
    try {
      request = JSON.parse(payload);
    } catch {
      return;
    }
    const pc = Array.isArray(request.pc) ? request.pc : [];
    cutIfWithheld(pc);
    requested += 1;
    const outcome = await bridge.handle({
      operation: String(request.operation),
      args: String(request.args),
      labels: request.labels && typeof request.labels === 'object' ? request.labels : {},
      pc,
      ...(withheldFrom ? { hiddenFromAgent: true } : {}),
    });
    if (stop || !guest) return;
    if (outcome.ok) guest.deliver(request.id, JSON.stringify({ ok: true, body: outcome.body, labels: outcome.labels }));
    else if (outcome.stop) halt({ status: outcome.stop, code: outcome.error.code, message: outcome.error.message });
    else guest.deliver(request.id, JSON.stringify({ ok: false, body: JSON.stringify(outcome.error) }));
  };

  emit('run.start', 'run', { limits, policy: policy.name });
  let result: unknown;
  let thrown: { code: string; message: string; line?: number } | undefined;
  const timer = setTimeout(() => halt({ status: 'limit', code: 'maxDuration', message: `stopped after ${limits.maxDurationMs} ms (maxDuration)` }), limits.maxDurationMs);
  try {
    const lowered = lowerSource(options.source, { services: catalog.services.map((s) => s.name) });
    if (!lowered.program) {
      const first = lowered.errors[0];
      const line = first ? options.source.slice(0, first.start).split('\n').length : undefined;
      thrown = { code: 'subset', message: lowered.errors.map((e) => e.message).join('; '), line };
    } else {
      guest = await GuestIsolate.acquire({ memoryMb: limits.maxMemoryMb, onMessage });
      const config = JSON.stringify({
        program: lowered.program,
        services: Object.fromEntries(catalog.services.map((s) => [s.name, s.operations.map((o) => o.name)])),
        params: options.params ?? {},
        paramsLabels: options.paramsLabels ?? [],
        config: { ...INTERPRETER_LIMITS, redact: [...redactLabels], withhold },
        caps: { argsChars: OUTPUT_CAPS.argsChars, calls: limits.maxApiCalls, consoleLines: OUTPUT_CAPS.consoleLines, consoleLine: OUTPUT_CAPS.consoleLine },
      });
      const text = await Promise.race([guest.run(config), stopped.then(() => undefined)]);
      if (!stop && text !== undefined) {
        const outcome = JSON.parse(text) as Outcome;
        if (outcome.labels) handedBack.push(...outcome.labels);
        if (outcome.status === 'ok') {
          const json = JSON.stringify(outcome.result ?? null);
          if (json.length > OUTPUT_CAPS.resultChars) thrown = { code: 'result-too-large', message: `the result is larger than ${OUTPUT_CAPS.resultChars} characters` };
          else result = outcome.result;
        } else if (outcome.status === 'threw') {
          // Where and why it threw, when withheld data decided it (the exception's labels carry
          // the pc it was thrown under), are withheld from the agent too.
          const deciding = (outcome.labels ?? []).filter((l) => withheldSet.has(l));
          if (deciding.length) withheldFrom = { ...(withheldFrom ?? { calls: requested, console: consoleLines.length, labels: [...new Set(deciding)].sort() }), error: true };
          thrown = { code: 'threw', message: `${outcome.error?.name && outcome.error.name !== 'Error' ? `${outcome.error.name}: ` : ''}${outcome.error?.message ?? ''}`, line: outcome.error?.line };
        } else if (outcome.stop) {
          halt({ status: outcome.stop.status, code: outcome.stop.code, message: outcome.stop.message, line: outcome.stop.line });
        }
      }
    }
  } catch (error) {
    if (!stop) {
      const message = error instanceof Error ? error.message : String(error);
      if (/memory limit/i.test(message) || guest?.disposed) {
        halt({ status: 'limit', code: 'maxMemory', message: `stopped: the program exceeded ${limits.maxMemoryMb} MB (maxMemory)` });
      } else halt({ status: 'error', code: 'internal', message: `the run failed inside Flowgate: ${message}` });
    }
  } finally {
    clearTimeout(timer);
    if (guest && !guest.disposed) guest.dispose();
  }

  // Calls still out when the run ended (a limit stopped it, or it returned without awaiting them):
  // their answers get a short grace, then the trace records them as in flight and closes.
  if (callsOpen.size) await Promise.race([Promise.allSettled([...callsOpen]), new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_GRACE_MS).unref?.())]);
  bridge.seal();
  const status: RunStatus = stop ? stop.status : thrown ? 'error' : 'ok';
  const error = stop ? { code: stop.code, message: stop.message, line: stop.line } : thrown;
  const durationMs = performance.now() - started;
  if (stop?.status === 'limit') emit('limit', stop.code, { code: stop.code, message: stop.message });
  emit('run.end', 'run', { status, result, error, calls: bridge.calls.length, labelsRead: [...bridge.labelsRead], ...(withheldFrom ? { withheldFrom } : {}) }, durationMs);
  // What the agent learns from a run — its result and console, and also which calls it made, where
  // it threw, its status and its timing — can depend on everything the run read, withheld or not:
  // all of it stays with the agent, and the params it passes later carry it.
  if (options.agent && options.atRest) options.atRest.recordAgent(options.agent, [...handedBack, ...bridge.labelsRead], trace.traceId);
  return {
    status,
    result: redactor.redact(result),
    error: error ? (redactor.redact(error) as typeof error) : undefined,
    calls: bridge.calls,
    console: consoleLines.map((l) => ({ ...l, text: redactor.redactString(l.text) })),
    traceId: trace.traceId,
    durationMs,
    labelsRead: [...bridge.labelsRead],
    ...(withheldFrom ? { withheldFrom } : {}),
  };
}

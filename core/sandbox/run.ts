/**
 * `runProgram`: one program, one fresh isolate, under a policy. The run ends in exactly one
 * status — ok, denied (a call was blocked), limit (time, memory or call budget), or error (the
 * program threw) — and whatever the program does, the host process keeps serving.
 */
import type { AuditEvent, EventKind } from '../audit/types.ts';
import { newSpanId } from '../audit/trace.ts';
import { Redactor } from '../audit/redact.ts';
import type { Limits } from '../policy/types.ts';
import { Bridge, redacts } from './bridge.ts';
import { GuestIsolate } from './isolate.ts';
import { prepareProgram, type SiteSpan } from './prepare.ts';
import type { ConsoleLine, RunOptions, RunResult, RunStatus } from './types.ts';

/** Caps on what a program can push through console and its result. */
export const OUTPUT_CAPS = {
  consoleLine: 8 * 1024,
  argsChars: 1024 * 1024,
  consoleLines: 10_000,
  consoleTotal: 1024 * 1024,
  resultChars: 4 * 1024 * 1024,
};

type Stop = { status: RunStatus; code: string; message: string };

export async function runProgram(options: RunOptions): Promise<RunResult> {
  const { catalog, policy, trace, audit, actor = 'flowgate' } = options;
  const limits: Limits = { ...policy.limits, ...options.limits };
  const started = performance.now();
  const runSpanId = newSpanId();
  const redactLabels = new Set(catalog.labels.filter((l) => redacts(policy, l)));
  for (const label of Object.keys(policy.document.dataFlows ?? {})) if (redacts(policy, label)) redactLabels.add(label);
  const redactor = new Redactor({ redactLabels });
  const emit = (kind: EventKind, name: string, data: Record<string, unknown>, durationMs?: number): void => {
    const event: AuditEvent = { time: new Date().toISOString(), traceId: trace.traceId, spanId: runSpanId, parentSpanId: trace.spanId, kind, actor, name, data: redactor.redact(data) as Record<string, unknown>, durationMs };
    audit?.append(event);
  };

  const consoleLines: ConsoleLine[] = [];
  let consoleChars = 0;
  let consoleDropped = 0;
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
    sitePlan: options.sitePlan,
    audit,
    onEvent: options.onEvent,
  });

  const onMessage = (kind: string, payload: string): void => {
    if (stop) return;
    if (kind === 'console') {
      const split = payload.indexOf('\u0000');
      const level = payload.slice(0, split) as ConsoleLine['level'];
      const text = payload.slice(split + 1, split + 1 + OUTPUT_CAPS.consoleLine + 32);
      if (consoleChars + text.length > OUTPUT_CAPS.consoleTotal) {
        consoleDropped += 1;
        return;
      }
      consoleChars += text.length;
      const line: ConsoleLine = { level: ['log', 'info', 'warn', 'error', 'debug'].includes(level) ? level : 'log', text };
      consoleLines.push(line);
      options.onEvent?.({ type: 'console', line });
      emit('console', `console.${line.level}`, { level: line.level, text });
      return;
    }
    if (kind === 'call') void handleCall(payload);
  };

  const handleCall = async (payload: string): Promise<void> => {
    let request: { id: number; operation: string; site: number; args: string };
    try {
      request = JSON.parse(payload);
    } catch {
      return;
    }
    const outcome = await bridge.handle(String(request.operation), Number(request.site) || 0, String(request.args));
    if (stop || !guest) return;
    if (outcome.ok) guest.deliver(request.id, true, outcome.body);
    else {
      if (outcome.stop) halt({ status: outcome.stop, code: outcome.error.code, message: outcome.error.message });
      else guest.deliver(request.id, false, JSON.stringify(outcome.error));
    }
  };

  emit('run.start', 'run', { limits, policy: policy.name });
  let result: unknown;
  let thrown: { code: string; message: string; line?: number } | undefined;
  const timer = setTimeout(() => halt({ status: 'limit', code: 'maxDuration', message: `stopped after ${limits.maxDurationMs} ms (maxDuration)` }), limits.maxDurationMs);
  try {
    const js = prepareProgram(options.source, siteSpans(options));
    guest = await GuestIsolate.acquire({ memoryMb: limits.maxMemoryMb, manifest: manifestOf(options), caps: { consoleLine: OUTPUT_CAPS.consoleLine, argsChars: OUTPUT_CAPS.argsChars, consoleLines: OUTPUT_CAPS.consoleLines, calls: limits.maxApiCalls }, onMessage });
    const outcome = await Promise.race([guest.run(js), stopped.then(() => undefined)]);
    if (!stop) {
      if (outcome !== undefined && outcome.length > OUTPUT_CAPS.resultChars) {
        thrown = { code: 'result-too-large', message: `the result is larger than ${OUTPUT_CAPS.resultChars} characters` };
      } else result = outcome === undefined ? undefined : JSON.parse(outcome);
    }
  } catch (error) {
    if (!stop) {
      const message = error instanceof Error ? error.message : String(error);
      if (/memory limit/i.test(message) || (guest?.disposed && !stop)) {
        halt({ status: 'limit', code: 'maxMemory', message: `stopped: the program exceeded ${limits.maxMemoryMb} MB (maxMemory)` });
      } else thrown = { code: error instanceof Error && error.name === 'ProgramSyntaxError' ? 'syntax' : 'threw', message: describeThrown(error), line: lineOf(error) };
    }
  } finally {
    clearTimeout(timer);
    if (guest && !guest.disposed) guest.dispose();
  }

  const status: RunStatus = stop ? stop.status : thrown ? 'error' : 'ok';
  const error = stop ? { code: stop.code, message: stop.message } : thrown;
  if (consoleDropped) consoleLines.push({ level: 'warn', text: `[${consoleDropped} console lines dropped: output is capped at ${OUTPUT_CAPS.consoleTotal} characters]` });
  const durationMs = performance.now() - started;
  if (stop?.status === 'limit') emit('limit', stop.code, { code: stop.code, message: stop.message });
  emit('run.end', 'run', { status, result, error, calls: bridge.calls.length, labelsRead: [...bridge.labelsRead] }, durationMs);
  return {
    status,
    result: redactor.redact(result),
    error: error ? (redactor.redact(error) as typeof error) : undefined,
    calls: bridge.calls,
    console: consoleLines.map((l) => ({ ...l, text: redactor.redactString(l.text) })),
    traceId: trace.traceId,
    durationMs,
    labelsRead: [...bridge.labelsRead],
  };
}

function manifestOf(options: RunOptions): Record<string, string[]> {
  const manifest: Record<string, string[]> = {};
  for (const service of options.catalog.services) manifest[service.name] = service.operations.map((o) => o.name);
  return manifest;
}

function siteSpans(options: RunOptions): SiteSpan[] {
  return [...(options.sitePlan?.sites.entries() ?? [])].map(([id, site]) => ({ id, start: site.start, end: site.end }));
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}

/** The user's line from a guest stack trace (`program.ts:LINE:COL`); prepare.ts keeps lines in place. */
function lineOf(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'line' in error && typeof error.line === 'number') return error.line;
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const match = /program\.ts:(\d+):\d+/.exec(stack);
  return match ? Number(match[1]) : undefined;
}

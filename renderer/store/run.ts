/**
 * Live runs, per submission: status, console lines and API calls as `run` events arrive, and
 * the answers to runtime approval prompts.
 */
import { createStore } from 'zustand/vanilla';
import type { CallRecord, ConsoleLine, RunEvent, RunResult } from '../../core/sandbox/types.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

export interface LiveCall {
  spanId: string;
  operation: string;
  /** Undefined while the call is in flight. */
  record?: CallRecord;
}

export interface LiveRun {
  status: 'running' | RunResult['status'];
  console: ConsoleLine[];
  calls: LiveCall[];
  /** Approval requests seen in this run (the prompts to answer come with the submission). */
  approvals: number;
  result?: RunResult;
  error?: string;
}

export interface RunState {
  runs: Record<string, LiveRun>;
  start(submissionId: string): Promise<RunResult | undefined>;
  apply(submissionId: string, event: RunEvent): void;
  answer(promptId: string, approve: boolean, who: string, reason: string): Promise<void>;
  promptError?: string;
}

const EMPTY: LiveRun = { status: 'running', console: [], calls: [], approvals: 0 };

/** Pure: the next live run after one event. */
export function applyRunEvent(run: LiveRun, event: RunEvent): LiveRun {
  switch (event.type) {
    case 'console':
      return { ...run, console: [...run.console, event.line] };
    case 'call.start':
      return { ...run, calls: [...run.calls, { spanId: event.spanId, operation: event.operation }] };
    case 'call.end': {
      const at = run.calls.findIndex((c) => c.spanId === event.record.spanId);
      const call: LiveCall = { spanId: event.record.spanId, operation: `${event.record.service}.${event.record.operation}`, record: event.record };
      const calls = at >= 0 ? run.calls.map((c, i) => (i === at ? call : c)) : [...run.calls, call];
      return { ...run, calls };
    }
    case 'approval':
      return { ...run, approvals: run.approvals + 1 };
  }
}

/** The live run from a finished result (e.g. a submission run before the workbench opened). */
export function runFromResult(result: RunResult): LiveRun {
  return {
    status: result.status,
    console: result.console,
    calls: result.calls.map((record) => ({ spanId: record.spanId, operation: `${record.service}.${record.operation}`, record })),
    approvals: 0,
    result,
  };
}

export function createRunStore(bridge: Bridge) {
  return createStore<RunState>()((set) => ({
    runs: {},
    start: async (submissionId) => {
      set((s) => ({ runs: { ...s.runs, [submissionId]: EMPTY } }));
      try {
        const result = await bridge.call('run', { id: submissionId });
        set((s) => ({ runs: { ...s.runs, [submissionId]: { ...(s.runs[submissionId] ?? EMPTY), ...runFromResult(result), approvals: s.runs[submissionId]?.approvals ?? 0 } } }));
        return result;
      } catch (error) {
        set((s) => ({ runs: { ...s.runs, [submissionId]: { ...(s.runs[submissionId] ?? EMPTY), status: 'error', error: errorMessage(error) } } }));
        return undefined;
      }
    },
    apply: (submissionId, event) => set((s) => ({ runs: { ...s.runs, [submissionId]: applyRunEvent(s.runs[submissionId] ?? EMPTY, event) } })),
    answer: async (promptId, approve, who, reason) => {
      try {
        await bridge.call('prompt.answer', { promptId, approve, who, reason });
        set({ promptError: undefined });
      } catch (error) {
        set({ promptError: errorMessage(error) });
      }
    },
  }));
}
export type RunStore = ReturnType<typeof createRunStore>;

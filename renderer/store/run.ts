/**
 * Running a submission and answering its runtime approval prompts. What a run did (calls,
 * console, result) is the selected submission's state, folded by the core from its trace and
 * refreshed as it changes; this store holds only the commands and their errors.
 */
import { createStore } from 'zustand/vanilla';
import type { RunResult } from '../../core/sandbox/types.ts';
import type { Passkeys } from '../bridge/passkeys.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

export interface RunStoreState {
  /** Submissions whose `run` request is in flight. */
  starting: Record<string, boolean>;
  /** The last error of a run request, per submission. */
  errors: Record<string, string>;
  /** Reason drafts, per runtime prompt. */
  promptDrafts: Record<string, string>;
  promptError?: string;
  start(submissionId: string): Promise<RunResult | undefined>;
  setPromptDraft(promptId: string, text: string): void;
  /** Answers a runtime approval prompt, signed with the reviewer's passkey. */
  answer(promptId: string, approve: boolean): Promise<void>;
}

export function createRunStore(bridge: Bridge, passkeys: Passkeys) {
  return createStore<RunStoreState>()((set, get) => ({
    starting: {},
    errors: {},
    promptDrafts: {},
    start: async (submissionId) => {
      set((s) => ({ starting: { ...s.starting, [submissionId]: true }, errors: { ...s.errors, [submissionId]: '' } }));
      try {
        return await bridge.call('run', { id: submissionId });
      } catch (error) {
        set((s) => ({ errors: { ...s.errors, [submissionId]: errorMessage(error) } }));
        return undefined;
      } finally {
        set((s) => ({ starting: { ...s.starting, [submissionId]: false } }));
      }
    },
    setPromptDraft: (promptId, text) => set((s) => ({ promptDrafts: { ...s.promptDrafts, [promptId]: text } })),
    answer: async (promptId, approve) => {
      const reason = (get().promptDrafts[promptId] ?? '').trim() || (approve ? 'approved at run time' : 'denied at run time');
      const unavailable = passkeys.unavailable();
      if (unavailable) return set({ promptError: `Cannot sign the answer: ${unavailable}` });
      try {
        const { options } = await bridge.call('prompt.request', { promptId, approve, reason });
        const assertion = await passkeys.sign(options);
        await bridge.call('prompt.answer', { promptId, approve, reason, assertion });
        set({ promptError: undefined });
      } catch (error) {
        set({ promptError: `The answer was not recorded: ${errorMessage(error)}` });
      }
    },
  }));
}
export type RunStore = ReturnType<typeof createRunStore>;

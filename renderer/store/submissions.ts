/**
 * The inbox: every submission (agents, the editor, the CLI) kept current from `submission`
 * events, the selected one in full, and the reviewer's commands on it (submit, decide).
 */
import { createStore } from 'zustand/vanilla';
import type { Params, SubmissionSummary, SubmissionView } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

export interface SubmissionsState {
  list: SubmissionSummary[];
  selectedId?: string;
  selected?: SubmissionView;
  loading: boolean;
  busy: boolean;
  error?: string;
  refresh(): Promise<void>;
  select(id: string): Promise<SubmissionView | undefined>;
  /** Newest first; an event for a known id replaces it. */
  upsert(summary: SubmissionSummary): void;
  submit(params: Params<'submit'>): Promise<SubmissionView | undefined>;
  decide(decision: 'approve' | 'deny', who: string, reason: string): Promise<SubmissionView | undefined>;
}

export function upsertSummary(list: SubmissionSummary[], summary: SubmissionSummary): SubmissionSummary[] {
  const rest = list.filter((s) => s.id !== summary.id);
  return [summary, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function createSubmissionsStore(bridge: Bridge) {
  return createStore<SubmissionsState>()((set, get) => ({
    list: [],
    loading: false,
    busy: false,
    refresh: async () => {
      set({ loading: true });
      try {
        const list = await bridge.call('submissions.list', {});
        set({ list: [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), loading: false, error: undefined });
      } catch (error) {
        set({ loading: false, error: errorMessage(error) });
      }
    },
    select: async (id) => {
      set({ selectedId: id });
      try {
        const selected = await bridge.call('submission.get', { id });
        if (get().selectedId === id) set({ selected, error: undefined });
        return selected;
      } catch (error) {
        set({ error: errorMessage(error) });
        return undefined;
      }
    },
    upsert: (summary) => {
      set((s) => ({ list: upsertSummary(s.list, summary) }));
      const { selected } = get();
      // The selected submission changed (decided, running, finished, a prompt): refresh it in full.
      if (selected && selected.id === summary.id) void get().select(summary.id);
    },
    submit: async (params) => {
      set({ busy: true });
      try {
        const view = await bridge.call('submit', params);
        set((s) => ({ list: upsertSummary(s.list, view), selectedId: view.id, selected: view, busy: false, error: undefined }));
        return view;
      } catch (error) {
        set({ busy: false, error: errorMessage(error) });
        return undefined;
      }
    },
    decide: async (decision, who, reason) => {
      const { selected } = get();
      if (!selected) return undefined;
      set({ busy: true });
      try {
        const view = await bridge.call('decide', { id: selected.id, decision, who, reason, sourceHash: selected.sourceHash });
        set((s) => ({ list: upsertSummary(s.list, view), selected: s.selectedId === view.id ? view : s.selected, busy: false, error: undefined }));
        return view;
      } catch (error) {
        set({ busy: false, error: errorMessage(error) });
        return undefined;
      }
    },
  }));
}
export type SubmissionsStore = ReturnType<typeof createSubmissionsStore>;

/**
 * The inbox: every submission (agents, the editor, the CLI) kept current from `submission`
 * events, the selected one in full, and the reviewer's commands on it (submit, decide).
 *
 * A decision names its submission explicitly and takes the reason typed for that submission
 * (`drafts` are kept per submission), so a reason typed for one never reaches another. The core
 * states what is signed (program hash, flows, policy hash, decision, reason); the reviewer's
 * passkey signs it.
 */
import { createStore } from 'zustand/vanilla';
import type { Params, SubmissionSummary, SubmissionView } from '../../core/service/protocol.ts';
import type { Passkeys } from '../bridge/passkeys.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

export interface SubmissionsState {
  list: SubmissionSummary[];
  selectedId?: string;
  selected?: SubmissionView;
  loading: boolean;
  /** The submission a command is under way for. */
  busy?: string;
  error?: string;
  /** Why the last decision was not recorded (a refused passkey, a stale program…), by submission id. */
  decideErrors: Record<string, string>;
  /** Reason drafts, by submission id. */
  drafts: Record<string, string>;
  setDraft(id: string, text: string): void;
  refresh(): Promise<void>;
  select(id: string): Promise<SubmissionView | undefined>;
  /** Newest first; an event for a known id replaces it. */
  upsert(summary: SubmissionSummary): void;
  submit(params: Params<'submit'>): Promise<SubmissionView | undefined>;
  /** Approves or denies submission `id` with the reason drafted for it, signed with the reviewer's passkey. */
  decide(id: string, decision: 'approve' | 'deny'): Promise<SubmissionView | undefined>;
}

export function upsertSummary(list: SubmissionSummary[], summary: SubmissionSummary): SubmissionSummary[] {
  const rest = list.filter((s) => s.id !== summary.id);
  return [summary, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The inbox line of a full view. */
export function summaryOf(view: SubmissionView): SubmissionSummary {
  return {
    id: view.id, traceId: view.traceId, createdAt: view.createdAt, intent: view.intent, agent: view.agent, task: view.task,
    policy: view.policy.name, verdict: view.verdict, status: view.status, runStatus: view.run?.status,
    decision: view.decision ? { decision: view.decision.decision, who: view.decision.who, method: view.decision.method } : undefined,
    prompts: view.prompts, readOnly: view.readOnly,
  };
}

export function createSubmissionsStore(bridge: Bridge, passkeys: Passkeys) {
  return createStore<SubmissionsState>()((set, get) => ({
    list: [],
    loading: false,
    drafts: {},
    decideErrors: {},
    setDraft: (id, text) => set((s) => ({ drafts: { ...s.drafts, [id]: text } })),
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
      if (get().selectedId !== id) set({ selectedId: id, error: undefined });
      try {
        const selected = await bridge.call('submission.get', { id });
        if (get().selectedId === id) set({ selected });
        return selected;
      } catch (error) {
        set({ error: errorMessage(error) });
        return undefined;
      }
    },
    upsert: (summary) => {
      set((s) => ({ list: upsertSummary(s.list, summary) }));
      // The selected submission changed (decided, running, a call, a prompt): refresh it in full.
      if (get().selectedId === summary.id) void get().select(summary.id);
    },
    submit: async (params) => {
      set({ busy: 'submit' });
      try {
        const view = await bridge.call('submit', params);
        set((s) => ({ list: upsertSummary(s.list, summaryOf(view)), selectedId: view.id, selected: view, busy: undefined, error: undefined }));
        return view;
      } catch (error) {
        set({ busy: undefined, error: errorMessage(error) });
        return undefined;
      }
    },
    decide: async (id, decision) => {
      const reason = (get().drafts[id] ?? '').trim();
      const unavailable = passkeys.unavailable();
      if (unavailable) {
        set((s) => ({ decideErrors: { ...s.decideErrors, [id]: `Cannot sign the decision: ${unavailable}` } }));
        return undefined;
      }
      set((s) => ({ busy: id, decideErrors: { ...s.decideErrors, [id]: '' } }));
      try {
        // The program the reviewer saw: a decision for any other is refused by the core.
        const seen = get().selected?.id === id ? get().selected : await bridge.call('submission.get', { id });
        const { options } = await bridge.call('decision.request', { id, decision, reason });
        const assertion = await passkeys.sign(options);
        const view = await bridge.call('decide', { id, decision, reason, sourceHash: seen?.sourceHash ?? '', assertion });
        set((s) => ({
          list: upsertSummary(s.list, summaryOf(view)),
          selected: s.selectedId === view.id ? view : s.selected,
          drafts: { ...s.drafts, [id]: '' },
          busy: undefined,
        }));
        return view;
      } catch (error) {
        set((s) => ({ busy: undefined, decideErrors: { ...s.decideErrors, [id]: `The decision was not recorded: ${errorMessage(error)}` } }));
        return undefined;
      }
    },
  }));
}
export type SubmissionsStore = ReturnType<typeof createSubmissionsStore>;

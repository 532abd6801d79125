/**
 * The program being reviewed or written: its source, the policy and catalog it is checked
 * against, and the live analysis (`analyze`, debounced while typing; stale answers dropped).
 */
import { createStore } from 'zustand/vanilla';
import type { Analysis } from '../../core/analysis/types.ts';
import type { PolicyRef, SubmissionView } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';
import type { CatalogName } from './catalog.ts';

export const ANALYZE_DEBOUNCE_MS = 250;

export interface EditorState {
  source: string;
  policy: PolicyRef;
  catalog: CatalogName;
  intent: string;
  task?: string;
  /** The submission whose program is loaded (undefined for a fresh draft). */
  submissionId?: string;
  /** The loaded submission's source: the decision binds to it, so edits mean a new submission. */
  submittedSource?: string;
  analysis?: Analysis;
  analyzing: boolean;
  error?: string;
  /** A request to scroll the editor to a place (the flow graph's edges, the reasons list). */
  reveal?: { line: number; column: number; nonce: number };
  setSource(source: string): void;
  setPolicy(policy: PolicyRef): void;
  setCatalog(catalog: CatalogName): void;
  setIntent(intent: string): void;
  /** Opens a submission's program (its own analysis, no new request). */
  loadSubmission(view: SubmissionView): void;
  /** A fresh program (the demo menu, "new"). */
  loadDraft(draft: { source: string; policy: PolicyRef; catalog?: CatalogName; intent?: string; task?: string }): void;
  analyzeNow(): Promise<void>;
  revealAt(line: number, column?: number): void;
}

/** A policy reference's name for the UI. */
export function policyLabel(ref: PolicyRef): string {
  return 'text' in ref ? `${ref.name ?? 'edited'} (edited)` : ref.name;
}

export function createEditorStore(bridge: Bridge) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  let nonce = 0;
  return createStore<EditorState>()((set, get) => {
    const schedule = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void get().analyzeNow(), ANALYZE_DEBOUNCE_MS);
    };
    return {
      source: '',
      policy: { name: 'seed' },
      catalog: 'current',
      intent: '',
      analyzing: false,
      setSource: (source) => {
        if (source === get().source) return;
        set({ source });
        schedule();
      },
      setPolicy: (policy) => {
        set({ policy });
        schedule();
      },
      setCatalog: (catalog) => {
        set({ catalog });
        schedule();
      },
      setIntent: (intent) => set({ intent }),
      loadSubmission: (view) => {
        if (timer) clearTimeout(timer);
        generation++;
        set({
          source: view.source,
          submittedSource: view.source,
          submissionId: view.id,
          policy: { name: view.policy.name },
          catalog: view.catalog === 'demo-v2' ? 'demo-v2' : 'demo',
          intent: view.intent,
          task: view.task,
          analysis: view.analysis,
          analyzing: false,
          error: undefined,
        });
      },
      loadDraft: (draft) => {
        set({
          source: draft.source,
          policy: draft.policy,
          catalog: draft.catalog ?? 'current',
          intent: draft.intent ?? '',
          task: draft.task,
          submissionId: undefined,
          submittedSource: undefined,
          analysis: undefined,
        });
        schedule();
      },
      analyzeNow: async () => {
        if (timer) clearTimeout(timer);
        const mine = ++generation;
        const { source, policy, catalog } = get();
        set({ analyzing: true });
        try {
          const analysis = await bridge.call('analyze', { source, policy, catalog: catalog === 'current' ? undefined : catalog });
          if (mine === generation) set({ analysis, analyzing: false, error: undefined });
        } catch (error) {
          if (mine === generation) set({ analyzing: false, error: errorMessage(error) });
        }
      },
      revealAt: (line, column = 1) => set({ reveal: { line, column, nonce: ++nonce } }),
    };
  });
}
export type EditorStore = ReturnType<typeof createEditorStore>;

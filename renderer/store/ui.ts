/** Which view the workbench shows, and a short notice for the user. */
import { createStore } from 'zustand/vanilla';

export type Tab = 'review' | 'timeline' | 'policy' | 'catalog';

export interface UiState {
  tab: Tab;
  /** A short message for the status bar (last error or confirmation). */
  notice?: { kind: 'info' | 'error'; text: string };
  setTab(tab: Tab): void;
  notify(kind: 'info' | 'error', text: string): void;
}

export function createUiStore() {
  return createStore<UiState>()((set) => ({
    tab: 'review',
    setTab: (tab) => set({ tab }),
    notify: (kind, text) => set({ notice: { kind, text } }),
  }));
}
export type UiStore = ReturnType<typeof createUiStore>;

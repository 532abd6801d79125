/** Which view the workbench shows and who the reviewer is (kept in localStorage). */
import { createStore } from 'zustand/vanilla';

export type Tab = 'review' | 'timeline' | 'policy' | 'catalog';

export interface UiState {
  tab: Tab;
  reviewer: string;
  /** A short message for the status bar (last error or confirmation). */
  notice?: { kind: 'info' | 'error'; text: string };
  setTab(tab: Tab): void;
  setReviewer(name: string): void;
  notify(kind: 'info' | 'error', text: string): void;
}

function storedReviewer(): string {
  try {
    return globalThis.localStorage?.getItem('flowgate.reviewer') || 'reviewer';
  } catch {
    return 'reviewer';
  }
}

export function createUiStore() {
  return createStore<UiState>()((set) => ({
    tab: 'review',
    reviewer: storedReviewer(),
    setTab: (tab) => set({ tab }),
    setReviewer: (reviewer) => {
      try {
        globalThis.localStorage?.setItem('flowgate.reviewer', reviewer);
      } catch {
        // private mode: keep it for this session only
      }
      set({ reviewer });
    },
    notify: (kind, text) => set({ notice: { kind, text } }),
  }));
}
export type UiStore = ReturnType<typeof createUiStore>;

/**
 * Which catalog the core serves (the demo company or a workspace directory), the others it has
 * served, and switching: after a switch the catalog is loaded afresh and the core's greeting
 * (which names the catalog) is read again.
 */
import { createStore } from 'zustand/vanilla';
import type { WorkspaceView } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';
import type { CatalogStore } from './catalog.ts';

export interface WorkspaceState {
  current?: WorkspaceView;
  known: WorkspaceView[];
  switching: boolean;
  error?: string;
  refresh(): Promise<void>;
  /** Serves the workspace in `dir` (or `demo`) from now on. */
  open(dir: string): Promise<void>;
}

export function createWorkspaceStore(bridge: Bridge, deps: { catalog: CatalogStore; onSwitched: () => void }) {
  return createStore<WorkspaceState>()((set, get) => ({
    known: [],
    switching: false,
    refresh: async () => {
      try {
        const { current, known } = await bridge.call('workspace.get', {});
        set({ current, known, error: undefined });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    open: async (dir) => {
      set({ switching: true, error: undefined });
      try {
        await bridge.call('workspace.open', { dir });
        deps.catalog.getState().reset();
        await get().refresh();
        deps.onSwitched();
      } catch (error) {
        set({ error: errorMessage(error) });
      } finally {
        set({ switching: false });
      }
    },
  }));
}
export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;

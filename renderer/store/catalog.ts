/** The catalog the editor codes against: services, operations, labels, destinations, declarations. */
import { createStore } from 'zustand/vanilla';
import type { CatalogView } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

export type CatalogName = 'demo' | 'demo-v2';

export interface CatalogState {
  views: Partial<Record<CatalogName, CatalogView>>;
  error?: string;
  /** Loads a catalog once (cached per name). */
  load(name: CatalogName): Promise<CatalogView | undefined>;
}

export function createCatalogStore(bridge: Bridge) {
  return createStore<CatalogState>()((set, get) => ({
    views: {},
    load: async (name) => {
      const cached = get().views[name];
      if (cached) return cached;
      try {
        const view = await bridge.call('catalog.get', { catalog: name });
        set((s) => ({ views: { ...s.views, [name]: view }, error: undefined }));
        return view;
      } catch (error) {
        set({ error: errorMessage(error) });
        return undefined;
      }
    },
  }));
}
export type CatalogStore = ReturnType<typeof createCatalogStore>;

/** The catalog the editor codes against: services, operations, labels, destinations, declarations. */
import { createStore } from 'zustand/vanilla';
import type { CatalogView } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge } from '../bridge/types.ts';

/** `current`: whatever the core serves now (the demo company or a workspace). */
export type CatalogName = 'current' | 'demo' | 'demo-v2';

/** A `<select>`'s value as a catalog name. */
export function catalogChoice(value: string): CatalogName {
  return value === 'demo' || value === 'demo-v2' ? value : 'current';
}

export interface CatalogState {
  views: Partial<Record<CatalogName, CatalogView>>;
  error?: string;
  /** Loads a catalog once (cached per name). */
  load(name: CatalogName): Promise<CatalogView | undefined>;
  /** Forgets what was loaded (the core now serves another workspace). */
  reset(): void;
}

export function createCatalogStore(bridge: Bridge) {
  return createStore<CatalogState>()((set, get) => ({
    views: {},
    reset: () => set({ views: {} }),
    load: async (name) => {
      const cached = get().views[name];
      if (cached) return cached;
      try {
        const view = await bridge.call('catalog.get', name === 'current' ? {} : { catalog: name });
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

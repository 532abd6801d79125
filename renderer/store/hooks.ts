/** React's window onto the stores: a context holding them and a selector hook per store. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { Stores } from './index.ts';

export const StoresContext = createContext<Stores | undefined>(undefined);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside <StoresContext.Provider>');
  return stores;
}

type StateOf<S> = S extends StoreApi<infer T> ? T : never;

/** Selects from one named store: `useFlowgate('editor', (s) => s.source)`. */
export function useFlowgate<K extends keyof Stores, U>(key: K, selector: (state: StateOf<Stores[K]>) => U): U {
  const store = useStores()[key] as unknown as StoreApi<StateOf<Stores[K]>>;
  return useStore<StoreApi<StateOf<Stores[K]>>, U>(store, selector);
}

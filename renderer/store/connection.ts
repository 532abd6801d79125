/** The bridge's connection state and the core's `hello` (protocol version, catalog, policies). */
import { createStore } from 'zustand/vanilla';
import type { Result } from '../../core/service/protocol.ts';
import { errorMessage, type Bridge, type ConnectionState } from '../bridge/types.ts';

export interface ConnectionStoreState {
  state: ConnectionState;
  hello?: Result<'hello'>;
  error?: string;
}

export function createConnectionStore(bridge: Bridge) {
  const store = createStore<ConnectionStoreState>()(() => ({ state: bridge.state }));
  const greet = (): void => {
    bridge.call('hello', { client: 'flowgate-workbench', version: 1 }).then(
      (hello) => store.setState({ hello, error: undefined }),
      (error: unknown) => store.setState({ error: errorMessage(error) }),
    );
  };
  bridge.onState((state) => {
    store.setState({ state });
    if (state === 'open') greet();
  });
  greet();
  return store;
}
export type ConnectionStore = ReturnType<typeof createConnectionStore>;

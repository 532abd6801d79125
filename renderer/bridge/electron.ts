/**
 * Electron mode. The preload (electron/preload.ts) exposes exactly this object as
 * `window.flowgate` through `contextBridge.exposeInMainWorld('flowgate', …)`:
 *
 * ```ts
 * interface FlowgatePreload {
 *   request(message: string): void;                       // one JSON-RPC 2.0 request, as text
 *   onMessage(listener: (message: string) => void): () => void; // responses and `event` notifications, as text
 *   readonly version: 1;                                    // the protocol version the shell speaks
 * }
 * ```
 *
 * Invariants: the preload forwards only strings (never objects with prototypes or functions);
 * the main process checks each message's sender frame and relays it to the core unchanged;
 * the core validates every request against the protocol (there is no generic `invoke(channel)`,
 * and the only channel is the core's own, already validated, protocol). Responses come back in
 * the same text form and this side validates them (validate.ts).
 */
import { RpcClient } from './rpc-client.ts';
import type { Bridge } from './types.ts';

export interface FlowgatePreload {
  /** Sends one JSON-RPC 2.0 request (text) to the core. */
  request(message: string): void;
  /** Every message from the core (responses and `event` notifications), as text. Returns an unsubscribe. */
  onMessage(listener: (message: string) => void): () => void;
  /** Protocol version the shell relays. */
  readonly version: number;
}

declare global {
  interface Window {
    flowgate?: FlowgatePreload;
  }
}

export function createElectronBridge(preload: FlowgatePreload): Bridge {
  const client = new RpcClient();
  const unsubscribe = preload.onMessage((message) => {
    if (typeof message === 'string') client.receive(message);
  });
  client.attach({ send: (message) => preload.request(message) });
  const close = client.close.bind(client);
  client.close = () => {
    unsubscribe();
    close();
  };
  return client;
}

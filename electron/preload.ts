/**
 * The preload: exposes exactly `window.flowgate` (renderer/bridge/electron.ts documents the
 * shape) and nothing else — named functions that carry JSON-RPC text, never a generic
 * `invoke(channel)` and never an Electron object.
 *
 * Runs sandboxed, so it is shipped as CommonJS (`out/electron/preload.cjs`, transpiled by
 * scripts/start.ts) and may require only 'electron'.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

/** The core protocol's version (checked against protocol.ts at type level). */
const VERSION: typeof import('../core/service/protocol.ts').PROTOCOL_VERSION = 1;
/** The one channel, shared with main.ts. */
const CHANNEL = 'flowgate:rpc';
const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;

contextBridge.exposeInMainWorld('flowgate', {
  version: VERSION,
  /** Sends one JSON-RPC 2.0 request, as text, to the core. */
  request(message: string): void {
    if (typeof message !== 'string') throw new TypeError('flowgate.request takes a JSON-RPC message as a string');
    if (message.length > MAX_MESSAGE_CHARS) throw new RangeError('flowgate.request: message too large');
    ipcRenderer.send(CHANNEL, message);
  },
  /** Every message from the core (responses and `event` notifications), as text. Returns an unsubscribe. */
  onMessage(listener: (message: string) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('flowgate.onMessage takes a function');
    const relay = (_event: IpcRendererEvent, message: unknown) => {
      if (typeof message === 'string') listener(message);
    };
    ipcRenderer.on(CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(CHANNEL, relay);
    };
  },
});

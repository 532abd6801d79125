/**
 * A running Flowgate core reached over its WebSocket protocol, as the workbench reaches it:
 * `flowgate mcp` attaches to the workbench already running on this data directory, so what an
 * agent submits waits in the inbox the reviewer has open.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { processAlive } from '../audit/process-alive.ts';
import type { CoreEvent, MethodName, Params, Result, RpcMessage } from './protocol.ts';
import { PROTOCOL_VERSION } from './protocol.ts';

/** What a client of the core needs: the protocol's methods and its events. */
export interface CoreClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
}

export interface RemoteCore extends CoreClient {
  /** The workbench's address (with its token). */
  url: string;
  close(): Promise<void>;
}

/** `<dataDir>/workbench.json` of a workbench whose process is alive, if any. */
export function runningWorkbench(dataDir: string): { url: string; token: string } | undefined {
  const file = join(dataDir, 'workbench.json');
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as { url?: unknown; token?: unknown; pid?: unknown };
    if (typeof info.url !== 'string' || typeof info.token !== 'string' || typeof info.pid !== 'number') return undefined;
    return processAlive(info.pid) ? { url: info.url, token: info.token } : undefined;
  } catch {
    return undefined;
  }
}

/** Connects to the workbench at `url` (its `?token=` address) and says hello; rejects within `timeoutMs`. */
export function connectRemoteCore(url: string, token: string, timeoutMs = 3_000): Promise<RemoteCore> {
  const origin = new URL(url).origin;
  // The workbench listens on 127.0.0.1 and is addressed as `localhost` (passkeys need a name):
  // connect to the address itself, and present the page's origin as a browser would.
  const address = new URL(origin);
  if (address.hostname === 'localhost') address.hostname = '127.0.0.1';
  const socket = new WebSocket(`${address.origin.replace(/^http/, 'ws')}/rpc?token=${encodeURIComponent(token)}`, { origin });
  const pending = new Map<number | string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(event: CoreEvent) => void>();
  let nextId = 1;

  socket.on('message', (data) => {
    let message: RpcMessage;
    try {
      message = JSON.parse(String(data)) as RpcMessage;
    } catch {
      return;
    }
    if ('method' in message && message.method === 'event') {
      for (const listener of listeners) listener(message.params);
      return;
    }
    if (!('id' in message) || message.id === null) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if ('error' in message) {
      const error = new Error(message.error.message) as Error & { code?: string; pointer?: string };
      error.code = message.error.data?.code;
      error.pointer = message.error.data?.pointer;
      waiting.reject(error);
    } else if ('result' in message) waiting.resolve(message.result);
  });
  socket.on('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('the Flowgate workbench closed the connection'));
    pending.clear();
  });

  const core: RemoteCore = {
    url,
    call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected to the Flowgate workbench'));
      const id = nextId++;
      return new Promise<Result<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };

  return new Promise<RemoteCore>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`the workbench at ${origin} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('open', () => {
      core.call('hello', { client: 'flowgate-mcp', version: PROTOCOL_VERSION }).then(
        () => {
          clearTimeout(timer);
          resolve(core);
        },
        (error: Error) => {
          clearTimeout(timer);
          socket.terminate();
          reject(error);
        },
      );
    });
  });
}

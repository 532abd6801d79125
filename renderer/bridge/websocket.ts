/**
 * Browser mode: JSON-RPC over a WebSocket to the core at `ws(s)://<host>/rpc?token=<token>`,
 * the token being the per-launch secret the page was opened with (`/?token=…`). Reconnects
 * with backoff; calls made while disconnected are sent once the socket is open again.
 */
import { RpcClient } from './rpc-client.ts';
import type { Bridge } from './types.ts';

export interface WebSocketBridgeOptions {
  /** Full URL of the RPC socket; default derived from `location` and `token`. */
  url?: string;
  token: string;
  /** Longest wait between reconnect attempts. Default 5000 ms. */
  maxBackoffMs?: number;
}

/** `ws://host/rpc?token=…` for the page's own origin (`wss:` under https). */
export function rpcUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/rpc?token=${encodeURIComponent(token)}`;
}

export function createWebSocketBridge(options: WebSocketBridgeOptions): Bridge {
  const url = options.url ?? rpcUrl(window.location, options.token);
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const client = new RpcClient();
  let socket: WebSocket | undefined;
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    if (closed) return;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      client.attach({ send: (message) => ws.send(message) });
      client.call('hello', { client: 'flowgate-workbench', version: 1 }).catch(() => undefined);
    };
    ws.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') client.receive(event.data);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      client.detach(closed ? 'closed' : 'connecting');
      if (closed) return;
      const delay = Math.min(maxBackoff, 250 * 2 ** attempt++);
      timer = setTimeout(connect, delay);
    };
  };
  connect();

  const close = client.close.bind(client);
  client.close = () => {
    closed = true;
    if (timer) clearTimeout(timer);
    socket?.close();
    close();
  };
  return client;
}

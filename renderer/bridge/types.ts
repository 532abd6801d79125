/**
 * The one interface the workbench talks to the core through. Two implementations: the
 * WebSocket client (browser mode, websocket.ts) and the Electron preload (electron.ts). The
 * renderer never knows which one it holds.
 */
import type { CoreEvent, MethodName, Params, Result } from '../../core/service/protocol.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Bridge {
  /** Calls a protocol method; rejects with a {@link RpcError}. */
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Core events (submissions, live run events, audit records). Returns an unsubscribe. */
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** The connection's state now, and a subscription to its changes. */
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** A JSON-RPC error as the core reports it: `data.code` says which command failed, `data.pointer` where the bad input is. */
export class RpcError extends Error {
  readonly code: number;
  readonly dataCode?: string;
  readonly pointer?: string;

  constructor(code: number, message: string, data?: { code?: string; pointer?: string }) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.dataCode = data?.code;
    this.pointer = data?.pointer;
  }
}

/** A message the user can read, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof RpcError) return error.pointer ? `${error.message} (at ${error.pointer})` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A JSON-RPC 2.0 client over any string channel (a WebSocket, the Electron preload). Owns
 * request ids, pending calls, event fan-out and the validation of what the core sends back.
 */
import type { CoreEvent, MethodName, Params, Result } from '../../core/service/protocol.ts';
import { RpcError, type Bridge, type ConnectionState } from './types.ts';
import { parseMessage } from './validate.ts';

/** What a concrete channel provides to {@link RpcClient}. */
export interface Channel {
  /** Sends one JSON-RPC message; throws when the channel cannot send now. */
  send(message: string): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class RpcClient implements Bridge {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: CoreEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private current: ConnectionState = 'connecting';
  private channel: Channel | undefined;
  /** Calls made while not connected wait here and go out when the channel opens. */
  private readonly queue: Array<{ id: number; message: string }> = [];

  get state(): ConnectionState {
    return this.current;
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const id = this.nextId++;
    const message = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      if (this.channel && this.current === 'open') this.trySend(message, id);
      else this.queue.push({ id, message });
    });
  }

  onEvent(listener: (event: CoreEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.setState('closed');
  }

  /** The channel is up: flush queued calls. */
  attach(channel: Channel): void {
    this.channel = channel;
    this.setState('open');
    for (const { id, message } of this.queue.splice(0)) this.trySend(message, id);
  }

  /** The channel went away: calls in flight fail (their outcome is unknown), new ones queue. */
  detach(state: ConnectionState = 'connecting'): void {
    this.channel = undefined;
    const queued = new Set(this.queue.map((q) => q.id));
    for (const [id, p] of this.pending) {
      if (queued.has(id)) continue;
      p.reject(new RpcError(-32603, 'the connection to the core was lost'));
      this.pending.delete(id);
    }
    this.setState(state);
  }

  /** One incoming message from the channel. */
  receive(text: string): void {
    const message = parseMessage(text);
    if (!message) {
      console.warn('flowgate: ignored a malformed message from the core');
      return;
    }
    if (message.kind === 'event') {
      for (const listener of this.eventListeners) listener(message.event);
      return;
    }
    const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as number);
    if (message.kind === 'result') pending.resolve(message.result);
    else pending.reject(new RpcError(message.error.code, message.error.message, message.error.data));
  }

  private trySend(message: string, id: number): void {
    try {
      this.channel?.send(message);
    } catch (error) {
      this.pending.get(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      this.pending.delete(id);
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

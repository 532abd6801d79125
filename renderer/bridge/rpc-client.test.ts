import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../core/service/protocol.ts';
import { RpcClient } from './rpc-client.ts';
import { RpcError } from './types.ts';
import { parseMessage } from './validate.ts';
import { rpcUrl } from './websocket.ts';

function connected() {
  const sent: Array<{ id: number; method: string; params: unknown }> = [];
  const client = new RpcClient();
  client.attach({ send: (m) => sent.push(JSON.parse(m)) });
  return { client, sent };
}

describe('RpcClient', () => {
  it('numbers requests and resolves each with its own result', async () => {
    const { client, sent } = connected();
    const a = client.call('policy.get', { name: 'seed' });
    const b = client.call('submissions.list', {});
    expect(sent.map((m) => [m.id, m.method])).toEqual([[1, 'policy.get'], [2, 'submissions.list']]);
    client.receive(JSON.stringify({ jsonrpc: '2.0', id: 2, result: [] }));
    client.receive(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { name: 'seed', text: '{}' } }));
    await expect(a).resolves.toEqual({ name: 'seed', text: '{}' });
    await expect(b).resolves.toEqual([]);
  });

  it('rejects with the error code, data.code and data.pointer', async () => {
    const { client } = connected();
    const assertion = { id: 'x', rawId: 'x', type: 'public-key' as const, response: { authenticatorData: 'a', clientDataJSON: 'b', signature: 'c' }, clientExtensionResults: {} };
    const p = client.call('decide', { id: 's1', decision: 'approve', reason: 'r', sourceHash: 'h', assertion });
    client.receive(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'a program the policy denies cannot be approved', data: { code: 'forbidden' } } }));
    const error = await p.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: -32000, dataCode: 'forbidden', message: 'a program the policy denies cannot be approved' });
  });

  it('delivers events and ignores malformed messages', () => {
    const { client } = connected();
    const events: CoreEvent[] = [];
    client.onEvent((e) => events.push(e));
    client.receive('not json');
    client.receive(JSON.stringify({ jsonrpc: '2.0', method: 'event', params: { type: 'nonsense' } }));
    client.receive(JSON.stringify({ jsonrpc: '2.0', method: 'event', params: { type: 'submission' } }));
    const record = { seq: 1, prevHash: '0'.repeat(64), hash: '1'.repeat(64), time: 't', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), kind: 'console', actor: 'flowgate', name: 'console.log', data: { level: 'log', text: 'hi' } };
    client.receive(JSON.stringify({ jsonrpc: '2.0', method: 'event', params: { type: 'audit', record } }));
    expect(events).toEqual([{ type: 'audit', record }]);
  });

  it('queues calls while disconnected and fails calls in flight when the channel drops', async () => {
    const client = new RpcClient();
    const states: string[] = [];
    client.onState((s) => states.push(s));
    const queued = client.call('demo.stories', {});
    const sent: string[] = [];
    client.attach({ send: (m) => sent.push(m) });
    expect(sent).toHaveLength(1);
    client.detach();
    await expect(queued).rejects.toThrow('connection to the core was lost');
    const later = client.call('demo.stories', {});
    client.attach({ send: (m) => sent.push(m) });
    client.receive(JSON.stringify({ jsonrpc: '2.0', id: 2, result: [] }));
    await expect(later).resolves.toEqual([]);
    expect(states).toEqual(['open', 'connecting', 'open']);
  });
});

describe('validate and URL', () => {
  it('accepts results, errors and known events only', () => {
    expect(parseMessage('{"jsonrpc":"2.0","id":3,"result":null}')).toEqual({ kind: 'result', id: 3, result: null });
    expect(parseMessage('{"jsonrpc":"2.0","id":3,"error":{"code":-32001,"message":"bad","data":{"pointer":"/permissions"}}}')).toMatchObject({ kind: 'error', error: { data: { pointer: '/permissions' } } });
    expect(parseMessage('{"jsonrpc":"1.0","id":3,"result":1}')).toBeUndefined();
    expect(parseMessage('{"jsonrpc":"2.0","method":"event","params":{"type":"audit"}}')).toBeUndefined();
  });

  it('builds the socket URL from the page origin and token', () => {
    expect(rpcUrl({ protocol: 'http:', host: '127.0.0.1:4123' }, 'a b')).toBe('ws://127.0.0.1:4123/rpc?token=a%20b');
    expect(rpcUrl({ protocol: 'https:', host: 'x' }, 't')).toBe('wss://x/rpc?token=t');
  });
});

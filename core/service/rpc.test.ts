import { describe, expect, it } from 'vitest';
import type { CoreEvent, MethodName } from './protocol.ts';
import { RPC_ERRORS } from './protocol.ts';
import { createRpcSession, type RpcCore } from './rpc.ts';

/** A well-formed WebAuthn assertion (its signature is the reviewer registry's to check, not the session's). */
const ASSERTION = { id: 'Y3JlZA', rawId: 'Y3JlZA', type: 'public-key', response: { authenticatorData: 'YQ', clientDataJSON: 'Yg', signature: 'Yw' }, clientExtensionResults: {} };

class Named extends Error {
  constructor(name: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = name;
    Object.assign(this, extra);
  }
}

/** A core whose handlers are given per test; records what reached it. */
function fakeCore(handlers: Partial<Record<MethodName, (params: unknown) => unknown>> = {}) {
  const calls: Array<{ method: string; params: unknown }> = [];
  const listeners = new Set<(e: CoreEvent) => void>();
  const core: RpcCore = {
    async call(method, params) {
      calls.push({ method, params });
      const handler = handlers[method];
      if (!handler) return { ok: method };
      return handler(params);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { core, calls, listeners, emit: (e: CoreEvent) => listeners.forEach((l) => l(e)) };
}

function session(handlers: Parameters<typeof fakeCore>[0] = {}, internal: unknown[] = []) {
  const fake = fakeCore(handlers);
  const sent: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  const s = createRpcSession(
    fake.core,
    (m) => {
      sent.push(JSON.parse(m));
      waiters.splice(0).forEach((w) => w());
    },
    { onInternalError: (e) => internal.push(e), maxMessageBytes: 1000 },
  );
  /** Sends one message and resolves with the next answer. */
  const ask = (message: unknown) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const before = sent.length;
      waiters.push(() => resolve(sent[before]));
      s.receive(typeof message === 'string' ? message : JSON.stringify(message));
    });
  return { ...fake, s, sent, ask };
}

const req = (method: string, params?: unknown, id: number | string = 1) => ({ jsonrpc: '2.0', id, method, params });

describe('rpc session', () => {
  it('dispatches a valid request and answers with its id', async () => {
    const t = session({ hello: () => ({ version: 1 }) });
    const answer = await t.ask(req('hello', { client: 'test', version: 1 }, 'a1'));
    expect(answer).toEqual({ jsonrpc: '2.0', id: 'a1', result: { version: 1 } });
    expect(t.calls).toEqual([{ method: 'hello', params: { client: 'test', version: 1 } }]);
  });

  it('treats missing params of a no-params method as {}', async () => {
    const t = session();
    expect((await t.ask(req('demo.stories'))).result).toEqual({ ok: 'demo.stories' });
  });

  it('refuses unknown methods without calling the core', async () => {
    const t = session();
    const answer = await t.ask(req('constructor', {}));
    expect(answer.error).toMatchObject({ code: RPC_ERRORS.methodNotFound, message: expect.stringContaining('constructor') });
    expect(t.calls).toEqual([]);
  });

  it('names the bad field in invalid params', async () => {
    const t = session();
    const wrongType = await t.ask(req('analyze', { source: 'x', policy: { name: 7 } }));
    expect(wrongType.error).toMatchObject({ code: RPC_ERRORS.invalidParams });
    expect((wrongType.error as { message: string }).message).toMatch(/policy/);
    const missing = await t.ask(req('decide', { id: 's1', decision: 'approve', sourceHash: 'h', assertion: ASSERTION }));
    expect((missing.error as { message: string }).message).toMatch(/reason/);
    // The reviewer is the passkey's owner: a `who` the client names is refused.
    const named = await t.ask(req('decide', { id: 's1', decision: 'approve', who: 'ann', reason: 'r', sourceHash: 'h', assertion: ASSERTION }));
    expect((named.error as { message: string }).message).toMatch(/unknown field who/);
    const unsigned = await t.ask(req('decide', { id: 's1', decision: 'approve', reason: 'r', sourceHash: 'h' }));
    expect((unsigned.error as { message: string }).message).toMatch(/assertion/);
    const extra = await t.ask(req('run', { id: 's1', sneaky: true }));
    expect((extra.error as { message: string }).message).toMatch(/unknown field sneaky/);
    const badEnum = await t.ask(req('decide', { id: 's1', decision: 'maybe', reason: 'r', sourceHash: 'h', assertion: ASSERTION }));
    expect((badEnum.error as { message: string }).message).toMatch(/decision/);
    expect(t.calls).toEqual([]);
  });

  it('maps CommandError to the command code with data.code', async () => {
    const t = session({ decide: () => Promise.reject(new Named('CommandError', 'a deny verdict cannot be approved', { code: 'deny-verdict' })) });
    const answer = await t.ask(req('decide', { id: 's1', decision: 'approve', reason: 'ok', sourceHash: 'h', assertion: ASSERTION }));
    expect(answer.error).toEqual({ code: RPC_ERRORS.command, message: 'a deny verdict cannot be approved', data: { code: 'deny-verdict' } });
  });

  it('maps PolicyError, CatalogError and ProgramSyntaxError to bad input with the pointer', async () => {
    for (const [name, extra] of [
      ['PolicyError', { pointer: '/permissions/slak' }],
      ['CatalogError', { pointer: '/paths' }],
      ['ProgramSyntaxError', {}],
    ] as const) {
      const t = session({ analyze: () => Promise.reject(new Named(name, `${name} happened`, extra)) });
      const answer = await t.ask(req('analyze', { source: 'x', policy: { text: '{}' } }));
      expect(answer.error).toMatchObject({ code: RPC_ERRORS.badInput, message: `${name} happened` });
      expect((answer.error as { data?: unknown }).data).toEqual('pointer' in extra ? { pointer: extra.pointer } : undefined);
    }
  });

  it('hides internal errors from the client and reports them locally', async () => {
    const internal: unknown[] = [];
    const t = session({ 'traces.list': () => Promise.reject(new TypeError('secret detail at /home/x')) }, internal);
    const answer = await t.ask(req('traces.list', {}));
    expect(answer.error).toEqual({ code: RPC_ERRORS.internal, message: 'internal error in traces.list' });
    expect(JSON.stringify(answer)).not.toContain('secret');
    expect(internal).toHaveLength(1);
  });

  it('answers malformed messages with parse / invalid request errors and id null', async () => {
    const t = session();
    expect((await t.ask('{not json')).error).toMatchObject({ code: RPC_ERRORS.parse });
    expect(await t.ask({ jsonrpc: '1.0', id: 3, method: 'hello' })).toMatchObject({ id: 3, error: { code: RPC_ERRORS.invalidRequest } });
    expect(await t.ask([req('hello')])).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } });
    expect(await t.ask({ jsonrpc: '2.0', id: { x: 1 }, method: 'hello' })).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } });
  });

  it('refuses messages over the size cap before parsing them', async () => {
    const t = session();
    const answer = await t.ask(req('analyze', { source: 'x'.repeat(2000), policy: { name: 'seed' } }));
    expect(answer.error).toMatchObject({ code: RPC_ERRORS.invalidRequest, message: expect.stringContaining('too large') });
    expect(t.calls).toEqual([]);
  });

  it('runs notifications without answering them', async () => {
    const t = session();
    t.s.receive(JSON.stringify({ jsonrpc: '2.0', method: 'submissions.list' }));
    await new Promise((r) => setImmediate(r));
    expect(t.calls).toHaveLength(1);
    expect(t.sent).toEqual([]);
  });

  it('forwards core events as notifications until closed', async () => {
    const t = session();
    const event: CoreEvent = { type: 'audit', record: { seq: 1, prevHash: '0', hash: '1', time: 't', traceId: 'a', spanId: 'b', kind: 'console', actor: 'flowgate', name: 'console.log', data: { level: 'log', text: 'hi' } } };
    t.emit(event);
    expect(t.sent).toEqual([{ jsonrpc: '2.0', method: 'event', params: event }]);
    t.s.close();
    expect(t.listeners.size).toBe(0);
    t.emit(event);
    t.s.receive(JSON.stringify(req('hello', { client: 'x', version: 1 })));
    await new Promise((r) => setImmediate(r));
    expect(t.sent).toHaveLength(1);
  });
});

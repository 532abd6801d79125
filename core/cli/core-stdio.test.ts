import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RpcCore } from '../service/rpc.ts';
import { pipeLines } from './core-stdio.ts';

const core: RpcCore = {
  async call(method) {
    return { method };
  },
  onEvent: () => () => undefined,
};

function harness(maxBytes?: number) {
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: string[] = [];
  let rest = '';
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  output.on('data', (chunk: Buffer) => {
    rest += chunk.toString('utf8');
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.filter((w) => lines.length >= w.n)) w.resolve();
  });
  const stop = pipeLines(core, input, output, maxBytes);
  const until = (n: number) => new Promise<void>((resolve) => (lines.length >= n ? resolve() : waiters.push({ n, resolve })));
  return { input, lines, stop, until };
}

const hello = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'hello', params: { client: 't', version: 1 } });

describe('stdio JSON-RPC lines', () => {
  it('answers one line per request, across chunk boundaries and CRLF', async () => {
    const h = harness();
    const two = `${hello(1)}\r\n${hello(2)}\n`;
    h.input.write(two.slice(0, 10));
    h.input.write(Buffer.from(two.slice(10)));
    await h.until(2);
    expect(h.lines.map((l) => JSON.parse(l).id)).toEqual([1, 2]);
    h.stop();
  });

  it('skips an over-long line with one error and keeps going', async () => {
    const h = harness(100);
    h.input.write('{"jsonrpc":"2.0","id":1,"method":"hello","params":{"client":"' + 'x'.repeat(150));
    h.input.write('x'.repeat(50) + '"}}\n' + hello(3) + '\n');
    await h.until(2);
    expect(JSON.parse(h.lines[0])).toMatchObject({ id: null, error: { message: expect.stringContaining('too large') } });
    expect(JSON.parse(h.lines[1])).toMatchObject({ id: 3, result: { method: 'hello' } });
    h.stop();
  });
});

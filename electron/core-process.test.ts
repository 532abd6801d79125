/**
 * The shell's core child, without Electron (CoreProcess is plain Node): it answers over stdio,
 * is restarted when it dies, is killed and restarted when it stops answering, and never leaves
 * a request without an answer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreProcess } from './core-process.ts';

const root = join(import.meta.dirname, '..');
const data = mkdtempSync(join(tmpdir(), 'flowgate-shell-'));
const messages: Array<{ id?: unknown; result?: { version?: number }; error?: { message: string } }> = [];
const waiters: Array<() => void> = [];
let core: CoreProcess;
let nextId = 1;

beforeAll(() => {
  process.env.FLOWGATE_DATA = data;
  core = new CoreProcess({
    root,
    pingIntervalMs: 250,
    unresponsiveMs: 2_000,
    log: () => {},
    onMessage: (text) => {
      messages.push(JSON.parse(text));
      for (const wake of waiters.splice(0)) wake();
    },
  });
  core.start();
});
afterAll(() => {
  core.stop();
  rmSync(data, { recursive: true, force: true });
});

/** Sends `hello` until the core answers it (the first tries may meet a core still starting). */
async function hello(): Promise<{ result?: { version?: number }; error?: { message: string } }> {
  for (;;) {
    const id = nextId++;
    core.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'hello', params: { client: 'test', version: 1 } }));
    const answer = await answerTo(id);
    if (answer.result) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answerTo(id: number) {
  for (;;) {
    const found = messages.find((m) => m.id === id);
    if (found) return found;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

async function newPid(old: number | undefined): Promise<number> {
  for (;;) {
    if (core.pid && core.pid !== old) return core.pid;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the shell\'s core process', () => {
  it('answers the protocol over stdio, and opens the same core on loopback for local tools', async () => {
    expect((await hello()).result?.version).toBe(1);
    const info = JSON.parse(readFileSync(join(data, 'workbench.json'), 'utf8')) as { url: string; token: string; pid: number };
    expect(info.pid).toBe(core.pid);
    const origin = new URL(info.url).origin;
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${origin}/`)).status).toBe(401); // up, and it wants the token
  });

  it('answers a request in flight with an error when the core dies, then restarts it', async () => {
    const before = core.pid as number;
    process.kill(before, 'SIGSTOP'); // it cannot answer what it is sent now
    const id = nextId++;
    core.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'catalog.get', params: {} }));
    process.kill(before, 'SIGKILL');
    const answer = await answerTo(id);
    expect(answer.error?.message).toMatch(/stopped while answering/);
    await newPid(before);
    expect((await hello()).result?.version).toBe(1);
  });

  it('kills and restarts a core that stops answering', async () => {
    const before = core.pid as number;
    process.kill(before, 'SIGSTOP');
    const after = await newPid(before);
    expect(after).not.toBe(before);
    expect((await hello()).result?.version).toBe(1);
  });
});

/**
 * The shell's core child, without Electron (CoreProcess is plain Node): it answers over stdio,
 * is restarted when it dies, is killed and restarted when it stops answering, and never leaves
 * a request without an answer.
 *
 * Every wait is on an event (a status from CoreProcess, an answer from the core) with the test's
 * own deadline; nothing assumes the machine is quiet (a busy machine takes seconds to start a core).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreProcess, type CoreStatus } from './core-process.ts';

const root = join(import.meta.dirname, '..');
const data = mkdtempSync(join(tmpdir(), 'flowgate-shell-'));
type Answer = { id?: unknown; result?: { version?: number }; error?: { message: string } };
const messages: Answer[] = [];
const statuses: CoreStatus[] = [];
const waiters = new Set<() => void>();
let core: CoreProcess;
let nextId = 1;
const TEST_MS = 180_000;

function wake(): void {
  for (const w of [...waiters]) w();
}

/** Resolves with the first value `probe` returns that is not undefined, checked after each event. */
function until<T>(probe: () => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const value = probe();
      if (value === undefined) return;
      waiters.delete(check);
      resolve(value);
    };
    waiters.add(check);
    check();
  });
}

beforeAll(() => {
  process.env.FLOWGATE_DATA = data;
  core = new CoreProcess({
    root,
    pingIntervalMs: 250,
    // Once a core has answered, 10 s of silence means hung; start-up keeps its own allowance.
    unresponsiveMs: 10_000,
    log: () => {},
    onMessage: (text) => {
      messages.push(JSON.parse(text) as Answer);
      wake();
    },
    onStatus: (status) => {
      statuses.push(status);
      wake();
    },
  });
  core.start();
});
afterAll(() => {
  core.stop();
  rmSync(data, { recursive: true, force: true });
});

/** The pid of the first core that became ready after `after` statuses (one that answered). */
function ready(after = 0): Promise<number> {
  return until(() => statuses.slice(after).find((s) => s.kind === 'ready')?.pid);
}

function answerTo(id: number): Promise<Answer> {
  return until(() => messages.find((m) => m.id === id));
}

function send(method: string, params: unknown = {}): number {
  const id = nextId++;
  core.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  return id;
}

describe('the shell\'s core process', () => {
  it('answers the protocol over stdio, and opens the same core on loopback for local tools', async () => {
    const pid = await ready();
    expect(core.pid).toBe(pid);
    expect((await answerTo(send('hello', { client: 'test', version: 1 }))).result?.version).toBe(1);
    const info = JSON.parse(readFileSync(join(data, 'workbench.json'), 'utf8')) as { url: string; token: string; pid: number };
    expect(info.pid).toBe(pid);
    const origin = new URL(info.url).origin;
    // `localhost` (a secure context, so the workbench can use a passkey), bound to loopback only.
    expect(origin).toMatch(/^http:\/\/localhost:\d+$/);
    expect((await fetch(`${origin}/`)).status).toBe(401); // up, and it wants the token
  }, TEST_MS);

  it('answers a request in flight with an error when the core dies, then restarts it', async () => {
    const before = await ready();
    const mark = statuses.length;
    process.kill(before, 'SIGSTOP'); // it cannot answer what it is sent now
    const id = send('catalog.get');
    process.kill(before, 'SIGKILL');
    const answer = await answerTo(id);
    expect(answer.error?.message).toMatch(/stopped while answering/);
    const after = await ready(mark);
    expect(after).not.toBe(before);
    expect((await answerTo(send('hello', { client: 'test', version: 1 }))).result?.version).toBe(1);
  }, TEST_MS);

  it('kills and restarts a core that stops answering', async () => {
    const before = await until(() => statuses.findLast((s) => s.kind === 'ready')?.pid);
    const mark = statuses.length;
    process.kill(before, 'SIGSTOP');
    const hung = await until(() => statuses.slice(mark).find((s) => s.kind === 'hung'));
    expect(hung).toMatchObject({ pid: before });
    expect(hung.kind === 'hung' && hung.silentMs).toBeGreaterThan(10_000);
    const after = await ready(mark);
    expect(after).not.toBe(before);
    expect((await answerTo(send('hello', { client: 'test', version: 1 }))).result?.version).toBe(1);
  }, TEST_MS);

  it('gives a core that is still starting its start-up allowance, not the hung deadline', async () => {
    const mark = statuses.length;
    const starting = new CoreProcess({
      root,
      pingIntervalMs: 50,
      unresponsiveMs: 100,
      startupMs: 3_000,
      log: () => {},
      onMessage: () => {},
      onStatus: (status) => {
        statuses.push(status);
        wake();
      },
    });
    starting.start();
    try {
      const started = statuses.slice(mark).find((s) => s.kind === 'started');
      if (!started) throw new Error('no started status');
      process.kill(started.pid, 'SIGSTOP'); // frozen before it could answer anything
      const hung = await until(() => statuses.slice(mark).find((s) => s.kind === 'hung'));
      // Killed for silence only after the start-up allowance, not after unresponsiveMs.
      expect(hung).toMatchObject({ pid: started.pid });
      expect(hung.kind === 'hung' && hung.silentMs).toBeGreaterThanOrEqual(3_000);
    } finally {
      starting.stop();
    }
  }, TEST_MS);
});

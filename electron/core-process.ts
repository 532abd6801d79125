/**
 * The core as the shell's child process: `node --no-node-snapshot core/cli.ts serve --stdio`
 * on the pinned Node 24 (isolated-vm cannot live in Electron's processes), speaking
 * line-delimited JSON-RPC (core/cli/core-stdio.ts). Restarted with backoff when it dies;
 * killed (and so restarted) when it stops answering the periodic `hello` ping.
 *
 * Start-up is not silence: a core that has not answered its first ping yet gets `startupMs`
 * (default 2 min) before it counts as hung, because on a busy machine the first answer can take
 * several seconds. Only a core that has answered once is held to `unresponsiveMs`.
 *
 * Invariant: a request the renderer sent never waits forever — when the core dies, every
 * request in flight is answered with an error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `RPC_ERRORS.internal` of protocol.ts (checked at type level). */
const INTERNAL: (typeof import('../core/service/protocol.ts').RPC_ERRORS)['internal'] = -32603;
const PING_PREFIX = 'flowgate-shell-ping-';

export interface CoreProcessOptions {
  /** The repository root (holds core/ and node_modules/). */
  root: string;
  /** Each message the core sends that is not the shell's own ping answer. */
  onMessage(message: string): void;
  /** Diagnostics for the terminal. Default: stderr. */
  log?: (line: string) => void;
  /** How often to ping. Default 5 s. */
  pingIntervalMs?: number;
  /** Kill the core when its last answer is older than this, once it has answered. Default 20 s. */
  unresponsiveMs?: number;
  /** How long a core that has not answered yet may take to start. Default 120 s. */
  startupMs?: number;
  /** Life-cycle events of the child (diagnostics, tests). */
  onStatus?(status: CoreStatus): void;
}

/**
 * `started`: a child was spawned; `ready`: it answered for the first time; `hung`: it was
 * killed for not answering; `exited`: it ended (restarted unless stopped).
 */
export type CoreStatus =
  | { kind: 'started'; pid: number }
  | { kind: 'ready'; pid: number }
  | { kind: 'hung'; pid: number; silentMs: number }
  | { kind: 'exited'; pid: number; code: number | null; signal: NodeJS.Signals | null };

export class CoreProcess {
  private child: ChildProcess | undefined;
  private buffer = '';
  private stopped = false;
  private failures = 0;
  private startedAt = 0;
  private lastAnswer = 0;
  private answered = false;
  private pingSeq = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  /** Ids of renderer requests sent to the current core and not yet answered. */
  private readonly inFlight = new Set<string | number>();
  private readonly log: (line: string) => void;
  private readonly options: CoreProcessOptions;

  constructor(options: CoreProcessOptions) {
    this.options = options;
    this.log = options.log ?? ((line) => process.stderr.write(`flowgate shell: ${line}\n`));
  }

  start(): void {
    if (this.stopped || this.child) return;
    const { root } = this.options;
    const node = [join(root, 'node_modules', 'node', 'bin', 'node'), join(root, 'node_modules', '.bin', 'node')].find((p) => existsSync(p));
    if (!node) {
      this.log('the pinned Node (node_modules/node) is missing: run npm install');
      return;
    }
    const child = spawn(node, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(root, 'core', 'cli.ts'), 'serve', '--stdio'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
    });
    this.child = child;
    this.buffer = '';
    this.startedAt = this.lastAnswer = Date.now();
    this.answered = false;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.onData(chunk));
    child.stdin?.on('error', () => undefined);
    child.on('error', (error) => this.log(`the core could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    if (child.pid !== undefined) this.options.onStatus?.({ kind: 'started', pid: child.pid });
    const interval = this.options.pingIntervalMs ?? 5_000;
    this.pingTimer = setInterval(() => this.ping(), interval);
    this.ping(); // queued until the core reads stdin: its answer marks the core ready
  }

  /** The running core's process id (diagnostics, tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Relays one renderer message (already sender-checked) to the core. */
  send(message: string): void {
    const id = requestId(message);
    if (!this.child?.stdin?.writable) {
      if (id !== undefined) this.options.onMessage(errorFor(id, 'the core is restarting; try again in a moment'));
      return;
    }
    if (id !== undefined) this.inFlight.add(id);
    this.child.stdin.write(message.replaceAll('\n', ' ') + '\n');
  }

  /** Ends the core for good (the app is quitting). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    child.stdin?.end();
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => clearTimeout(kill));
    child.kill('SIGTERM');
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (!line.trim()) continue;
      this.lastAnswer = Date.now();
      if (!this.answered) {
        this.answered = true;
        if (this.child?.pid !== undefined) this.options.onStatus?.({ kind: 'ready', pid: this.child.pid });
      }
      if (line.includes(`"${PING_PREFIX}`)) continue;
      const id = responseId(line);
      if (id !== undefined) this.inFlight.delete(id);
      this.options.onMessage(line);
    }
  }

  private ping(): void {
    const silentFor = Date.now() - this.lastAnswer;
    const allowed = this.answered ? (this.options.unresponsiveMs ?? 20_000) : (this.options.startupMs ?? 120_000);
    if (this.child && silentFor > allowed) {
      this.log(this.answered ? `the core has not answered for ${Math.round(silentFor / 1000)} s; restarting it` : `the core did not answer within ${Math.round(silentFor / 1000)} s of starting; restarting it`);
      if (this.child.pid !== undefined) this.options.onStatus?.({ kind: 'hung', pid: this.child.pid, silentMs: silentFor });
      this.child.kill('SIGKILL');
      return;
    }
    const message = { jsonrpc: '2.0', id: `${PING_PREFIX}${++this.pingSeq}`, method: 'hello', params: { client: 'flowgate-shell', version: 1 } };
    this.child?.stdin?.write(JSON.stringify(message) + '\n');
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    clearInterval(this.pingTimer);
    if (child.pid !== undefined) this.options.onStatus?.({ kind: 'exited', pid: child.pid, code, signal });
    for (const id of this.inFlight) this.options.onMessage(errorFor(id, 'the core stopped while answering; it is being restarted'));
    this.inFlight.clear();
    if (this.stopped) return;
    // A core that ran a while before dying starts over from a short delay.
    this.failures = Date.now() - this.startedAt > 60_000 ? 1 : this.failures + 1;
    const delay = Math.min(30_000, 500 * 2 ** (this.failures - 1));
    this.log(`the core exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.start(), delay);
  }
}

function requestId(message: string): string | number | undefined {
  try {
    const parsed = JSON.parse(message) as { id?: unknown };
    return typeof parsed.id === 'string' || typeof parsed.id === 'number' ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

function responseId(line: string): string | number | undefined {
  return line.startsWith('{"jsonrpc":"2.0","id":') ? requestId(line) : undefined;
}

function errorFor(id: string | number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code: INTERNAL, message } });
}

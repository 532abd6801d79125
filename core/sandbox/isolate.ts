/**
 * The one file that touches isolated-vm. A `GuestIsolate` is a fresh isolate with one context
 * holding the service objects and `console` (guest/bootstrap.ts), nothing else from the host.
 *
 * Invariants:
 * - Guest code never holds an ivm object: the host callback and the deliver function are taken
 *   off the global before any program code runs.
 * - Guest code only ever runs asynchronously on the isolate's own thread (`eval` with
 *   `promise: true`, `apply` without `Sync`), so a busy guest never blocks the host's event
 *   loop, and `dispose()` from a host timer always ends it.
 */
import ivm from 'isolated-vm';
import { GUEST_BOOTSTRAP } from './guest/bootstrap.ts';

export interface GuestCaps {
  /** Longest console line the guest sends, in characters. */
  consoleLine: number;
  /** Largest arguments of one API call, as JSON characters. */
  argsChars: number;
  /** Console lines the guest may send in all. */
  consoleLines: number;
  /** API calls the guest may send in all (the policy's maxApiCalls). */
  calls: number;
}

export interface GuestOptions {
  memoryMb: number;
  /** service → operation names. */
  manifest: Record<string, string[]>;
  caps: GuestCaps;
  /** Called on the host for every message the guest sends (strings only). */
  onMessage: (kind: string, payload: string) => void;
}

type MessageHandler = GuestOptions['onMessage'];

/**
 * One spare isolate, created ahead of time with the same settings as the last run, so a run does
 * not wait for isolate creation. A spare has never run any program: every run still gets a fresh
 * isolate.
 */
let spare: { key: string; guest: Promise<GuestIsolate> } | undefined;

function spareKey(options: Omit<GuestOptions, 'onMessage'>): string {
  return JSON.stringify([options.memoryMb, options.manifest, options.caps]);
}

export class GuestIsolate {
  private readonly isolate: ivm.Isolate;
  private readonly context: ivm.Context;
  private readonly deliverRef: ivm.Reference;
  private handler: MessageHandler;

  private constructor(isolate: ivm.Isolate, context: ivm.Context, deliverRef: ivm.Reference, handler: MessageHandler) {
    this.isolate = isolate;
    this.context = context;
    this.deliverRef = deliverRef;
    this.handler = handler;
  }

  /**
   * A fresh isolate for one run: the spare made ahead for these settings if there is one, else a
   * new one; either way a new spare is then prepared in the background.
   */
  static async acquire(options: GuestOptions): Promise<GuestIsolate> {
    const { onMessage, ...settings } = options;
    const key = spareKey(settings);
    const ready = spare?.key === key ? spare.guest : undefined;
    spare = undefined;
    let guest = ready ? await ready.catch(() => undefined) : undefined;
    if (!guest || guest.disposed) guest = await GuestIsolate.create(options);
    else guest.handler = onMessage;
    const next = { key, guest: GuestIsolate.create({ ...settings, onMessage: () => {} }) };
    next.guest.catch(() => {
      if (spare === next) spare = undefined;
    });
    spare = next;
    return guest;
  }

  /** Disposes the spare isolate, if any (shutdown, tests). */
  static async releaseSpare(): Promise<void> {
    const current = spare;
    spare = undefined;
    const guest = await current?.guest.catch(() => undefined);
    guest?.dispose();
  }

  static async create(options: GuestOptions): Promise<GuestIsolate> {
    const isolate = new ivm.Isolate({ memoryLimit: Math.max(8, options.memoryMb) });
    try {
      const context = await isolate.createContext();
      const global = context.global;
      const box: { guest?: GuestIsolate } = {};
      const onMessage = (kind: unknown, payload: unknown): void => {
        if (box.guest && typeof kind === 'string' && typeof payload === 'string') box.guest.handler(kind, payload);
      };
      await global.set('__fg_send', new ivm.Callback(onMessage, { ignored: true }));
      await global.set('__fg_manifest', JSON.stringify(options.manifest));
      await global.set('__fg_caps', JSON.stringify(options.caps));
      await context.eval(GUEST_BOOTSTRAP);
      const deliverRef = (await global.get('__fg_deliver', { reference: true })) as ivm.Reference;
      await global.delete('__fg_deliver');
      box.guest = new GuestIsolate(isolate, context, deliverRef, options.onMessage);
      return box.guest;
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /**
   * Runs the program (guest JavaScript: the body of an async function, see prepare.ts) and
   * resolves to the JSON text of its return value, or undefined.
   */
  async run(programJs: string): Promise<string | undefined> {
    const code =
      `(function () { const enter = globalThis.__fg_enter; delete globalThis.__fg_enter; ` +
      `return enter(async function (__flowgate_site) { 'use strict';${programJs}\n}); })()`;
    const result: unknown = await this.context.eval(code, { promise: true, filename: 'program.ts' });
    if (result !== undefined && typeof result !== 'string') throw new TypeError('the program returned something that is not JSON');
    return result;
  }

  /** Resolves (ok) or rejects the guest's pending call `id`; a no-op once disposed. */
  deliver(id: number, ok: boolean, body: string): void {
    if (this.isolate.isDisposed) return;
    this.deliverRef.apply(undefined, [id, ok, body], { arguments: { copy: true } }).catch(() => {
      // The isolate was disposed while the answer was on its way: nothing is waiting for it.
    });
  }

  get disposed(): boolean {
    return this.isolate.isDisposed;
  }

  /** Heap used by the guest, bytes. */
  heapUsed(): number {
    return this.isolate.isDisposed ? 0 : this.isolate.getHeapStatisticsSync().used_heap_size;
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
    try {
      this.deliverRef.release();
      this.context.release();
    } catch {
      // Already gone with the isolate.
    }
  }
}

/**
 * The one file that touches isolated-vm. A `GuestIsolate` is a fresh isolate holding Flowgate's
 * interpreter (core/sandbox/interp), loaded as modules, with one callback to the host.
 *
 * Invariants:
 * - The program never runs as JavaScript: the interpreter evaluates its tree. V8 never parses the
 *   program's text.
 * - No ivm object is reachable from the interpreter's globals once it is ready: the host's
 *   callback is taken off the global by the interpreter's entry, and `__fg_start`/`__fg_deliver`
 *   are held here by reference and deleted from the global.
 * - The interpreter only ever runs asynchronously on the isolate's own thread (`apply` with a
 *   promise result, never `applySync`), so a busy run never blocks the host's event loop, and
 *   `dispose()` from a host timer always ends it.
 */
import ivm from 'isolated-vm';
import { ENTRY, interpreterModules, resolveModule } from './interp-source.ts';
import { warmupProgram } from './warmup.ts';

export interface GuestOptions {
  memoryMb: number;
  /** Called on the host for every message the guest sends (strings only). */
  onMessage: (kind: string, payload: string) => void;
}

type MessageHandler = GuestOptions['onMessage'];

/**
 * One spare isolate, made ahead of time with the same memory limit, so a run does not wait for
 * isolate creation and the interpreter's compilation. A spare has never run anything: every run
 * still gets a fresh isolate.
 */
let spare: { memoryMb: number; guest: Promise<GuestIsolate> } | undefined;

export class GuestIsolate {
  private readonly isolate: ivm.Isolate;
  private readonly context: ivm.Context;
  private readonly startRef: ivm.Reference;
  private readonly deliverRef: ivm.Reference;
  private handler: MessageHandler;

  private constructor(isolate: ivm.Isolate, context: ivm.Context, startRef: ivm.Reference, deliverRef: ivm.Reference, handler: MessageHandler) {
    this.isolate = isolate;
    this.context = context;
    this.startRef = startRef;
    this.deliverRef = deliverRef;
    this.handler = handler;
  }

  /** A fresh isolate for one run: the spare made ahead if it fits, else a new one; then a new spare is prepared. */
  static async acquire(options: GuestOptions): Promise<GuestIsolate> {
    const ready = spare?.memoryMb === options.memoryMb ? spare.guest : undefined;
    spare = undefined;
    let guest = ready ? await ready.catch(() => undefined) : undefined;
    if (!guest || guest.disposed) guest = await GuestIsolate.create(options);
    else guest.handler = options.onMessage;
    const next = { memoryMb: options.memoryMb, guest: GuestIsolate.create({ memoryMb: options.memoryMb, onMessage: () => {} }) };
    next.guest.catch(() => {
      if (spare === next) spare = undefined;
    });
    spare = next;
    return guest;
  }

  /** Resolves once the spare isolate (if one is being made) is ready. */
  static async spareReady(): Promise<void> {
    await spare?.guest.catch(() => undefined);
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
      const sources = interpreterModules();
      const modules = new Map<string, ivm.Module>();
      const names = new Map<ivm.Module, string>();
      for (const [name, code] of sources) {
        const m = await isolate.compileModule(code, { filename: `flowgate:interp/${name}` });
        modules.set(name, m);
        names.set(m, name);
      }
      const entry = modules.get(ENTRY)!;
      await entry.instantiate(context, (specifier, referrer) => {
        const from = names.get(referrer) ?? ENTRY;
        const target = modules.get(resolveModule(from, specifier));
        if (!target) throw new Error(`interpreter module ${specifier} (from ${from}) not found`);
        return target;
      });
      await entry.evaluate();
      const prepareRef = (await global.get('__fg_prepare', { reference: true })) as ivm.Reference;
      const startRef = (await global.get('__fg_start', { reference: true })) as ivm.Reference;
      const deliverRef = (await global.get('__fg_deliver', { reference: true })) as ivm.Reference;
      await global.delete('__fg_prepare');
      await global.delete('__fg_start');
      await global.delete('__fg_deliver');
      await prepareRef.apply(undefined, [warmupProgram()], { arguments: { copy: true }, result: { promise: true } });
      prepareRef.release();
      box.guest = new GuestIsolate(isolate, context, startRef, deliverRef, options.onMessage);
      return box.guest;
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /** Runs one program: `config` is the interpreter's start configuration (JSON); resolves to the outcome (JSON). */
  async run(config: string): Promise<string> {
    const outcome: unknown = await this.startRef.apply(undefined, [config], { arguments: { copy: true }, result: { promise: true, copy: true } });
    if (typeof outcome !== 'string') throw new TypeError('the interpreter returned something that is not text');
    return outcome;
  }

  /** Hands the guest the answer to call `id`; a no-op once disposed. */
  deliver(id: number, answer: string): void {
    if (this.isolate.isDisposed) return;
    try {
      // Fire and forget: nothing waits for the guest to take the answer in.
      this.deliverRef.applyIgnored(undefined, [id, answer], { arguments: { copy: true } });
    } catch {
      // The isolate was disposed while the answer was on its way: nothing is waiting for it.
    }
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
      this.startRef.release();
      this.deliverRef.release();
      this.context.release();
    } catch {
      // Already gone with the isolate.
    }
  }
}

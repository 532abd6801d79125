/**
 * The interpreter's entry inside the isolate. The host (core/sandbox/isolate.ts) puts one
 * callback on the global, `__fg_send(kind, payload)`, evaluates this module, and then calls
 * `__fg_start(configJson)` once and `__fg_deliver(id, answerJson)` for each answer.
 *
 * Invariants:
 * - The callback is taken off the global before anything else runs; the program is interpreted
 *   and never sees the global object, any native function or any isolated-vm object.
 * - The outcome is a JSON string: ok (with the result, redacted by labels), threw (the program's
 *   uncaught exception), or stopped (a Halt: a limit, a refused flow, a blocked call).
 */
import type * as A from '../../lower/ast.ts';
import { startProgram } from './calls.ts';
import { HostLink, type Answer, type HostCaps } from './host.ts';
import { NONE } from './labels.ts';
import { Realm } from './realm.ts';
import { Runtime, type RunConfig } from './runtime.ts';
import { Scheduler } from './scheduler.ts';
import { fromNative, toNative } from './serialize.ts';
import { GFunction, GObject, GPromise, Halt, LV, type NativeFn } from './values.ts';

interface StartConfig {
  program: A.Program;
  /** service → operation names. */
  services: Record<string, string[]>;
  /** The task's own inputs: unlabelled unless what gave them was told labelled data before. */
  params?: unknown;
  paramsLabels?: string[];
  config: RunConfig;
  caps: HostCaps;
}

export type Outcome =
  | { status: 'ok'; result?: unknown; labels: string[] }
  | { status: 'threw'; error: { name: string; message: string; line?: number }; labels: string[] }
  | { status: 'stopped'; stop: { status: Halt['status']; code: string; message: string; line?: number } };

const g = globalThis as unknown as Record<string, unknown>;
const send = g.__fg_send as (kind: string, payload: string) => void;
delete g.__fg_send;
let link: HostLink | undefined;

g.__fg_deliver = (id: number, answer: string): void => {
  link?.deliver(id, JSON.parse(answer) as Answer);
};

const DEFAULTS: RunConfig = { maxSteps: 100_000_000, maxDepth: 400, redact: [] };

/** A runtime with its built-ins made: the slow part of starting a run, done ahead. */
function fresh(): { rt: Runtime; realm: Realm } {
  const rt = new Runtime(DEFAULTS);
  const realm = new Realm(rt);
  rt.scheduler = new Scheduler(rt);
  return { rt, realm };
}

let prepared: { rt: Runtime; realm: Realm } | undefined;

/**
 * Called once by the host while the isolate is still a spare: runs a warm-up program in a
 * throwaway runtime (so the engine has compiled the interpreter's paths before a real run needs
 * them), then prepares the runtime the real run will use. Nothing of the warm-up survives it.
 */
g.__fg_prepare = async (warmupJson: string): Promise<void> => {
  const warm = JSON.parse(warmupJson) as { program: A.Program };
  const { rt, realm } = fresh();
  rt.host = new HostLink(rt, () => {}, { argsChars: 0, calls: 0, consoleLines: 0, consoleLine: 0 });
  try {
    const main = startProgram(rt, warm.program, realm.globalEnv).v as GPromise;
    rt.scheduler.runJobs();
    void main;
  } catch {
    // The warm-up only exercises code; its outcome does not matter.
  }
  prepared = fresh();
};

g.__fg_start = async (configJson: string): Promise<string> => {
  const cfg = JSON.parse(configJson) as StartConfig;
  const { rt, realm } = prepared ?? fresh();
  prepared = undefined;
  rt.configure(cfg.config);
  link = rt.host = new HostLink(rt, send, cfg.caps);
  installServices(realm, cfg.services);
  installConsole(realm, link);
  const params = fromNative(rt, cfg.params ?? {}, { base: rt.L.of(cfg.paramsLabels ?? []), fields: [] });
  if (params.v instanceof GObject) params.v.frozen = true;
  realm.global('params', params.v);
  const lineOf = (offset: number | undefined): number | undefined => {
    if (offset === undefined) return undefined;
    const lines = cfg.program.lines;
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  try {
    const main = startProgram(rt, cfg.program, realm.globalEnv).v as GPromise;
    for (;;) {
      rt.scheduler.runJobs();
      if (main.state !== 'pending') break;
      if (link.waiting === 0) {
        throw new Halt('error', 'deadlock', 'the program is waiting for a promise that nothing will ever settle');
      }
      await link.nextAnswer();
    }
    if (main.state === 'fulfilled') {
      const out = toNative(rt, main.value, 'result');
      return JSON.stringify({ status: 'ok', result: out.value, labels: rt.L.list(out.l) } satisfies Outcome);
    }
    const thrown = main.value;
    const shown = toNative(rt, thrown, 'display');
    const text = typeof shown.value === 'string' ? shown.value : JSON.stringify(shown.value);
    const name = thrown.v instanceof GObject && thrown.v.cls === 'Error' ? String(thrown.v.props.get('name')?.v ?? realm.get(thrown, 'name').v ?? 'Error') : 'Uncaught';
    const message = thrown.v instanceof GObject && thrown.v.cls === 'Error' ? text.replace(/^[A-Za-z]*Error: /, '') : text;
    const at = thrown.v instanceof GObject && thrown.v.cls === 'Error' ? (thrown.v.internal as { at?: number } | undefined)?.at : undefined;
    return JSON.stringify({ status: 'threw', error: { name, message, line: lineOf(at) }, labels: rt.L.list(shown.l) } satisfies Outcome);
  } catch (error) {
    if (error instanceof Halt) return JSON.stringify({ status: 'stopped', stop: { status: error.status, code: error.code, message: error.message, line: lineOf(rt.at) } } satisfies Outcome);
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return JSON.stringify({ status: 'stopped', stop: { status: 'limit', code: 'maxDepth', message: 'stopped: the program nests too deeply for the interpreter (runaway recursion?)', line: lineOf(rt.at) } } satisfies Outcome);
    }
    throw error;
  }
};

function installServices(realm: Realm, services: Record<string, string[]>): void {
  for (const [service, operations] of Object.entries(services)) {
    const o = new GObject(null, NONE, 'Service');
    for (const operation of operations) {
      const f = new GFunction(realm.FunctionProto, operation);
      f.operation = `${service}.${operation}`;
      f.frozen = true;
      o.props.set(operation, new LV(f, NONE));
    }
    o.frozen = true;
    realm.global(service, o);
  }
}

function installConsole(realm: Realm, host: HostLink): void {
  const console = realm.makeObject(NONE);
  const level = (name: string): NativeFn => (_rt, _self, args) => {
    host.console(name, args);
    return new LV(undefined, NONE);
  };
  realm.methods(console, {
    log: level('log'), info: level('info'), warn: level('warn'), error: level('error'), debug: level('debug'),
    table: level('log'), dir: level('log'), trace: level('debug'),
  });
  console.frozen = true;
  realm.global('console', console);
}

/**
 * The globals a Flowgate program may name, besides the catalog's service objects. This list is
 * the allow-list: the interpreter defines exactly these (core/sandbox/interp/realm.ts), and the
 * lowering refuses a program that names any other free identifier (`fetch`, `process`, `eval`,
 * `globalThis`, `Function`, `Proxy`, `Reflect`, `Symbol`…) before it runs.
 */
export const PROGRAM_GLOBALS: readonly string[] = [
  'console',
  'params',
  'undefined', 'NaN', 'Infinity',
  'Object', 'Array', 'String', 'Number', 'Boolean', 'BigInt',
  'Math', 'JSON', 'Date', 'RegExp', 'Map', 'Set', 'Promise',
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'URIError',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite',
  'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI',
  'structuredClone',
];

/** Why a well-known global is missing, for a clearer diagnostic than "not available". */
export const MISSING_GLOBAL_REASON: Record<string, string> = {
  eval: 'runs code from a string, which Flowgate never does',
  Function: 'builds code from strings, which Flowgate never does',
  globalThis: 'looks names up dynamically; name the service or built-in directly',
  window: 'there is no browser here; name the service or built-in directly',
  self: 'there is no browser here; name the service or built-in directly',
  global: 'there is no Node.js here; name the service or built-in directly',
  Proxy: 'intercepts property reads and calls invisibly',
  Reflect: 'reaches properties and prototypes dynamically',
  Symbol: 'symbols (toPrimitive, iterator…) make the engine call code implicitly',
  fetch: 'programs reach the network only through the catalog\'s service objects',
  XMLHttpRequest: 'programs reach the network only through the catalog\'s service objects',
  require: 'programs cannot load modules',
  process: 'there is no process here',
  setTimeout: 'programs have no timers; the run ends when its work is done',
  setInterval: 'programs have no timers; the run ends when its work is done',
  queueMicrotask: 'use await or promises',
  WeakMap: 'use a Map',
  WeakSet: 'use a Set',
  WeakRef: 'outside the subset',
  FinalizationRegistry: 'calls code at times nobody controls',
  SharedArrayBuffer: 'shared memory is outside the subset',
  ArrayBuffer: 'binary buffers are outside the subset; use arrays and strings',
  Atomics: 'outside the subset',
  Intl: 'use toLocaleString on numbers and dates',
  arguments: 'use rest parameters (`...args`)',
};

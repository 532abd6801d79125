/**
 * The guest side of the bridge: trusted JavaScript evaluated in a fresh context BEFORE the
 * program. It builds the service objects and `console` from plain data, and talks to the host
 * only through one fire-and-forget callback that carries strings.
 *
 * Invariants:
 * - No isolated-vm object is ever reachable from guest code: the host's callback is read from
 *   the global and deleted before the program runs; results come back as JSON strings through
 *   `__fg_deliver`, which the host holds by reference and deletes from the global.
 * - Everything here captures the built-ins it needs before the program runs, so a program that
 *   pollutes prototypes can only break itself; the host re-validates everything it receives.
 */
export const GUEST_BOOTSTRAP = String.raw`
(function () {
  'use strict';
  const g = globalThis;
  const send = g.__fg_send;
  const manifest = JSON.parse(g.__fg_manifest);
  const caps = JSON.parse(g.__fg_caps);
  delete g.__fg_send;
  delete g.__fg_manifest;
  delete g.__fg_caps;

  const call = Function.prototype.call;
  const uncurry = (fn) => call.bind(fn);
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const freeze = Object.freeze;
  const create = Object.create;
  const defineProperty = Object.defineProperty;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const StringCtor = String;
  const isArray = Array.isArray;
  const objectKeys = Object.keys;
  const mapGet = uncurry(Map.prototype.get);
  const mapSet = uncurry(Map.prototype.set);
  const mapDelete = uncurry(Map.prototype.delete);
  const wmGet = uncurry(WeakMap.prototype.get);
  const wmSet = uncurry(WeakMap.prototype.set);
  const wmHas = uncurry(WeakMap.prototype.has);
  const wmDelete = uncurry(WeakMap.prototype.delete);
  const strSlice = uncurry(String.prototype.slice);
  const arrayJoin = uncurry(Array.prototype.join);
  const arrayPush = uncurry(Array.prototype.push);

  const pending = new Map();
  const tokens = new WeakMap();
  let nextId = 1;

  // Atomics.wait would park the isolate's thread where the wall clock cannot reach it.
  if (typeof Atomics === 'object') {
    defineProperty(Atomics, 'wait', { value: function wait() { throw new TypeErrorCtor('Atomics.wait is not available in Flowgate programs'); } });
  }

  /** A fresh, single-use token naming a call site the static analysis resolved. */
  function siteToken(n) {
    const token = freeze(create(null));
    wmSet(tokens, token, n);
    return token;
  }

  function makeMethod(service, operation) {
    const name = service + '.' + operation;
    const method = function () {
      let n = arguments.length;
      let site = 0;
      const last = n > 0 ? arguments[n - 1] : undefined;
      if (last !== null && typeof last === 'object' && wmHas(tokens, last)) {
        site = wmGet(tokens, last);
        wmDelete(tokens, last);
        n -= 1;
      }
      const args = n > 0 ? arguments[0] : undefined;
      let payload;
      try {
        payload = args === undefined ? '{}' : jsonStringify(args);
      } catch (e) {
        return PromiseCtor.reject(new TypeErrorCtor(name + ': the arguments cannot be sent (' + (e && e.message) + ')'));
      }
      if (typeof payload !== 'string' || payload[0] !== '{') {
        return PromiseCtor.reject(new TypeErrorCtor(name + ' takes one object of named arguments'));
      }
      // Checked here, before the string is copied out of the isolate: the host never holds more.
      if (payload.length > caps.argsChars) {
        return PromiseCtor.reject(new RangeErrorCtor(name + ': the arguments are ' + payload.length + ' characters; calls carry at most ' + caps.argsChars));
      }
      // One call past the budget still goes to the host, which stops the run and says why.
      if (callsLeft < 0) return new PromiseCtor(function () {});
      callsLeft--;
      const id = nextId++;
      return new PromiseCtor(function (resolve, reject) {
        mapSet(pending, id, { resolve: resolve, reject: reject });
        send('call', jsonStringify({ id: id, operation: name, site: site, args: payload }));
      });
    };
    defineProperty(method, 'name', { value: operation });
    return freeze(method);
  }

  for (const service of objectKeys(manifest)) {
    const api = create(null);
    for (const operation of manifest[service]) api[operation] = makeMethod(service, operation);
    defineProperty(g, service, { value: freeze(api), enumerable: false, writable: false, configurable: false });
  }

  function format(value, depth, seen) {
    if (typeof value === 'string') return depth === 0 ? value : jsonStringify(value);
    if (typeof value === 'function') return '[Function ' + (value.name || 'anonymous') + ']';
    if (typeof value === 'bigint') return StringCtor(value) + 'n';
    if (typeof value === 'symbol') return 'Symbol()';
    if (value === null || typeof value !== 'object') return StringCtor(value);
    if (value instanceof ErrorCtor) return StringCtor(value.name) + ': ' + StringCtor(value.message);
    if (depth > 4) return isArray(value) ? '[Array]' : '[Object]';
    if (seen.indexOf(value) >= 0) return '[Circular]';
    seen = seen.concat([value]);
    const parts = [];
    if (isArray(value)) {
      const shown = value.length > 100 ? 100 : value.length;
      for (let i = 0; i < shown; i++) arrayPush(parts, format(value[i], depth + 1, seen));
      if (value.length > shown) arrayPush(parts, '… ' + (value.length - shown) + ' more');
      return '[' + arrayJoin(parts, ', ') + ']';
    }
    const keys = objectKeys(value);
    for (let i = 0; i < keys.length && i < 100; i++) arrayPush(parts, keys[i] + ': ' + format(value[keys[i]], depth + 1, seen));
    return '{ ' + arrayJoin(parts, ', ') + ' }';
  }

  // Budgets kept here, in the guest: every message is a task on the host's event loop, so a
  // program that logs or calls in a tight loop must run out of messages, not flood the host.
  let consoleLeft = caps.consoleLines;
  let callsLeft = caps.calls;

  function logger(level) {
    return freeze(function () {
      if (consoleLeft <= 0) return;
      consoleLeft--;
      if (consoleLeft === 0) {
        send('console', 'warn\u0000[console output stops here: at most ' + caps.consoleLines + ' lines per run]');
        return;
      }
      const parts = [];
      for (let i = 0; i < arguments.length; i++) {
        let text;
        try { text = format(arguments[i], 0, []); } catch (e) { text = '[unprintable]'; }
        arrayPush(parts, text);
      }
      let line = arrayJoin(parts, ' ');
      if (line.length > caps.consoleLine) line = strSlice(line, 0, caps.consoleLine) + '… [truncated]';
      send('console', level + '\u0000' + line);
    });
  }
  const consoleObject = create(null);
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) consoleObject[level] = logger(level);
  defineProperty(g, 'console', { value: freeze(consoleObject), enumerable: false, writable: false, configurable: false });

  g.__fg_deliver = function (id, ok, body) {
    const entry = mapGet(pending, id);
    if (!entry) return;
    mapDelete(pending, id);
    if (ok) { entry.resolve(jsonParse(body)); return; }
    const info = jsonParse(body);
    const error = new ErrorCtor(info.message);
    error.name = info.name;
    if (info.status !== undefined) error.status = info.status;
    error.code = info.code;
    entry.reject(error);
  };

  g.__fg_enter = async function (program) {
    const result = await program(siteToken);
    if (result === undefined) return undefined;
    return jsonStringify(result);
  };
})();
`;

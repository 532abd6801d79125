/**
 * A transport that knows which API calls are still on their way. A run stopped by a limit
 * returns while a call it made may still be in flight; when that call comes back, the bridge
 * records it in the audit log. A short-lived command (`flowgate run`) must not close the log
 * before that, so it waits for `idle()` first.
 */
import type { Transport } from '../sandbox/types.ts';

export interface TrackedTransport extends Transport {
  /** Resolves once no call is in flight and what followed each (its audit record) has run, or after `limitMs`. */
  idle(limitMs: number): Promise<void>;
}

export function trackInFlight(inner: Transport): TrackedTransport {
  const pending = new Set<Promise<unknown>>();
  return {
    call(op, args, headers) {
      const call = inner.call(op, args, headers);
      pending.add(call);
      const forget = () => pending.delete(call);
      call.then(forget, forget);
      return call;
    },
    async idle(limitMs) {
      const deadline = Date.now() + limitMs;
      while (pending.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
      }
      // The caller's continuation of each settled call (the bridge recording it) runs as a
      // microtask; a macrotask turn later it has run.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

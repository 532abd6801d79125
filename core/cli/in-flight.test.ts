/**
 * `flowgate run` waits for API calls still in flight before closing the audit log: what a caller
 * does when its call returns (the bridge writing the call's audit record) happens before `idle()`.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../catalog/types.ts';
import type { Transport, TransportResponse } from '../sandbox/types.ts';
import { trackInFlight } from './in-flight.ts';

function slowTransport(): { transport: Transport; answer: () => void } {
  let answer: () => void = () => undefined;
  const transport: Transport = {
    call: () => new Promise<TransportResponse>((resolve) => (answer = () => resolve({ status: 200, body: { ok: true } }))),
  };
  return { transport, answer: () => answer() };
}

describe('trackInFlight', () => {
  it('is idle only after each call came back and its caller recorded it', async () => {
    const { transport, answer } = slowTransport();
    const tracked = trackInFlight(transport);
    const log: string[] = [];
    const caller = (async () => {
      await tracked.call({} as Operation, {}, {});
      log.push('recorded');
    })();
    let idle = false;
    const waiting = tracked.idle(60_000).then(() => {
      idle = true;
      log.push('idle');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false); // the call is still out
    answer();
    await Promise.all([caller, waiting]);
    expect(log).toEqual(['recorded', 'idle']);
  });

  it('gives up waiting at its limit, and is idle at once with nothing in flight', async () => {
    const { transport } = slowTransport();
    const tracked = trackInFlight(transport);
    await expect(tracked.idle(0)).resolves.toBeUndefined();
    void tracked.call({} as Operation, {}, {});
    await expect(tracked.idle(10)).resolves.toBeUndefined();
  });
});

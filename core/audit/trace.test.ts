import { describe, expect, it } from 'vitest';
import { isSpanId, isTraceId, newSpanId, newTraceId, parseTraceparent, traceparent } from './trace.ts';

describe('trace context', () => {
  it('makes random lower-case hex ids of the W3C sizes', () => {
    const t = newTraceId();
    const s = newSpanId();
    expect(t).toMatch(/^[0-9a-f]{32}$/);
    expect(s).toMatch(/^[0-9a-f]{16}$/);
    expect(isTraceId(t) && isSpanId(s)).toBe(true);
    expect(newTraceId()).not.toBe(t);
    expect(isTraceId('0'.repeat(32))).toBe(false);
  });

  it('formats and parses traceparent', () => {
    const ctx = { traceId: newTraceId(), spanId: newSpanId() };
    const header = traceparent(ctx);
    expect(header).toBe(`00-${ctx.traceId}-${ctx.spanId}-01`);
    expect(parseTraceparent(header)).toEqual({ ...ctx, version: '00', flags: 1, sampled: true });
  });

  it('rejects invalid headers', () => {
    const t = 'a'.repeat(32);
    const s = 'b'.repeat(16);
    for (const bad of [
      '', 'garbage', `00-${t}-${s}`, `00-${'0'.repeat(32)}-${s}-01`, `00-${t}-${'0'.repeat(16)}-01`,
      `ff-${t}-${s}-01`, `00-${t.toUpperCase()}-${s}-01`, `00-${t}-${s}-01-extra`,
    ]) expect(parseTraceparent(bad), bad).toBeUndefined();
    expect(parseTraceparent(`01-${t}-${s}-00-future`)?.sampled).toBe(false);
    expect(() => traceparent({ traceId: 'x', spanId: s })).toThrow();
  });
});

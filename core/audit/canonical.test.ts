import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';
import { hashRecord } from './hash.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('writes stable numbers and JSON semantics for undefined', () => {
    expect(canonicalJson([1.0, -0, 1e21, 0.1, 123000, undefined])).toBe('[1,0,1e+21,0.1,123000,null]');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
    expect(() => canonicalJson(NaN)).toThrow();
    expect(() => canonicalJson({ a: 1n })).toThrow();
  });

  it('is independent of key insertion order', () => {
    expect(canonicalJson({ x: 1, y: [true, false] })).toBe(canonicalJson({ y: [true, false], x: 1 }));
  });

  it('hashes a record without its hash field', () => {
    const rec = { seq: 0, prevHash: '0'.repeat(64), time: 't', traceId: 'a', spanId: 'b', kind: 'console' as const, actor: 'x', name: 'n', data: {} };
    const expected = createHash('sha256').update(canonicalJson(rec)).digest('hex');
    expect(hashRecord(rec)).toBe(expected);
    expect(hashRecord({ ...rec, hash: 'ignored' })).toBe(expected);
  });
});

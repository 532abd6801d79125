import { describe, expect, it } from 'vitest';
import { CHAIN_BREAK, hasEscapes, segmentAt, segmentBases, skeletonOf, wordsOf, type Segment } from './normalize.ts';

const one = (text: string): Segment[] => [{ text, joined: false }];

describe('skeletonOf', () => {
  it('keeps letters and digits, case-folded and as written, with gaps for separators', () => {
    const s = skeletonOf(one('Ana  D-í.a'));
    expect(s.lower).toBe('anadia');
    expect(s.raw).toBe('AnaDia');
    expect([...s.gap]).toEqual([CHAIN_BREAK, 0, 0, 1, 1, 1]);
    expect([...s.start]).toEqual([0, 1, 2, 5, 7, 9]);
    expect(s.sepBefore[5]).toBe('.'.charCodeAt(0));
  });

  it('folds compatibility forms and digits of any script, and drops invisible characters', () => {
    expect(skeletonOf(one('Ｄíａｚ ﬁ ①')).lower).toBe('diazfi1');
    expect(skeletonOf(one('١٧٩ ১৭৯')).lower).toBe('179179');
    const s = skeletonOf(one('1\u200b7\u00ad9\u2060'));
    expect(s.lower).toBe('179');
    expect([...s.gap]).toEqual([CHAIN_BREAK, 0, 0]);
  });

  it('breaks the chain after a long gap and between segments unless joined', () => {
    expect([...skeletonOf(one('1---------7')).gap]).toEqual([CHAIN_BREAK, CHAIN_BREAK]);
    expect([...skeletonOf(one('1--------7')).gap]).toEqual([CHAIN_BREAK, 8]);
    const s = skeletonOf([{ text: 'a', joined: false }, { text: 'b', joined: true }, { text: 'c', joined: false }]);
    expect([...s.gap]).toEqual([CHAIN_BREAK, 1, CHAIN_BREAK]);
    expect([...s.start]).toEqual([0, 2, 4]);
  });

  it('reads escapes only when decoding, with the escape as the span', () => {
    const text = 'a%62\\u0063\\x64&#101;&#x66;0x67&amp;h%C3%A9';
    expect(skeletonOf(one(text)).lower).not.toContain('abcdefg');
    const s = skeletonOf(one(text), true);
    expect(s.lower).toBe('abcdefghe');
    expect(s.start[1]).toBe(1);
    expect(s.end[1]).toBe(4);
    expect(s.gap[7]).toBe(1); // `&amp;` is a separator
    expect(s.end[8] - s.start[8]).toBe(6); // é as two percent-encoded bytes
  });

  it('reads malformed escapes as text, or a separator for a broken UTF-8 sequence', () => {
    expect(skeletonOf(one('%E9%ZZ \\u12 &#xZZ; 0x1'), true).lower).toBe('zzu12xzz0x1');
  });

  it('never splits astral characters into halves', () => {
    const s = skeletonOf(one('a𠀀b😀c'));
    expect(s.lower.length).toBe(4);
    expect(s.lower[0] + s.lower[2] + s.lower[3]).toBe('abc');
  });
});

describe('helpers', () => {
  it('wordsOf gives a value’s own word splits', () => {
    expect(wordsOf('Bo Li')).toEqual({ lower: 'boli', splits: [2] });
    expect(wordsOf('+1 555-0100')).toEqual({ lower: '15550100', splits: [1, 4] });
  });

  it('segmentBases and segmentAt agree', () => {
    const bases = segmentBases([{ text: 'ab', joined: false }, { text: '', joined: false }, { text: 'cde', joined: false }]);
    expect(bases).toEqual([0, 3, 4]);
    expect([0, 2, 3, 4, 6].map((o) => segmentAt(bases, o))).toEqual([0, 0, 1, 2, 2]);
  });

  it('hasEscapes spots what decoding would read', () => {
    expect(hasEscapes(one('100% sure'))).toBe(false);
    expect(hasEscapes(one('a%20b'))).toBe(true);
    expect(hasEscapes(one('&#49;'))).toBe(true);
  });
});

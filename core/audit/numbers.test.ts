import { describe, expect, it } from 'vitest';
import { numberTokens, wholeNumber } from './numbers.ts';

const values = (text: string) => [...numberTokens(text)].map((t) => t.values);

describe('numberTokens', () => {
  it('reads grouped, decimal, exponent, signed and zero-padded numbers canonically', () => {
    expect(values('a 179,000 b 179 000 c 179.000,50 d 1.79e5 e -0179000 f 98,765.50')).toEqual([
      ['179000', '179'], ['179000'], ['179000.5'], ['179000'], ['179000'], ['98765.5'],
    ]);
  });

  it('keeps both readings of an ambiguous separator', () => {
    expect(values('1.500')).toEqual([['1500', '1.5']]);
    expect(values('179000,5')).toEqual([['179000.5', '179000']]);
  });

  it('does not read part of a longer number, version or list of groups', () => {
    expect(values('91790001')).toEqual([['91790001']]);
    expect(values('v1.2.3')).toEqual([]);
    expect(values('179,000,000')).toEqual([['179000000']]);
  });

  it('gives spans', () => {
    expect([...numberTokens('pay 179,000.00!')].map(({ start, end }) => [start, end])).toEqual([[4, 14]]);
  });
});

describe('wholeNumber', () => {
  it('is the canonical value of a string that is only a number', () => {
    expect(wholeNumber(' 179,000.00 ')).toBe('179000');
    expect(wholeNumber('+1 555 0100')).toBeUndefined();
    expect(wholeNumber('179000 USD')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateWhen, identifiersOf, parseWhen, WhenSyntaxError } from './when.ts';

const ev = (text: string, args?: Record<string, unknown>) => evaluateWhen(parseWhen(text), args);

describe('parseWhen', () => {
  it('parses comparisons, logic, paths, literals and parentheses', () => {
    expect(ev('amount > 1000', { amount: 50000 })).toBe(true);
    expect(ev('amount > 1000', { amount: 500 })).toBe(false);
    expect(ev('amount >= 1000 && currency == "usd"', { amount: 1000, currency: 'usd' })).toBe(true);
    expect(ev("fields.status != 'closed' || !dryRun", { fields: { status: 'closed' }, dryRun: false })).toBe(true);
    expect(ev('!(amount < -5)', { amount: -10 })).toBe(false);
    expect(ev('flag === true', { flag: true })).toBe(true);
    expect(ev('x == null', { x: null })).toBe(true);
    expect(ev('a > 1 && b > 1 || c', { a: 0, b: 5, c: true })).toBe(true);
  });

  it('reports the position of errors', () => {
    const cases: [string, number, RegExp][] = [
      ['amount >', 8, /expected a value/],
      ['amount = 5', 7, /"=="/],
      ['(amount > 5', 11, /expected "\)"/],
      ['a < b < c', 6, /cannot be chained/],
      ['amount > 5 5', 11, /unexpected "5"/],
      ['', 0, /empty/],
      ["name == 'x", 8, /unterminated string/],
      ['a.', 2, /field name/],
      ['a & b', 2, /"&&"/],
    ];
    for (const [text, pos, re] of cases) {
      try {
        parseWhen(text);
        expect.unreachable(text);
      } catch (err) {
        expect(err).toBeInstanceOf(WhenSyntaxError);
        expect((err as WhenSyntaxError).position, text).toBe(pos);
        expect((err as Error).message).toMatch(re);
        expect((err as Error).message).toContain(`column ${pos + 1}`);
      }
    }
  });

  it('lists the identifiers a condition reads', () => {
    expect(identifiersOf(parseWhen('amount > 1000 && (fields.status == "x" || amount < 5) && !dryRun'))).toEqual(['amount', 'fields.status', 'dryRun']);
  });
});

describe('evaluateWhen', () => {
  it('is unknown when an argument is not known', () => {
    expect(ev('amount > 1000', undefined)).toBe('unknown');
    expect(ev('amount > 1000', {})).toBe('unknown');
    expect(ev('fields.status == "x"', { fields: {} })).toBe('unknown');
    expect(ev('!flag', {})).toBe('unknown');
  });

  it('uses three-valued logic: a known side can decide && and ||', () => {
    expect(ev('amount > 1000 && urgent', { amount: 5 })).toBe(false);
    expect(ev('amount > 1000 || urgent', { amount: 5000 })).toBe(true);
    expect(ev('amount > 1000 && urgent', { amount: 5000 })).toBe('unknown');
    expect(ev('amount > 1000 || urgent', { amount: 5 })).toBe('unknown');
  });

  it('does not coerce: comparing different types is unknown', () => {
    expect(ev('amount > 1000', { amount: '50000' })).toBe('unknown');
    expect(ev('amount > 1000', { amount: { value: 5 } })).toBe('unknown');
    expect(ev('amount', { amount: 1 })).toBe('unknown');
    expect(ev('name < "m"', { name: 'alice' })).toBe(true);
  });

  it('never reads the prototype chain', () => {
    expect(ev('constructor == 1', {})).toBe('unknown');
    expect(ev('toString.length > 0', {})).toBe('unknown');
    expect(ev('__proto__ == null', {})).toBe('unknown');
  });
});

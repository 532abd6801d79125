import { describe, expect, it } from 'vitest';
import { Redactor, redactFields } from './redact.ts';

describe('Redactor', () => {
  const make = () => new Redactor({ redactLabels: new Set(['workday.compensation', 'salesforce.customerPII']) });

  it('registers only values whose label is redacted, and vault.secret always', () => {
    const r = make();
    expect(r.register('Engineering', 'workday.employeeData')).toBe(false);
    expect(r.register('sk_live_abc123', 'vault.secret')).toBe(true);
    expect(r.register('ana@example.com', 'salesforce.customerPII')).toBe(true);
    expect(r.redact({ a: 'Engineering', b: 'key sk_live_abc123' })).toEqual({ a: 'Engineering', b: 'key [REDACTED:vault.secret]' });
  });

  it('replaces embedded values in nested strings, keys and arrays, longest first', () => {
    const r = make();
    r.register('123000', 'workday.compensation');
    r.register('+1 555 0100', 'salesforce.customerPII');
    r.register('+1 555 0100 ext 7', 'salesforce.customerPII');
    const input = {
      text: 'Salary of Ana: 123000',
      nested: [{ phone: 'call +1 555 0100 ext 7 now' }, ['+1 555 0100']],
      ['123000']: 'as a key',
    };
    const out = r.redact(input);
    expect(out).toEqual({
      text: 'Salary of Ana: [REDACTED:workday.compensation]',
      nested: [{ phone: 'call [REDACTED:salesforce.customerPII] now' }, ['[REDACTED:salesforce.customerPII]']],
      '[REDACTED:workday.compensation]': 'as a key',
    });
    expect(input.text).toBe('Salary of Ana: 123000'); // a copy, the input is untouched
  });

  it('redacts numbers equal to a registered numeric value', () => {
    const r = make();
    r.register('123000', 'workday.compensation');
    r.register(98765.5, 'workday.compensation');
    expect(r.redact({ salary: 123000, bonus: 98765.5, other: 123001, list: [123000] })).toEqual({
      salary: '[REDACTED:workday.compensation]', bonus: '[REDACTED:workday.compensation]', other: 123001,
      list: ['[REDACTED:workday.compensation]'],
    });
  });

  it('matches short values only whole, never inside other text', () => {
    const r = make();
    r.register('42', 'workday.compensation');
    expect(r.redact({ n: 42, s: '42', t: 'answer 42 of 1427' })).toEqual({
      n: '[REDACTED:workday.compensation]', s: '[REDACTED:workday.compensation]', t: 'answer 42 of 1427',
    });
  });

  it('redacts console text and escapes regex characters in values', () => {
    const r = make();
    r.register('a.b*c(d)', 'salesforce.customerPII');
    expect(r.redactString('log: a.b*c(d) and aXb*c(d)')).toBe('log: [REDACTED:salesforce.customerPII] and aXb*c(d)');
  });

  it('registers the leaves of a labelled value', () => {
    const r = make();
    expect(r.registerLeaves({ base: 150000, currency: 'USD' }, 'workday.compensation')).toBe(2);
    expect(r.redact('base 150000 USD')).toBe('base [REDACTED:workday.compensation] [REDACTED:workday.compensation]');
  });
});

describe('redactFields', () => {
  it('replaces fields by their labels and registers their values', () => {
    const r = new Redactor({ redactLabels: ['salesforce.customerPII'] });
    const response = { id: 'acc_001', contacts: [{ name: 'Ana Diaz', email: 'ana@x.com' }] };
    const out = redactFields(response, { 'contacts[].email': ['salesforce.customerPII'], 'contacts[].name': ['salesforce.account'] },
      r.redactLabels, r);
    expect(out).toEqual({ id: 'acc_001', contacts: [{ name: 'Ana Diaz', email: '[REDACTED:salesforce.customerPII]' }] });
    expect(r.redactString('mail ana@x.com')).toBe('mail [REDACTED:salesforce.customerPII]');
  });
});

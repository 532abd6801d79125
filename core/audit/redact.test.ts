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

describe('Redactor: normalised forms', () => {
  const COMP = '[REDACTED:workday.compensation]';
  const PII = '[REDACTED:salesforce.customerPII]';
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const make = () => {
    const r = new Redactor({ redactLabels: ['workday.compensation', 'salesforce.customerPII'] });
    r.register('179000', 'workday.compensation');
    r.register('Ana Diaz', 'salesforce.customerPII');
    return r;
  };

  it('replaces just the span of a value reformatted with separators, case, grouping or reversal', () => {
    const r = make();
    expect(r.redactString('pay: 1-7-9-0-0-0 USD')).toBe(`pay: ${COMP} USD`);
    expect(r.redactString('pay: 179,000.00 USD')).toBe(`pay: ${COMP} USD`);
    expect(r.redactString('pay 1.79e5')).toBe(`pay ${COMP}`);
    expect(r.redactString('to A N A  D I A Z today')).toBe(`to ${PII} today`);
    expect(r.redactString('backwards: zaid ana.')).toBe(`backwards: ${PII}.`);
  });

  it('replaces the whole encoded run when the value is found inside it', () => {
    const r = make();
    expect(r.redactString(`data ${b64('Ana earns 179000 a year')} end`)).toBe(`data ${COMP} end`);
    expect(r.redactString(`hex=${Buffer.from('pay=179000;').toString('hex')}&x=1`)).toBe(`hex=${COMP}&x=1`);
    expect(r.redactString('q=%31%37%39%30%30%30&x=1')).toBe(`q=${COMP}&x=1`);
    expect(r.redactString('\\u0041\\u006e\\u0061 Diaz')).toBe(PII);
  });

  it('redacts array items that spell a value one character each, and leaves other items', () => {
    expect(make().redact({ d: [...'179000'], keep: ['a', 'b', 7] })).toEqual({ d: Array(6).fill(COMP), keep: ['a', 'b', 7] });
  });

  it('redacts a registered number whatever its sign', () => {
    expect(make().redact({ n: -179000, m: 179000.0, other: 179001 })).toEqual({ n: COMP, m: COMP, other: 179001 });
  });

  it('leaves benign near-misses alone', () => {
    const r = make();
    for (const text of ['id 17-90-00', 'pay 179,001', b64('179001'), 'ANA DIAZO', 'banana diaz', '1-7-9-0-0-0-1']) {
      expect(r.redactString(text)).toBe(text);
    }
  });

  it('leaves no trace of the value in any form it redacts', () => {
    const r = make();
    const forms = ['1-7-9-0-0-0', '179 000', b64('x179000'), Buffer.from('179000').toString('hex'), '&#49;&#55;&#57;&#48;&#48;&#48;', '2bb38', '49,55,57,48,48,48'];
    for (const form of forms) {
      const out = r.redactString(`value: ${form} (end)`);
      expect(out).toBe(`value: ${COMP} (end)`);
    }
  });

  it('gives vault.secret the span when it overlaps another label', () => {
    const r = make();
    r.register('ANA-DIAZ-KEY-1', 'vault.secret');
    expect(r.redactString('use ana-diaz-key-1 now')).toBe('use [REDACTED:vault.secret] now');
  });
});

import { describe, expect, it } from 'vitest';
import { containsCardNumber, containsNationalId, labelledValues, SensitiveValues } from './content-check.ts';

describe('content checks', () => {
  it('finds remembered strings anywhere and numbers only as whole numbers', () => {
    const seen = new SensitiveValues();
    seen.remember('ana@acme.example', 'salesforce.customerPII');
    seen.remember('123000', 'workday.compensation');
    seen.remember('42', 'workday.compensation');
    seen.remember('2020-02-19', 'workday.compensation');
    expect([...seen.labelsIn({ text: 'mail ANA: ana@acme.example!' })]).toEqual(['salesforce.customerPII']);
    expect([...seen.labelsIn({ text: 'salary 123000 USD' })]).toEqual(['workday.compensation']);
    expect([...seen.labelsIn({ n: 123000 })]).toEqual(['workday.compensation']);
    expect(seen.labelsIn({ text: 'order 91230001' }).size).toBe(0);
    expect(seen.labelsIn({ text: 'answer 42' }).size).toBe(0);
    expect(seen.labelsIn({ startDate: '2020-02-19' }).size).toBe(0);
  });

  it('finds remembered values reformatted in one step, naming the form and never the value', () => {
    const seen = new SensitiveValues();
    seen.remember('179000', 'workday.compensation');
    seen.remember('ana@acme.example', 'salesforce.customerPII');
    expect([...seen.labelsIn({ text: 'pay: 1-7-9-0-0-0' })]).toEqual(['workday.compensation']);
    expect([...seen.labelsIn({ blocks: [{ text: Buffer.from('pay=179000').toString('base64') }] })]).toEqual(['workday.compensation']);
    expect([...seen.labelsIn({ chars: [...'179000'] })]).toEqual(['workday.compensation']);
    expect(seen.findIn({ to: 'ANA@ACME.EXAMPLE', n: '179,000' })).toEqual([
      { label: 'workday.compensation', form: 'number', decoded: false },
      { label: 'salesforce.customerPII', form: 'text', decoded: false },
    ]);
    expect(seen.findIn({ q: 'ana%40acme.example' })).toEqual([{ label: 'salesforce.customerPII', form: 'text', decoded: true }]);
    expect(JSON.stringify(seen.findIn({ text: '179000 ana@acme.example' }))).not.toMatch(/179000|ana@/);
  });

  it('gives a value every label it was read under, and ignores what proves nothing', () => {
    const seen = new SensitiveValues();
    seen.remember('Ana Diaz', 'salesforce.customerPII');
    seen.remember('Ana Diaz', 'workday.employeeData');
    seen.remember('999', 'workday.compensation');
    seen.remember('Bob', 'workday.employeeData');
    expect(seen.size).toBe(1);
    expect([...seen.labelsIn({ text: 'a-n-a d-i-a-z' })].sort()).toEqual(['salesforce.customerPII', 'workday.employeeData']);
    expect(seen.labelsIn({ text: 'Ana Diazo, 9-9-9, Bob' }).size).toBe(0);
  });

  it('recognises card numbers, not other digit runs', () => {
    expect(containsCardNumber({ text: 'card 4242 4242 4242 4242' })).toBe(true);
    expect(containsCardNumber({ text: '5555-5555-5555-4444' })).toBe(true);
    expect(containsCardNumber({ text: '0000000000000000000000000000101' })).toBe(false);
    expect(containsCardNumber({ text: '4242424242424241' })).toBe(false);
    expect(containsCardNumber({ text: 'invoice inv_0001 for 1200' })).toBe(false);
    expect(containsCardNumber({ text: '４２４２ ４２４２ ４２４２ ４２４２' })).toBe(true);
    expect(containsCardNumber({ text: '4242.4242.4242\u200b.4242' })).toBe(true);
    expect(containsCardNumber({ digits: [...'4242424242424242'].map(Number) })).toBe(true);
    expect(containsCardNumber({ digits: [...'4242424242424241'].map(Number) })).toBe(false);
    expect(containsCardNumber({ a: '4242 4242', b: '4242 4242' })).toBe(false);
    expect(containsCardNumber({ version: '1.4242.4242.4242.4242' })).toBe(false);
  });

  it('recognises national ids, not numbers shaped like them', () => {
    for (const text of ['SSN 219-45-6789', 'ssn: 219 45 6789', 'SSN#219456789', 'NI number JK 12 34 56 C', 'ni AB123456D']) {
      expect(containsNationalId({ text }), text).toBe(true);
    }
    expect(containsNationalId({ nested: [{ note: 'id 219-45-6789' }] })).toBe(true);
    for (const text of ['000-12-3456', '666-12-3456', '912-34-5678', '219-00-6789', '219-45-0000', '078-05-1120', '219-45-6789-1',
      'call 555-123-4567', 'order 219456789', 'on 2024-01-15', 'ref 219-45 6789', 'BG 12 34 56 A', 'QQ 12 34 56 C', 'JK 12 34 56 E', 'QQ123456CX']) {
      expect(containsNationalId({ text }), text).toBe(false);
    }
  });

  it('walks field-label paths through arrays to the leaves', () => {
    const response = { contacts: [{ email: 'a@x.io', phone: '+1 555' }, { email: 'b@x.io' }] };
    const values = [...labelledValues(response, [{ path: ['contacts', '[]', 'email'], labels: ['pii'] }])].map((v) => v.value);
    expect(values).toEqual(['a@x.io', 'b@x.io']);
  });
});

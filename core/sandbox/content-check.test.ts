import { describe, expect, it } from 'vitest';
import { containsCardNumber, labelledValues, SensitiveValues } from './content-check.ts';

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

  it('recognises card numbers, not other digit runs', () => {
    expect(containsCardNumber({ text: 'card 4242 4242 4242 4242' })).toBe(true);
    expect(containsCardNumber({ text: '5555-5555-5555-4444' })).toBe(true);
    expect(containsCardNumber({ text: '0000000000000000000000000000101' })).toBe(false);
    expect(containsCardNumber({ text: '4242424242424241' })).toBe(false);
    expect(containsCardNumber({ text: 'invoice inv_0001 for 1200' })).toBe(false);
  });

  it('walks field-label paths through arrays to the leaves', () => {
    const response = { contacts: [{ email: 'a@x.io', phone: '+1 555' }, { email: 'b@x.io' }] };
    const values = [...labelledValues(response, [{ path: ['contacts', '[]', 'email'], labels: ['pii'] }])].map((v) => v.value);
    expect(values).toEqual(['a@x.io', 'b@x.io']);
  });
});

import { describe, expect, it } from 'vitest';
import { ValueIndex, type ValueIndexOptions } from './value-index.ts';
import { jsonSegments } from './segments.ts';
import type { Form } from './forms.ts';

/**
 * One case per form: a registered value, texts a one-step program would produce from it (each
 * must be found, in that form), and benign near-misses that must not be found at all.
 */
interface Case {
  name: string;
  value: string;
  form: Form;
  decoded?: boolean;
  hits: string[];
  misses: string[];
}

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const hex = (text: string) => Buffer.from(text).toString('hex');
const spelled = (text: string, sep: string) => [...text].join(sep);

const cases: Case[] = [
  { name: 'number as one word', value: '179000', form: 'text',
    hits: ['salary 179000 USD', 'USD179000', '１７９０００', '1\u200b7\u200b9\u200b0\u200b0\u200b0'],
    misses: ['order 91790001', 'id 1790000', 'ratio 179000.5', 'build 3.179000'] },
  { name: 'digits with separators between every character', value: '179000', form: 'text',
    hits: ['1-7-9-0-0-0', '1 7 9 0 0 0', '1, 7, 9, 0, 0, 0', '"1","7","9","0","0","0"', '1..7..9..0..0..0'],
    misses: ['17-90-00', '1-7-9-0-0-0-1', '2-1-7-9-0-0-0'] },
  { name: 'number formats', value: '179000', form: 'number',
    hits: ['179,000', '179 000', '179.000,00', '179000.00', '1.79e5', '1.79E+5', '0179000', '-179000', "179'000"],
    misses: ['179,001', '1.79e4', '179,000,000', '17,900', '179.0001'] },
  { name: 'amounts with decimals', value: '98765.5', form: 'number',
    hits: ['98,765.50', '98765.50', '98.765,5'],
    misses: ['98765', '98,765.55', 'id 987655'] },
  { name: 'case, whitespace and punctuation folded', value: 'Ana Diaz', form: 'text',
    hits: ['ANA DIAZ', 'ana_diaz', 'A.N.A D.I.A.Z', 'Ána  Díaz', 'anadiaz', 'Ａｎａ Ｄｉａｚ', 'Ana\u00adDiaz'],
    misses: ['banana diaz', 'Ana Diazo', 'Dana Diaz', 'Ana Lopez Diaz'] },
  { name: 'a short value split only where it is split', value: 'Bo Li', form: 'text',
    hits: ['bo li', 'BO-LI', 'b o l i', 'BoLi'],
    misses: ['bol i', 'Bolivia', 'b oli', 'lobo li'] },
  { name: 'email', value: 'ana.diaz@acme.example', form: 'text',
    hits: ['ANA.DIAZ@ACME.EXAMPLE', 'ana diaz @ acme example'],
    misses: ['ana.diaz@acme.examples', 'joana.diaz@acme.example'] },
  { name: 'phone digits chunked anyhow (a long key)', value: '+1 555 0100', form: 'text',
    hits: ['call 1-555-0100', '(1) 555 01 00', '15550100'],
    misses: ['21-555-0100', '1-555-01001', '555-0100'] },
  { name: 'reversed digits', value: '179500', form: 'reversed',
    hits: ['005971', '0-0-5-9-7-1'],
    misses: ['1005971', '0059710'] },
  { name: 'reversed text', value: 'Ana Diaz', form: 'reversed',
    hits: ['zaiD anA', 'ZAIDANA'],
    misses: ['zaid anaconda'] },
  { name: 'hex of the value and inside hex of a longer text', value: '179000', form: 'hex',
    hits: [hex('179000'), hex('179000').toUpperCase(), spelled(hex('179000').match(/../g)!.join(' '), ''), hex('salary=179000;'), hex('x179000')],
    misses: [hex('179001'), hex('salary=179001;')] },
  { name: 'base64 of the value, standard or URL-safe, padded or not', value: '179000', form: 'base64',
    hits: [b64('179000'), b64url('179000'), `data:text/plain;base64,${b64('179000')}`],
    misses: [b64('179001'), b64('179000').toLowerCase()] },
  { name: 'base64 of a longer text, at each of the 3 alignments', value: '179000', form: 'base64',
    hits: [b64('Ana earns 179000 a year'), b64('x179000'), b64url('xy179000!'), b64('xyz179000'),
      b64(`${'pay '.repeat(13)}xyz179000`).replace(/(.{76})/g, '$1\r\n') /* wrapped inside the value */],
    // The characters at either end mix the value's first and last bits with the neighbours';
    // those bits are still checked, so a different first or last digit does not match.
    misses: [b64('Ana earns 179001 a year'), b64('x179001'), b64('xy179001!'), b64('x279000'), b64('xy279000!'), b64('xy179009!')] },
  { name: 'base64 of a short value, whole only', value: '1500', form: 'base64',
    hits: [b64('1500')],
    misses: [`x${b64('1500')}`] },
  { name: 'radix forms of an integer', value: '179000', form: 'radix',
    hits: ['2bb38', '0x2BB38', '101011101100111000'],
    misses: ['2bb39', '12bb38', '0x2bb381'] },
  { name: 'character codes', value: '179000', form: 'char-codes',
    hits: ['49,55,57,48,48,48', '[49, 55, 57, 48, 48, 48]'],
    misses: ['49,55,57,48,48,49', '149,55,57,48,48,48', 'ages 4, 95, 55, 74, 84, 84, 8'] },
  { name: 'percent-encoding', value: '179000', form: 'text', decoded: true,
    hits: ['%31%37%39%30%30%30', 'ana%40acme?pay=%31%37%39%30%30%30'],
    misses: ['%31%37%39%30%30%31'] },
  { name: 'JavaScript, HTML and byte escapes', value: '179000', form: 'text', decoded: true,
    hits: [spelled('179000', '').replace(/./g, (c) => `\\u003${c}`), '\\u{31}\\u{37}\\u{39}\\u{30}\\u{30}\\u{30}', '\\x31\\x37\\x39\\x30\\x30\\x30',
      '&#49;&#55;&#57;&#48;&#48;&#48;', '&#x31;&#x37;&#x39;&#x30;&#x30;&#x30;', '0x31, 0x37, 0x39, 0x30, 0x30, 0x30'],
    misses: ['\\u0031\\u0037\\u0039\\u0030\\u0030\\u0031'] },
  { name: 'percent-encoded UTF-8 text', value: 'Zoë Müller', form: 'text', decoded: true,
    hits: [encodeURIComponent('Zoë Müller')],
    misses: [encodeURIComponent('Zoë Müllers')] },
  { name: 'literal value with regex characters', value: 'a.b*c(d)', form: 'literal',
    hits: ['log: a.b*c(d)!'],
    misses: ['aXb*c(d)'] },
];

/** The content check's options. */
const CONTENT: ValueIndexOptions = { literalMin: 4, literalNumbers: false, literalBoundary: 'word' };

function find(index: ValueIndex, data: unknown) {
  return index.find(jsonSegments(data));
}

describe('ValueIndex: forms, each with benign near-misses', () => {
  for (const c of cases) {
    it(c.name, () => {
      const index = new ValueIndex(CONTENT);
      index.add(c.value);
      for (const text of c.hits) {
        const forms = find(index, { text }).filter((m) => m.decoded === (c.decoded ?? false)).map((m) => m.form);
        expect(forms, `${c.form} in ${JSON.stringify(text)}`).toContain(c.form);
      }
      for (const text of c.misses) expect(find(index, { text }), `near-miss ${JSON.stringify(text)}`).toEqual([]);
    });
  }
});

describe('ValueIndex: rules', () => {
  const index = () => {
    const i = new ValueIndex(CONTENT);
    i.add('179000');
    return i;
  };

  it('reads a value spelled one character per array item, not across separate fields', () => {
    expect(find(index(), { digits: [...'179000'] }).map((m) => m.form)).toContain('text');
    expect(find(index(), { digits: [1, 7, 9, 0, 0, 0] }).map((m) => m.form)).toContain('text');
    expect(find(index(), { a: '179', b: '000' })).toEqual([]);
    expect(find(index(), { list: ['17', '90', '00'] })).toEqual([]);
  });

  it('ignores small numbers and does not reverse a round number into a padded id', () => {
    const i = index();
    i.add('950');
    expect(find(i, { text: 'ticket 950 and 9-5-0' })).toEqual([]);
    expect(find(i, { text: 'ticket TCK-000971' })).toEqual([]);
  });

  it('does not join separators longer than the gap limit or across segments', () => {
    expect(find(index(), { text: '1---------7---------9---------0---------0---------0' })).toEqual([]);
  });

  it('reports spans in segment offsets, and the same id for the same value', () => {
    const i = new ValueIndex(CONTENT);
    expect(i.add('Ana Diaz')).toBe(i.add('Ana Diaz'));
    expect(i.size).toBe(1);
    const [match] = i.find([{ text: 'x', joined: false }, { text: 'hi A-N-A D-I-A-Z!', joined: false }]);
    expect(match).toMatchObject({ id: 0, form: 'text', start: 2 + 3, end: 2 + 16 });
  });

  it('holds thousands of values without matching unrelated text', () => {
    const i = new ValueIndex(CONTENT);
    for (let k = 0; k < 3000; k++) {
      i.add(String(80_000 + k * 97));
      i.add(`Employee${k} Surname${k}`);
    }
    const text = Array.from({ length: 400 }, (_, k) => `ticket TCK-${String(k).padStart(6, '0')} costs ${k * 3}.50 on 2024-0${(k % 9) + 1}-1${k % 10}`).join('; ');
    expect(find(i, { text })).toEqual([]);
    expect(find(i, { text: `${text} E-M-P-L-O-Y-E-E-1-2 S-U-R-N-A-M-E-1-2` }).map((m) => m.form)).toEqual(['text']);
  });
});

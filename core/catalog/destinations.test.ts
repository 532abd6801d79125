import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.ts';
import { destinationsOf, possibleDestinations } from './destinations.ts';
import type { Operation, Param } from './types.ts';

function op(params: Param[]): Operation {
  return {
    id: 'chat.post', service: 'chat', name: 'post', verb: 'post', method: 'POST', path: '/p', host: 'chat.example', serverUrl: 'https://chat.example',
    params, argsSchema: { type: 'object' }, labels: [], fieldLabels: [], source: { file: 'f', pointer: '/paths/~1p/post' },
  };
}
const channel: Param = {
  name: 'channel', in: 'body', required: true, schema: { type: 'string' },
  destination: [
    { destination: 'chat.public', patterns: ['#general', '#random'] },
    { destination: 'chat.customer', patterns: ['#customer-*'] },
    { destination: 'chat.internal', patterns: ['#?*'] },
  ],
};
const to: Param = {
  name: 'to', in: 'body', required: true, schema: { type: 'array', items: { type: 'string' } },
  destination: [{ destination: 'mail.internal', patterns: ['*@acme.example'] }, { destination: 'mail.external', patterns: ['*'] }],
};

describe('globMatch', () => {
  it('matches * and ? over the whole string, literally otherwise, ignoring case', () => {
    expect(globMatch('#general', '#general')).toBe(true);
    expect(globMatch('#general', '#general2')).toBe(false);
    expect(globMatch('#gen*', '#general')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('?', '')).toBe(false);
    expect(globMatch('#h?-leads', '#hr-leads')).toBe(true);
    expect(globMatch('*@acme.example', 'bob@ACME.example')).toBe(true);
    expect(globMatch('*@acme.example', 'bob@acmeXexample')).toBe(false);
    expect(globMatch('a.(b)+[c]', 'a.(b)+[c]')).toBe(true);
  });
});

describe('destinationsOf', () => {
  const post = op([channel, { name: 'text', in: 'body', required: true, schema: { type: 'string' } }]);
  it('adds the first matching class to the service', () => {
    expect(destinationsOf(post, { channel: '#general', text: 'x' })).toEqual(['chat', 'chat.public']);
    expect(destinationsOf(post, { channel: '#customer-acme' })).toEqual(['chat', 'chat.customer']);
    expect(destinationsOf(post, { channel: '#hr-leads' })).toEqual(['chat', 'chat.internal']);
  });
  it('gives only the service when nothing matches or the argument is absent', () => {
    expect(destinationsOf(post, { channel: 'general' })).toEqual(['chat']);
    expect(destinationsOf(post, {})).toEqual(['chat']);
    expect(destinationsOf(op([]), { anything: 1 })).toEqual(['chat']);
  });
  it('unions over array elements, and treats an unclassifiable value as every class', () => {
    const send = op([to]);
    expect(destinationsOf(send, { to: ['a@acme.example', 'b@acme.example'] })).toEqual(['chat', 'mail.internal']);
    expect(destinationsOf(send, { to: ['a@acme.example', 'x@gmail.com'] })).toEqual(['chat', 'mail.internal', 'mail.external']);
    expect(destinationsOf(send, { to: { email: 'a@acme.example' } })).toEqual(['chat', 'mail.internal', 'mail.external']);
  });
});

describe('possibleDestinations', () => {
  it('lists one alternative per class, plus the service alone when a value can go unmatched', () => {
    expect(possibleDestinations(op([channel]))).toEqual([['chat', 'chat.public'], ['chat', 'chat.customer'], ['chat', 'chat.internal'], ['chat']]);
  });
  it('omits the unmatched alternative when a pattern catches everything', () => {
    expect(possibleDestinations(op([to]))).toEqual([['chat', 'mail.internal'], ['chat', 'mail.external']]);
  });
  it('is the service alone without destination arguments, and a product for several', () => {
    expect(possibleDestinations(op([]))).toEqual([['chat']]);
    expect(possibleDestinations(op([channel, to]))).toHaveLength(8);
  });
});

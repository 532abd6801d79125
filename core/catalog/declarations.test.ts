import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from './load.ts';
import { renderDeclarations } from './declarations.ts';
import { schemaToTs } from './ts-type.ts';
import { typecheckProgram } from './typecheck.ts';
import type { Catalog, JsonSchema } from './types.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(fileURLToPath(new URL('./fixtures/good', import.meta.url)));
});

const ts = (schema: JsonSchema): string => schemaToTs(schema, { refName: (n) => n });

describe('schemaToTs', () => {
  it('maps JSON Schema to TypeScript', () => {
    expect(ts({ type: 'string', format: 'email' })).toBe('string');
    expect(ts({ type: 'integer' })).toBe('number');
    expect(ts({ type: ['string', 'null'] })).toBe('string | null');
    expect(ts({ enum: ['a', 'b', 1, null] })).toBe('"a" | "b" | 1 | null');
    expect(ts({ const: 'x' })).toBe('"x"');
    expect(ts({ type: 'array', items: { type: 'string' } })).toBe('string[]');
    expect(ts({ type: 'array', items: { type: ['string', 'number'] } })).toBe('Array<string | number>');
    expect(ts({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false })).toBe('[string, number]');
    expect(ts({ oneOf: [{ type: 'string' }, { type: 'boolean' }] })).toBe('string | boolean');
    expect(ts({ allOf: [{ 'x-flowgate-type': 'A' }, { 'x-flowgate-type': 'B' }] })).toBe('A & B');
    expect(ts({ type: 'object', additionalProperties: { type: 'number' } })).toBe('Record<string, number>');
    expect(ts({ type: 'object' })).toBe('Record<string, unknown>');
    expect(ts({})).toBe('unknown');
    expect(ts({ type: 'object', required: ['a'], properties: { a: { type: 'string', description: 'The A.' }, 'b-c': { type: 'boolean' } } }))
      .toBe('{\n  /** The A. */\n  a: string;\n  "b-c"?: boolean;\n}');
  });
});

describe('renderDeclarations', () => {
  it('declares one const per service with typed methods, TSDoc and named types', () => {
    const d = catalog.declarations;
    expect(d).toContain('declare const console: {');
    expect(d).toContain('declare const chat: {');
    expect(d).toContain('declare const salesforcecrm: {');
    expect(d).toMatch(/interface ChatMessage \{/);
    expect(d).toContain('listChannels(args?: Record<string, never>): Promise<ChatChannel[]>;');
    expect(d).toContain('getAccount(args: {\n    accountId: string;\n  }): Promise<SalesforcecrmAccount>;');
    expect(d).toContain('@destination `channel` names where the data goes: chat.public (#general, #random); chat.customer (#customer-*); chat.internal (#*); otherwise chat');
    expect(d).toContain('@labels crm.customerPII on contacts[].name, contacts[].email, contacts[].phone');
    expect(d).toContain("@approval needs a human's approval when fields.status == 'closed'");
    expect(d).toContain('@verb post (POST /messages)');
  });

  it('compiles under strict TypeScript with es2023 only, and a correct program type-checks', () => {
    const program = `
      const account = await salesforcecrm.getAccount({ accountId: 'acc_001' });
      const emails: string[] = (account.contacts ?? []).map((c) => c.email ?? '');
      const channels = await chat.listChannels();
      const general = channels.find((c) => c.kind === 'public');
      const posted = await chat.postMessage({ channel: general ? general.name : '#random', text: emails.join(', ') });
      console.log(posted.id, posted['reply-to']?.text);
      const notes = await salesforcecrm.putNotes({ body: ['a'] });
      if (typeof notes !== 'string') console.info(notes.count);
      await chat.listMessages({ channel: '#eng', limit: null });
      return account.name;`;
    expect(typecheckProgram(catalog.declarations, program)).toEqual([]);
  });

  it('gives a type error for a wrong argument name, a missing argument and a wrong field', () => {
    const wrongName = typecheckProgram(catalog.declarations, `await chat.postMessage({ chanel: '#general', text: 'hi' });`);
    expect(wrongName.map((d) => d.message).join('\n')).toMatch(/'chanel' does not exist/);
    const missing = typecheckProgram(catalog.declarations, `await chat.postMessage({ text: 'hi' });`);
    expect(missing.map((d) => d.message).join('\n')).toMatch(/channel/);
    const field = typecheckProgram(catalog.declarations, `const a = await salesforcecrm.getAccount({ accountId: 'x' }); a.nonsense;`);
    expect(field.map((d) => d.message).join('\n')).toMatch(/nonsense/);
    const noGlobals = typecheckProgram(catalog.declarations, `fetch('x'); process.exit(1); require('fs');`);
    expect(noGlobals.filter((d) => d.file === 'program')).toHaveLength(3);
  });

  it('renders a subset: only the chosen operations and the types they use', () => {
    const d = renderDeclarations(catalog, ['chat.listChannels'], { prelude: false });
    expect(d).toContain('listChannels(');
    expect(d).not.toContain('postMessage(');
    expect(d).not.toContain('ChatMessage');
    expect(d).not.toContain('salesforcecrm');
    expect(d).not.toContain('console');
    expect(typecheckProgram(d, 'const c = await chat.listChannels(); return c[0].name;')).toEqual([]);
  });
});

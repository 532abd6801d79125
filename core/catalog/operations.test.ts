import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseCatalogDocuments } from './operations.ts';
import { loadCatalog } from './load.ts';
import { labelsAt } from './labels.ts';
import { CatalogError } from './types.ts';

type Doc = Record<string, unknown>;
const ok = { '200': { description: 'ok' } };
const json = (schema: unknown) => ({ '200': { description: 'ok', content: { 'application/json': { schema } } } });

function doc(paths: Doc, info: Doc = { title: 'Acme HR-System 2', version: '1' }, extra: Doc = {}): Doc {
  return { openapi: '3.1.0', info, servers: [{ url: 'https://hr.acme.example/api' }], paths, ...extra };
}
const parse = (...docs: Doc[]) => parseCatalogDocuments(docs.map((document, i) => ({ file: `doc${i}.yaml`, document })));
const errorOf = (fn: () => unknown): CatalogError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogError);
    return err as CatalogError;
  }
  throw new Error('expected a CatalogError');
};

describe('parseCatalogDocuments: services', () => {
  it('derives the service name from the title, or takes x-flowgate-service', () => {
    expect(parse(doc({})).services[0].name).toBe('acmehrsystem2');
    expect(parse(doc({}, { title: 'X', version: '1', 'x-flowgate-service': 'hr' })).services[0].name).toBe('hr');
  });

  it('refuses service names programs could not use', () => {
    expect(errorOf(() => parse(doc({}, { title: 'X', version: '1', 'x-flowgate-service': 'delete' }))).pointer).toBe('/info/x-flowgate-service');
    expect(errorOf(() => parse(doc({}, { title: '123 Go', version: '1' }, { servers: [{ url: 'http://127.0.0.1:8080' }] }))).pointer).toBe('/info/title');
    expect(errorOf(() => parse(doc({}, { title: 'Console', version: '1' }, { servers: [{ url: 'http://10.0.0.1' }] }))).pointer).toBe('/info/title');
  });

  it('names a service after its host when the title is no name (a sentence, a reserved word, no letters)', () => {
    const named = (title: string, url: string) => parse(doc({}, { title, version: '1' }, { servers: [{ url }] })).services[0].name;
    expect(named("GitHub's official OpenAPI spec + Octokit extension", 'https://api.github.com')).toBe('github');
    expect(named('Console', 'https://hr.acme.example/api')).toBe('acme');
    expect(named('123 Go', 'https://slack.com/api')).toBe('slack');
    expect(named('Stripe API', 'https://api.stripe.com/')).toBe('stripeapi'); // the title rule still comes first
  });

  it('takes the name a workspace gives when the document has no x-flowgate-service', () => {
    const c = parseCatalogDocuments([{ file: 'a.json', document: doc({}), options: { name: 'hr' } }]);
    expect(c.services[0].name).toBe('hr');
    const own = parseCatalogDocuments([{ file: 'a.json', document: doc({}, { title: 'X', version: '1', 'x-flowgate-service': 'people' }), options: { name: 'hr' } }]);
    expect(own.services[0].name).toBe('people');
  });

  it('takes the logical host from servers[0].url, substituting server variables', () => {
    const c = parse(doc({}, undefined, { servers: [{ url: 'https://{env}.hr.example:8443/v1', variables: { env: { default: 'prod' } } }, { url: 'http://localhost' }] }));
    expect(c.services[0].host).toBe('prod.hr.example');
    expect(c.services[0].serverUrl).toBe('https://prod.hr.example:8443/v1');
  });

  it('refuses a document without an absolute server URL', () => {
    expect(errorOf(() => parse(doc({}, undefined, { servers: [] }))).pointer).toBe('/servers');
    expect(errorOf(() => parse(doc({}, undefined, { servers: [{ url: '/v1' }] }))).pointer).toBe('/servers/0/url');
  });

  it('makes method names of operationIds that are not identifiers, and reports collisions', () => {
    const c = parse(doc({
      '/': { get: { operationId: 'meta/root', responses: ok } },
      '/repos': { post: { operationId: 'repos/create-for-authenticated-user', responses: ok } },
      '/c': { get: { operationId: 'GetCustomersCustomer', responses: ok } },
      '/chat': { post: { operationId: 'chat.postMessage', responses: ok } },
      '/s': { post: { operationId: 'chat_postMessage', responses: ok } },
      '/n': { get: { operationId: '2fa/status', responses: ok } },
    }));
    expect([...c.operations.values()].map((o) => [o.name, o.operationId])).toEqual([
      ['metaRoot', 'meta/root'],
      ['reposCreateForAuthenticatedUser', 'repos/create-for-authenticated-user'],
      ['GetCustomersCustomer', undefined],
      ['chatPostMessage', 'chat.postMessage'],
      ['chat_postMessage', undefined],
      ['_2faStatus', '2fa/status'],
    ]);
    const clash = errorOf(() => parse(doc({ '/a': { get: { operationId: 'get-a', responses: ok } }, '/b': { get: { operationId: 'getA', responses: ok } } })));
    expect(clash.pointer).toBe('/paths/~1b/get/operationId');
    expect(clash.message).toContain('"getA" and "get-a"');
    expect(errorOf(() => parse(doc({ '/a': { get: { operationId: '--', responses: ok } } }))).pointer).toBe('/paths/~1a/get/operationId');
    const dup = errorOf(() => parse(doc({ '/a': { get: { operationId: 'a', responses: ok } }, '/b': { get: { operationId: 'a', responses: ok } } })));
    expect(dup.pointer).toBe('/paths/~1b/get/operationId');
  });
});

describe('parseCatalogDocuments: operations', () => {
  const methods = parse(doc({
    '/x': {
      get: { operationId: 'getX', responses: ok },
      head: { operationId: 'headX', responses: ok },
      post: { operationId: 'postX', responses: ok },
      put: { operationId: 'putX', responses: ok },
      patch: { operationId: 'patchX', responses: ok },
      delete: { operationId: 'deleteX', responses: ok },
      options: { operationId: 'optionsX', responses: ok },
    },
    '/y': { post: { operationId: 'sendY', 'x-flowgate-verb': 'send', responses: ok } },
  }));

  it('derives verbs from methods unless x-flowgate-verb says otherwise', () => {
    const verbs = Object.fromEntries([...methods.operations.values()].map((op) => [op.name, op.verb]));
    expect(verbs).toEqual({ getX: 'read', headX: 'read', postX: 'write', putX: 'write', patchX: 'write', deleteX: 'delete', sendY: 'send' });
    const op = methods.operations.get('acmehrsystem2.sendY');
    expect(op).toMatchObject({ id: 'acmehrsystem2.sendY', service: 'acmehrsystem2', name: 'sendY', method: 'POST', path: '/y', host: 'hr.acme.example' });
    expect(op?.source).toEqual({ file: 'doc0.yaml', pointer: '/paths/~1y/post' });
  });

  const c = parse(doc({
    '/employees/{employeeId}/notes': {
      parameters: [{ name: 'employeeId', in: 'path', required: true, schema: { type: 'string' }, description: 'Employee id' }],
      post: {
        operationId: 'addNote',
        summary: 'Add a note',
        'x-flowgate-labels': ['hr.notes'],
        'x-flowgate-approval': { when: 'urgent == true' },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'boolean' } },
          { name: 'X-Request', in: 'header', required: true, schema: { type: 'string' } },
          { name: 'sid', in: 'cookie', schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: {
            type: 'object',
            required: ['text', 'notify'],
            properties: {
              text: { type: 'string' },
              urgent: { type: 'boolean' },
              notify: {
                type: 'array', items: { type: 'string' },
                'x-flowgate-destination': { 'mail.internal': ['*@acme.example'], 'mail.partner': ['*@partner.example', '*@partner2.example'], 'mail.external': ['*'] },
              },
            },
          } } },
        },
        responses: { '404': { description: 'no' }, '201': { description: 'made', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } } },
      },
    },
    '/always': { delete: { operationId: 'purge', 'x-flowgate-approval': 'always', responses: ok } },
  }));
  const op = c.operations.get('acmehrsystem2.addNote')!;

  it('collects path-item, operation and body parameters as named arguments', () => {
    expect(op.params.map((p) => [p.name, p.in, p.required])).toEqual([
      ['employeeId', 'path', true], ['dryRun', 'query', false], ['X-Request', 'header', true],
      ['text', 'body', true], ['urgent', 'body', false], ['notify', 'body', true],
    ]);
    expect(op.params[0].description).toBe('Employee id');
  });

  it('builds one closed object schema for the arguments', () => {
    expect(op.argsSchema).toMatchObject({ type: 'object', additionalProperties: false, required: ['employeeId', 'X-Request', 'text', 'notify'] });
    expect(Object.keys(op.argsSchema.properties as object)).toEqual(['employeeId', 'dryRun', 'X-Request', 'text', 'urgent', 'notify']);
  });

  it('keeps destination rules in document order', () => {
    expect(op.params.find((p) => p.name === 'notify')?.destination).toEqual([
      { destination: 'mail.internal', patterns: ['*@acme.example'] },
      { destination: 'mail.partner', patterns: ['*@partner.example', '*@partner2.example'] },
      { destination: 'mail.external', patterns: ['*'] },
    ]);
    expect(c.destinations).toEqual(['acmehrsystem2', 'mail.external', 'mail.internal', 'mail.partner']);
  });

  it('reads labels, approval and the 2xx JSON response', () => {
    expect(op.labels).toEqual(['hr.notes']);
    expect(op.approval).toEqual({ kind: 'when', when: 'urgent == true' });
    expect(c.operations.get('acmehrsystem2.purge')?.approval).toEqual({ kind: 'always' });
    expect(op.responseSchema).toEqual({ type: 'object', properties: { id: { type: 'string' } } });
    expect(c.operations.get('acmehrsystem2.purge')?.responseSchema).toBeUndefined();
  });

  it('passes the body whole, as body, when one of its properties is named like a parameter', () => {
    const c = parse(doc({ '/a/{id}': { put: {
      operationId: 'putA',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } },
      responses: ok,
    } } }));
    expect(c.operations.get('acmehrsystem2.putA')?.params.map((p) => [p.name, p.in, p.wholeBody])).toEqual([['id', 'path', undefined], ['body', 'body', true]]);
  });

  it('refuses a parameter defined twice in one location set', () => {
    const err = errorOf(() => parse(doc({ '/a/{id}': { get: {
      operationId: 'getA',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'id', in: 'query', schema: { type: 'string' } }],
      responses: ok,
    } } })));
    expect(err.pointer).toBe('/paths/~1a~1{id}/get/parameters/1');
  });

  it('passes a non-object body as one argument named body', () => {
    const c2 = parse(doc({ '/a': { put: { operationId: 'putA', requestBody: { required: true, content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } } }, responses: ok } } }));
    expect(c2.operations.get('acmehrsystem2.putA')?.params).toEqual([{ name: 'body', in: 'body', required: true, wholeBody: true, schema: { type: 'array', items: { type: 'string' } } }]);
  });

  it('folds OpenAPI 3.0 nullable into the type', () => {
    const c3 = parseCatalogDocuments([{ file: 'x.json', document: { ...doc({ '/a': { get: { operationId: 'a', parameters: [{ name: 'q', in: 'query', schema: { type: 'string', nullable: true } }], responses: ok } } }), openapi: '3.0.3' } }]);
    expect(c3.operations.get('acmehrsystem2.a')?.params[0].schema).toEqual({ type: ['string', 'null'] });
  });
});

describe('field labels', () => {
  const contact = { type: 'object', properties: { email: { type: 'string', 'x-flowgate-labels': ['crm.pii'] }, role: { type: 'string' } } };
  const c = parse(doc({ '/a': { get: {
    operationId: 'getA',
    'x-flowgate-labels': ['crm.account'],
    responses: json({
      allOf: [
        { type: 'object', properties: { id: { type: 'string' } } },
        { type: 'object', properties: {
          contacts: { type: 'array', items: contact },
          billing: { 'x-flowgate-labels': ['crm.billing'], type: 'object', properties: { card: { type: 'string', 'x-flowgate-labels': ['crm.card'] } } },
          owner: { oneOf: [contact, { type: 'string' }] },
          backup: { anyOf: [{ type: 'null' }, contact] },
          tags: { type: 'object', additionalProperties: { type: 'string', 'x-flowgate-labels': ['crm.tag'] } },
          matrix: { type: 'array', items: { type: 'array', items: contact } },
        } },
      ],
    }),
  } } }));
  const op = c.operations.get('acmehrsystem2.getA')!;
  const byPath = Object.fromEntries(op.fieldLabels.map((f) => [f.path.join('/'), f.labels]));

  it('finds labels at any depth, through arrays and allOf/oneOf/anyOf', () => {
    expect(byPath).toEqual({
      'contacts/[]/email': ['crm.pii'],
      billing: ['crm.billing'],
      'billing/card': ['crm.billing', 'crm.card'],
      'owner/email': ['crm.pii'],
      'backup/email': ['crm.pii'],
      tags: ['crm.tag'],
      'matrix/[]/[]/email': ['crm.pii'],
    });
    expect(c.labels).toEqual(['crm.account', 'crm.billing', 'crm.card', 'crm.pii', 'crm.tag']);
  });

  it('labelsAt: the operation, ancestors and everything below', () => {
    expect(labelsAt(op, ['id'])).toEqual(['crm.account']);
    expect(labelsAt(op, ['contacts', '[]', 'email']).sort()).toEqual(['crm.account', 'crm.pii']);
    expect(labelsAt(op, ['contacts']).sort()).toEqual(['crm.account', 'crm.pii']);
    expect(labelsAt(op, ['billing', 'card']).sort()).toEqual(['crm.account', 'crm.billing', 'crm.card']);
    expect(labelsAt(op, []).length).toBe(5);
  });

  it('labels a recursive schema as a whole below the recursion (loaded fixture)', async () => {
    const catalog = await loadCatalog(fileURLToPath(new URL('./fixtures/good/crm.json', import.meta.url)));
    const get = catalog.operations.get('salesforcecrm.getAccount')!;
    const paths = Object.fromEntries(get.fieldLabels.map((f) => [f.path.join('/'), f.labels]));
    expect(paths['contacts/[]/email']).toEqual(['crm.customerPII']);
    expect(paths['owner/email']).toEqual(['crm.customerPII']);
    expect(paths.secrets).toEqual(['crm.secret']);
    expect(paths['parent/label']).toEqual(['crm.tree']);
    expect(paths['parent/children/[]']).toEqual(['crm.tree']);
  });
});

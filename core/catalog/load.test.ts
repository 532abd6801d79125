import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from './load.ts';
import { CatalogError } from './types.ts';

const fixture = (p: string): string => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

async function loadError(...files: string[]): Promise<CatalogError> {
  try {
    await loadCatalog(files.map(fixture));
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogError);
    return err as CatalogError;
  }
  throw new Error('expected the catalog to be refused');
}

describe('loadCatalog', () => {
  it('loads every document of a directory (YAML 3.1 and JSON 3.0)', async () => {
    const catalog = await loadCatalog(fixture('good'));
    expect(catalog.services.map((s) => s.name)).toEqual(['chat', 'salesforcecrm']);
    expect(catalog.operations.get('chat.postMessage')?.method).toBe('POST');
    expect(catalog.operations.size).toBe(10);
    expect(catalog.declarations).toContain('declare const chat: {');
  });

  it('loads a list of files', async () => {
    const catalog = await loadCatalog([fixture('good/crm.json')]);
    expect(catalog.services.map((s) => s.name)).toEqual(['salesforcecrm']);
  });

  it('dereferences $refs, including recursive schemas, into finite JSON', async () => {
    const catalog = await loadCatalog(fixture('good'));
    const op = catalog.operations.get('salesforcecrm.getAccount');
    expect(() => JSON.stringify(op)).not.toThrow();
    expect(JSON.stringify(op?.responseSchema)).not.toContain('$ref');
    const chat = catalog.services.find((s) => s.name === 'chat');
    expect(chat?.schemas?.Message).toBeDefined();
  });

  const cases: Array<[string, string | RegExp, RegExp]> = [
    ['bad/bad-yaml.yaml', '', /YAML syntax error at line 5, column 1/],
    ['bad/missing-ref.yaml', '/paths/~1things/get/responses/200/content/application~1json/schema/$ref', /unresolvable \$ref "#\/components\/schemas\/Thing"/],
    ['bad/external-ref.yaml', '/paths/~1things/get/responses/200/content/application~1json/schema/$ref', /unresolvable \$ref/],
    ['bad/invalid-openapi.yaml', '/paths/~1accounts/get/responses', /missing required property "responses"/],
    ['bad/invalid-schema.yaml', '/paths/~1accounts/get/responses/200/content/application~1json/schema/properties/name/type', /invalid schema/],
    ['bad/bad-extension.yaml', '/paths/~1messages/post/requestBody/content/application~1json/schema/properties/channel/x-flowgate-destination', /x-flowgate-destination must be an object/],
    ['bad/bad-labels.yaml', '/paths/~1accounts/get/x-flowgate-labels', /must be an array of label strings/],
    ['bad/bad-approval.json', '/paths/~1refunds/post/x-flowgate-approval', /"always" or \{"when"/],
    ['bad/unknown-extension.yaml', '/paths/~1accounts/get/x-flowgate-label', /unknown extension x-flowgate-label/],
    ['bad/no-operation-id.yaml', '/paths/~1accounts/get/operationId', /missing operationId/],
  ];
  for (const [file, pointer, message] of cases) {
    it(`refuses ${file}, naming the file and the pointer`, async () => {
      const err = await loadError(file);
      expect(err.file).toBe(fixture(file));
      expect(err.pointer).toBe(pointer);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(fixture(file));
    });
  }

  it('refuses two documents with the same service name', async () => {
    const err = await loadError('good/chat.yaml', 'bad/duplicate-chat.yaml');
    expect(err.file).toBe(fixture('bad/duplicate-chat.yaml'));
    expect(err.pointer).toBe('/info/x-flowgate-service');
    expect(err.message).toMatch(/duplicate service name "chat"/);
  });

  it('refuses a path that does not exist and an empty directory', async () => {
    await expect(loadCatalog(fixture('nope'))).rejects.toThrow(CatalogError);
    await expect(loadCatalog(fixture('empty'))).rejects.toThrow(/no OpenAPI documents/);
  });
});

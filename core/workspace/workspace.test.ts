import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Operation, SecurityScheme } from '../catalog/types.ts';
import { createHttpTransport, formEncode } from '../sandbox/http-transport.ts';
import { WorkspaceAuth } from './auth.ts';
import { authFor, type ResolvedCredential } from './credentials.ts';
import { buildCatalog } from '../catalog/build.ts';
import { execFile } from 'node:child_process';
import { loadWorkspace } from './load.ts';
import { applyOverlays } from './overlay.ts';
import { readSecret } from './secrets.ts';
import { WorkspaceError } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowgate-workspace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A fresh workspace directory with `flowgate.json` holding `doc` and an OpenAPI file `api.json`. */
function workspace(doc: unknown, file = 'flowgate.json'): string {
  const ws = join(dir, `ws${++n}`);
  mkdirSync(ws);
  writeFileSync(join(ws, 'api.json'), JSON.stringify({ openapi: '3.1.0', info: { title: 'A', version: '1' }, servers: [{ url: 'https://api.a.example' }], paths: {} }));
  writeFileSync(join(ws, file), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return ws;
}

function errorOf(fn: () => unknown): WorkspaceError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspaceError);
    return error as WorkspaceError;
  }
  throw new Error('expected a WorkspaceError');
}

describe('loadWorkspace', () => {
  it('loads services with absolute paths, the directory name as default name, and a default policy', () => {
    const ws = workspace({ policy: 'policy.json', services: { acme: { openapi: 'api.json', baseUrl: 'http://127.0.0.1:4010/', credentials: [{ scheme: 'bearer', secret: { file: 'token.txt' } }] } } });
    const loaded = loadWorkspace(ws);
    expect(loaded.name).toBe(`ws${n}`);
    expect(loaded.policy).toBe(join(ws, 'policy.json'));
    expect(loaded.services).toEqual([{ name: 'acme', document: join(ws, 'api.json'), baseUrl: 'http://127.0.0.1:4010', overlays: [], credentials: [{ scheme: 'bearer', secret: { file: join(ws, 'token.txt') } }] }]);
  });

  it('reads flowgate.yaml too, and a policy given by name stays a name', () => {
    const ws = workspace('name: acme\npolicy: seed\nservices:\n  acme:\n    openapi: api.json\n', 'flowgate.yaml');
    expect(loadWorkspace(ws)).toMatchObject({ name: 'acme', policy: 'seed' });
  });

  it('names the pointer and suggests the field for a typo', () => {
    const err = errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'api.json', baseURL: 'http://x' } } })));
    expect(err.pointer).toBe('/services/acme/baseURL');
    expect(err.message).toContain('did you mean "baseUrl"?');
  });

  it('refuses a credential that names both a scheme and a parameter, or neither', () => {
    const both = errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'api.json', credentials: [{ scheme: 'x', parameter: 'token', secret: { env: 'T' } }] } } })));
    expect(both.pointer).toBe('/services/acme/credentials/0');
    expect(both.message).toContain('not both');
    const neither = errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'api.json', credentials: [{ secret: { env: 'T' } }] } } })));
    expect(neither.message).toContain('but names neither');
  });

  it('refuses a secret written in the workspace, a bad variable name, a service name programs cannot use', () => {
    expect(errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'api.json', credentials: [{ scheme: 'x', secret: 'ghp_abc' }] } } }))).pointer).toBe('/services/acme/credentials/0/secret');
    expect(errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'api.json', credentials: [{ scheme: 'x', secret: { env: 'GITHUB-TOKEN' } }] } } }))).pointer).toBe('/services/acme/credentials/0/secret/env');
    expect(errorOf(() => loadWorkspace(workspace({ services: { 'my-api': { openapi: 'api.json' } } }))).pointer).toBe('/services/my-api');
  });

  it('points at a missing document or overlay, and at invalid JSON', () => {
    expect(errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'nope.json' } } }))).pointer).toBe('/services/acme/openapi');
    expect(errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'api.json', overlays: ['x.yaml'] } } }))).pointer).toBe('/services/acme/overlays/0');
    expect(errorOf(() => loadWorkspace(workspace('{ "services": '))).message).toContain('invalid JSON');
    expect(errorOf(() => loadWorkspace(join(dir, 'nowhere'))).message).toContain('no such directory');
  });

  it('an inline scheme must say enough to be used', () => {
    const err = errorOf(() => loadWorkspace(workspace({ services: { acme: { openapi: 'api.json', credentials: [{ scheme: { type: 'apiKey', in: 'header' }, secret: { env: 'K' } }] } } })));
    expect(err.pointer).toBe('/services/acme/credentials/0/scheme');
  });
});

describe('applyOverlays (OpenAPI Overlay 1.0)', () => {
  const doc = () => ({ paths: { '/a': { get: { operationId: 'a', tags: ['x'] } }, '/b': { post: { operationId: 'b' } } } });

  it('merges updates into every selected object, appends to arrays, removes', () => {
    const out = applyOverlays(doc(), [{ file: 'o.yaml', overlay: { overlay: '1.0.0', info: { title: 'o', version: '1' }, actions: [
      { target: '$.paths.*.*', update: { 'x-flowgate-verb': 'read' } },
      { target: "$.paths['/a'].get.tags", update: 'y' },
      { target: "$.paths['/b']", remove: true },
    ] } }]);
    expect(out).toEqual({ paths: { '/a': { get: { operationId: 'a', tags: ['x', 'y'], 'x-flowgate-verb': 'read' } } } });
  });

  it('a target that selects nothing is an error naming the action (a typo must not drop a label silently)', () => {
    expect(() => applyOverlays(doc(), [{ file: 'o.yaml', overlay: { overlay: '1.0.0', actions: [{ target: "$.paths['/c'].get", update: { 'x-flowgate-labels': ['a.b'] } }] } }]))
      .toThrow(/o\.yaml at \/actions\/0\/target: .* selects nothing/);
    expect(() => applyOverlays(doc(), [{ file: 'o.yaml', overlay: { openapi: '3.1.0' } }])).toThrow(/not an OpenAPI Overlay/);
  });
});

describe('credentials', () => {
  const scheme = (s: Partial<SecurityScheme> & { name: string }): SecurityScheme => ({ type: 'http', scheme: 'bearer', ...s });
  const op = (extra: Partial<Operation> = {}) => extra as Operation;

  it('bearer, basic, apiKey in header, query and cookie, and credential parameters', () => {
    const creds: ResolvedCredential[] = [
      { kind: 'scheme', scheme: scheme({ name: 'bearer' }), secret: 't0k' },
      { kind: 'scheme', scheme: scheme({ name: 'basic', scheme: 'basic' }), secret: 'sk_live', username: undefined },
      { kind: 'scheme', scheme: { name: 'h', type: 'apiKey', in: 'header', paramName: 'X-Key' }, secret: 'k1' },
      { kind: 'scheme', scheme: { name: 'q', type: 'apiKey', in: 'query', paramName: 'key' }, secret: 'k2' },
      { kind: 'scheme', scheme: { name: 'c', type: 'apiKey', in: 'cookie', paramName: 'sid' }, secret: 'k3' },
      { kind: 'parameter', name: 'token', secret: 'xoxb' },
    ];
    const auth = authFor(op({ credentialParams: [{ name: 'token', in: 'header' }] }), creds);
    expect(auth).toEqual({
      headers: { Authorization: `Basic ${Buffer.from('sk_live:').toString('base64')}`, 'X-Key': 'k1' },
      query: { key: 'k2' },
      cookies: { sid: 'k3' },
      params: { token: 'xoxb' },
    });
  });

  it('follows the operation\'s security: the first alternative with every credential, none when no alternative has them', () => {
    const creds: ResolvedCredential[] = [{ kind: 'scheme', scheme: scheme({ name: 'b' }), secret: 't' }];
    expect(authFor(op({ security: [['a'], ['b']] }), creds).headers).toEqual({ Authorization: 'Bearer t' });
    expect(authFor(op({ security: [['a']] }), creds).headers).toEqual({});
    expect(authFor(op({ security: [] }), creds).headers).toEqual({});
  });

  it('secrets come from the environment or a file; messages name the source, never a value', async () => {
    expect(await readSecret({ env: 'FG_T' }, { FG_T: 'abc' })).toBe('abc');
    await expect(readSecret({ env: 'FG_T' }, {})).rejects.toThrow('the environment variable FG_T is not set');
    const file = join(dir, 'secret.txt');
    writeFileSync(file, 'sekrit\n');
    expect(await readSecret({ file })).toBe('sekrit');
    await expect(readSecret({ file: join(dir, 'none.txt') })).rejects.toThrow(/the file .*none\.txt cannot be read \(ENOENT\)/);
  });
});

describe('OAuth 2 client credentials and the keyring', () => {
  it('fetches a token from the token URL with the client id and secret, keeps it until it expires, and sends it as a bearer token', async () => {
    const asked: Array<{ auth: string | undefined; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        asked.push({ auth: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: `tok-${asked.length}`, token_type: 'bearer', expires_in: 3600 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tokenUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
    try {
      const ws = { name: 'w', dir, file: join(dir, 'flowgate.json'), services: [{ name: 'api', document: 'api.json', overlays: [], credentials: [{ scheme: { type: 'oauth2' as const, tokenUrl }, clientId: 'client-1', scopes: ['read'], secret: { env: 'FG_CLIENT_SECRET' } }] }] };
      const catalog = buildCatalog([{ name: 'api', title: 'A', version: '1', host: 'a.example', serverUrl: 'https://a.example', file: 'api.json', operations: [] }]);
      const auth = new WorkspaceAuth(ws, catalog, { FG_CLIENT_SECRET: 'client-secret-1' });
      const op = { service: 'api' } as Operation;
      expect((await auth.authorize(op)).headers).toEqual({ Authorization: 'Bearer tok-1' });
      expect((await auth.authorize(op)).headers).toEqual({ Authorization: 'Bearer tok-1' });
      expect(asked).toHaveLength(1);
      expect(asked[0].auth).toBe(`Basic ${Buffer.from('client-1:client-secret-1').toString('base64')}`);
      expect(new URLSearchParams(asked[0].body).get('grant_type')).toBe('client_credentials');
      expect(new URLSearchParams(asked[0].body).get('scope')).toBe('read');
      expect(auth.secrets()).toEqual(expect.arrayContaining(['client-secret-1', 'tok-1']));
    } finally {
      server.close();
    }
  });

  it('the keyring needs an optional package; without it the message says which, and no value', async () => {
    await expect(readSecret({ keyring: { service: 'flowgate', account: 'github' } })).rejects.toThrow(/keyring entry flowgate\/github (needs the package @napi-rs\/keyring|cannot be read|has no password)/);
  });
});

describe('the command line with a workspace', () => {
  it('a broken workspace is bad input (exit 1) with the file and pointer on stderr', async () => {
    const ws = workspace({ services: { acme: { openapi: 'api.json', overlay: ['x.yaml'] } } });
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'flowgate.cjs'), 'check', join(ws, 'api.json'), '--workspace', ws], { env: { ...process.env, FLOWGATE_DATA: join(dir, 'data') }, timeout: 120_000 }, (error, _stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stderr });
      });
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('flowgate.json at /services/acme/overlay: "overlay" is not a field of the service "acme"; did you mean "overlays"?');
  });
});

describe('the HTTP transport with a workspace\'s credentials', () => {
  it('adds them on the host, sends form bodies, and scrubs every secret from what comes back', async () => {
    const seen: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echo: req.headers.authorization, url: req.url }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const op = {
      id: 'acme.post', service: 'acme', name: 'post', method: 'POST', path: '/things/{id}', host: 'api.acme.example', serverUrl: 'https://api.acme.example/v1',
      params: [{ name: 'id', in: 'path', required: true, schema: {} }, { name: 'meta', in: 'body', required: false, schema: {} }],
      bodyEncoding: 'form', credentialParams: [{ name: 'token', in: 'body' }],
    } as unknown as Operation;
    const transport = createHttpTransport({
      baseUrls: { acme: `http://127.0.0.1:${port}/base` },
      authorize: async () => ({ headers: { Authorization: 'Bearer s3cr3t-token' }, query: { key: 'q-s3cr3t' }, cookies: {}, params: { token: 'p-s3cr3t' } }),
      secrets: () => ['s3cr3t-token', 'q-s3cr3t', 'p-s3cr3t'],
    });
    try {
      const answer = await transport.call(op, { id: 'a b', meta: { plan: 'pro', tags: ['x'] } }, {});
      expect(seen[0].url).toBe('/base/things/a%20b?key=q-s3cr3t');
      expect(seen[0].headers.authorization).toBe('Bearer s3cr3t-token');
      expect(new URLSearchParams(seen[0].body).get('meta[plan]')).toBe('pro');
      expect(new URLSearchParams(seen[0].body).get('token')).toBe('p-s3cr3t');
      expect(answer.body).toEqual({ echo: 'Bearer [REDACTED:credential]', url: '/base/things/a%20b?key=[REDACTED:credential]' });
    } finally {
      server.close();
    }
  });

  it('encodes nested form values in bracket notation', () => {
    expect(formEncode({ a: 1, m: { k: 'v' }, e: ['x', 'y'], n: null })).toBe('a=1&m%5Bk%5D=v&e%5B0%5D=x&e%5B1%5D=y&n=');
  });
});

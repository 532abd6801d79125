/**
 * A core that switches workspaces while it runs (the workbench's switcher): the catalog it
 * serves changes, programs reach the new workspace's API with its credentials, and a submission
 * made before the switch still runs against its own APIs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreService } from './core-service.ts';
import { resolveCatalog } from './environment.ts';
import { openRuntime, type Runtime } from './runtime.ts';

let runtime: Runtime;
let data: string;
let server: Server;
const seen: Array<{ url: string; key: string | undefined }> = [];
const KEY = `key-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'flowgate-switch-'));
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', key: req.headers['x-api-key'] as string | undefined });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'w1', name: 'Widget' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  writeFileSync(join(data, 'widgets.yaml'), [
    'openapi: 3.1.0',
    'info: { title: Widgets, version: "1" }',
    'servers: [{ url: "https://api.widgets.example/v2" }]',
    'components:',
    '  securitySchemes: { key: { type: apiKey, in: header, name: X-Api-Key } }',
    'security: [{ key: [] }]',
    'paths:',
    '  /widgets/{id}:',
    '    get:',
    '      operationId: widgets/get',
    '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
    '      responses:',
    '        "200": { description: ok, content: { application/json: { schema: { type: object, properties: { id: { type: string }, name: { type: string } } } } } }',
  ].join('\n'));
  writeFileSync(join(data, 'key.txt'), `${KEY}\n`);
  writeFileSync(join(data, 'flowgate.json'), JSON.stringify({
    name: 'widgets-ws',
    services: { widgets: { openapi: 'widgets.yaml', baseUrl: `http://127.0.0.1:${port}`, credentials: [{ scheme: 'key', secret: { file: 'key.txt' } }] } },
  }));
  writeFileSync(join(data, 'policy.json'), JSON.stringify({ permissions: { widgets: ['read'], salesforce: ['read'] }, egress: ['api.widgets.example', 'salesforce.com'] }));
  runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: data });
});
afterAll(async () => {
  await runtime?.close();
  server?.close();
  rmSync(data, { recursive: true, force: true });
});

describe('switching workspaces', () => {
  it('serves the new workspace, with its credentials, and keeps earlier submissions on their own APIs', async () => {
    const core = new CoreService(runtime);
    const policy = { name: join(data, 'policy.json') };
    const early = await core.call('submit', { source: "return (await salesforce.getAccount({ accountId: 'acc_003' })).id;", policy });

    const opened = await core.call('workspace.open', { dir: data });
    expect(opened).toMatchObject({ name: 'widgets-ws', dir: data, demo: false, services: ['widgets'], operations: 1 });
    expect((await core.call('hello', { client: 'test', version: 1 })).catalog).toBe('widgets-ws');
    expect((await core.call('workspace.get', {})).known.map((w) => w.name)).toEqual(['demo', 'widgets-ws']);
    expect((await core.call('catalog.get', {})).declarations).toContain('widgetsGet(');

    const late = await core.call('submit', { source: "const w = await widgets.widgetsGet({ id: 'w1' });\nreturn w.name;", policy });
    expect(late.analysis?.verdict).toBe('allow');
    const ran = await core.call('run', { id: late.id });
    expect(ran).toMatchObject({ status: 'ok', result: 'Widget' });
    expect(seen).toEqual([{ url: '/widgets/w1', key: KEY }]);
    expect(JSON.stringify(ran)).not.toContain(KEY);

    // Submitted while the demo was served: runs against the demo's servers, not the widgets API.
    expect(await core.call('run', { id: early.id })).toMatchObject({ status: 'ok', result: 'acc_003' });
    expect(seen).toHaveLength(1);

    await expect(core.call('workspace.open', { dir: join(data, 'nowhere') })).rejects.toMatchObject({ code: 'bad-workspace' });
    expect((await core.call('workspace.open', { dir: 'demo' })).demo).toBe(true);
    expect((await core.call('hello', { client: 'test', version: 1 })).catalog).toBe('demo');
  });
});

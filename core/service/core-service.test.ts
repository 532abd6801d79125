/** Protocol methods that guard the core itself: programs too large to analyse on its thread. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreService } from './core-service.ts';
import { resolveCatalog } from './environment.ts';
import { MAX_PROGRAM_BYTES } from './limits.ts';
import { openRuntime, type Runtime } from './runtime.ts';

let runtime: Runtime;
let data: string;
beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'flowgate-core-'));
  runtime = await openRuntime({ catalog: await resolveCatalog('demo'), dataDir: data });
});
afterAll(async () => {
  await runtime?.close();
  rmSync(data, { recursive: true, force: true });
});

describe('CoreService', () => {
  it('refuses to analyse or submit a program over the size limit, and still answers after', async () => {
    const core = new CoreService(runtime);
    const huge = `// ${'x'.repeat(MAX_PROGRAM_BYTES)}\nreturn 1;`;
    await expect(core.call('analyze', { source: huge, policy: { name: 'seed' } })).rejects.toMatchObject({ code: 'too-large' });
    await expect(core.call('submit', { source: huge, policy: { name: 'seed' } })).rejects.toMatchObject({ code: 'too-large' });
    expect((await core.call('analyze', { source: 'return 1;', policy: { name: 'seed' } })).verdict).toBe('allow');
  });

  it('streams every stored record of a run to its clients as it is written (the live timeline)', async () => {
    const core = new CoreService(runtime);
    const seen: Array<{ traceId: string; kind: string; seq: number }> = [];
    const stop = core.onEvent((event) => {
      if (event.type === 'audit') seen.push(event.record);
    });
    const submitted = await core.call('submit', { source: `const a = await salesforce.getAccount({ accountId: 'acc_002' });\nconsole.log(a.id);\nreturn a.id;`, policy: { name: 'seed' } });
    await core.call('run', { id: submitted.id });
    stop();
    const kinds = seen.filter((r) => r.traceId === submitted.traceId).map((r) => r.kind);
    expect(kinds).toEqual(['submission', 'analysis', 'run.start', 'api.call', 'console', 'run.end']);
    const stored = await core.call('trace.get', { traceId: submitted.traceId });
    expect(seen.filter((r) => r.traceId === submitted.traceId).map((r) => r.seq)).toEqual(stored.map((r) => r.seq));
  });
});

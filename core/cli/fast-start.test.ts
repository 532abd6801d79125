/**
 * The CLI's start-up hooks (fast-start.ts) load TypeScript without Node's format detection and
 * export lexing: ES module and CommonJS users must still get the very same module, every name included.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('TypeScript through the start-up hooks', () => {
  it('is one object for import and require, with every named export', () => {
    const result = spawnSync(process.execPath, [join(import.meta.dirname, 'testing', 'typescript-facade.ts')], { encoding: 'utf8', timeout: 110_000 });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { sameObject: boolean; namedMatch: boolean; version: string; names: number; cjsNames: number };
    const ts = createRequire(import.meta.url)('typescript') as { version: string };
    expect(report).toMatchObject({ sameObject: true, namedMatch: true, version: ts.version });
    // The namespace holds the default export plus every identifier-named export of the module.
    expect(report.names).toBe(report.cjsNames + 1);
  }, 120_000);
});

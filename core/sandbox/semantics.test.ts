/**
 * Differential tests of the interpreter: each case of core/sandbox/fixtures/semantics/programs.ts
 * runs natively in V8 (the oracle) and in Flowgate's interpreter inside the isolate; their
 * results must be the same JSON. Label tracking must never change what a program computes.
 */
import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTraceContext } from '../audit/trace.ts';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadPolicy } from '../policy/index.ts';
import { runProgram } from './run.ts';

const file = readFileSync(join(import.meta.dirname, 'fixtures', 'semantics', 'programs.ts'), 'utf8');
const cases = file.split(/^\/\/ case: /m).slice(1).map((chunk) => {
  const newline = chunk.indexOf('\n');
  return { name: chunk.slice(0, newline).trim(), source: chunk.slice(newline + 1) };
});

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(demoCatalogFiles(1));
});

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

describe('the interpreter computes what JavaScript computes', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(30));
  for (const c of cases) {
    it(c.name, async () => {
      const wrapped = stripTypeScriptTypes(`async function oracle(params) {\n${c.source}\n}`, { mode: 'strip' });
      // Strict mode, as Flowgate programs are.
      const native = await new AsyncFunction('params', `'use strict';${wrapped.slice(wrapped.indexOf('{') + 1, wrapped.lastIndexOf('}'))}`)({});
      const result = await runProgram({
        source: c.source, catalog, policy: loadPolicy('seed'),
        transport: { call: async () => ({ status: 500, body: { error: 'no API in these cases' } }) },
        trace: newTraceContext(),
        limits: { maxDurationMs: 60_000 },
      });
      expect(result.error, JSON.stringify(result.error)).toBeUndefined();
      expect(result.status).toBe('ok');
      expect(JSON.stringify(result.result)).toBe(JSON.stringify(native));
    });
  }
});

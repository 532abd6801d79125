/**
 * Programs nested past what anyone writes are refused on their parse, before the type checker
 * (superlinear on such trees) can keep the host busy: with the line, and a benign twin.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadPolicy } from '../policy/index.ts';
import { analyzeProgram } from './index.ts';
import { MAX_NESTING, tooDeep } from './nesting.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(demoCatalogFiles(1));
});

describe('nesting', () => {
  it('a 32,000-term chain of additions is denied as too deep, at its line', () => {
    const source = `const a = 1;\nconst x = 1${' + 1'.repeat(32_000)};\nreturn x;\n`;
    const analysis = analyzeProgram(source, catalog, loadPolicy('seed'));
    expect(analysis.verdict).toBe('deny');
    expect(analysis.diagnostics).toEqual([expect.objectContaining({ code: 'too-deep', line: 2, blocking: true })]);
  });

  it('deep brackets and nested calls count too; what programs really write does not', () => {
    expect(tooDeep(`return ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)};`)).toBeDefined();
    expect(tooDeep(`return ${'f('.repeat(MAX_NESTING)}1${')'.repeat(MAX_NESTING)};`)).toBeDefined();
    const twin = `const x = 1${' + 1'.repeat(60)};\nconst o = { a: { b: { c: [1, [2, [3]]] } } };\nreturn x + o.a.b.c.length;\n`;
    expect(tooDeep(twin)).toBeUndefined();
    expect(analyzeProgram(twin, catalog, loadPolicy('seed')).verdict).toBe('allow');
  });
});

/**
 * Test helper (child process): with the CLI's start-up hooks installed, TypeScript imported as an
 * ES module (default and named exports) and required as CommonJS must be one and the same object.
 * Prints a JSON verdict.
 */
import '../fast-start.ts';
import { createRequire } from 'node:module';

const esm = await import('typescript');
const cjs = createRequire(import.meta.url)('typescript') as Record<string, unknown>;
process.stdout.write(JSON.stringify({
  sameObject: esm.default === cjs,
  namedMatch: esm.createSourceFile === cjs.createSourceFile && esm.SyntaxKind === cjs.SyntaxKind,
  version: esm.version,
  names: Object.keys(esm).length,
  cjsNames: Object.keys(cjs).length,
}));

/**
 * Start-up help for the command line, installed before any command loads.
 *
 * TypeScript ships as one 9 MB CommonJS file in a package without a `"type"` field. Imported from
 * ES modules (the analysis does, `import ts from 'typescript'`), Node would first scan all of it
 * for ES module syntax to guess its format, then lex all of it again to find its named exports:
 * most of a second on a busy machine. These hooks load that one file with `require` (which does
 * neither) and hand ES modules a facade exporting the same object and the same names. Every other
 * module resolves and loads as Node decides.
 */
import { createRequire, registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const TYPESCRIPT = /\/node_modules\/typescript\/lib\/typescript\.js$/;
const KEY = Symbol.for('flowgate.cli.typescript');
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const require = createRequire(import.meta.url);
/** Set while the real file loads through `require`, which passes through these hooks too. */
let loadingReal = false;

registerHooks({
  load(url, context, nextLoad) {
    // `require('typescript')` from CommonJS keeps Node's own loading (and gets the same cached object).
    if (loadingReal || !TYPESCRIPT.test(url) || !context.conditions?.includes('import')) return nextLoad(url, context);
    loadingReal = true;
    let ts: Record<string, unknown>;
    try {
      ts = require(fileURLToPath(url)) as Record<string, unknown>;
    } finally {
      loadingReal = false;
    }
    (globalThis as Record<symbol, unknown>)[KEY] = ts;
    const names = Object.keys(ts).filter((name) => IDENTIFIER.test(name) && name !== 'default');
    const source = `const ts = globalThis[Symbol.for('flowgate.cli.typescript')];\nexport default ts;\nexport const { ${names.join(', ')} } = ts;\n`;
    return { format: 'module', source, shortCircuit: true };
  },
});

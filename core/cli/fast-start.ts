/**
 * Start-up help for the command line, installed before any command loads.
 *
 * TypeScript ships as one 9 MB CommonJS file in a package without a `"type"` field; imported
 * from ES modules (the analysis does), Node would first scan all of it for ES module syntax to
 * guess its format (half a second on a busy machine). A module hook says "CommonJS" for that one
 * file, which is what it is; every other module resolves and loads as Node decides.
 */
import { registerHooks } from 'node:module';

const TYPESCRIPT = /\/node_modules\/typescript\/lib\/typescript\.js$/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return resolved.format == null && TYPESCRIPT.test(resolved.url) ? { ...resolved, format: 'commonjs' } : resolved;
  },
});

/**
 * Test helper (child process): analyses program files with their `// policy:` and `// catalog:`
 * headers and prints what the analysis concluded as JSON, with TypeScript's lib files as they
 * ship (`plain`) or as the CLI reads them, without comments (`stripped`). A process reads each
 * lib file once, so the two must be compared across processes.
 * Usage: node analyze-many.ts plain|stripped <file>…
 */
import { readFileSync } from 'node:fs';
import { createAnalyzer, type Analyzer } from '../../analysis/index.ts';
import { loadPolicy } from '../../policy/index.ts';
import { resolveCatalog } from '../../service/environment.ts';
import { strippedLibReader } from '../libs.ts';

const [mode, ...files] = process.argv.slice(2);
const libs = mode === 'stripped' ? strippedLibReader() : undefined;
const analyzers = new Map<string, Analyzer>();
const out: Record<string, unknown> = {};
for (const file of files) {
  const source = readFileSync(file, 'utf8');
  const header = (key: string) => new RegExp(`^// ${key}: (.+)$`, 'm').exec(source)?.[1].trim();
  const policy = header('policy') ?? 'seed';
  const catalog = header('catalog') ?? 'demo';
  const key = `${policy}|${catalog}`;
  let analyzer = analyzers.get(key);
  if (!analyzer) {
    analyzer = createAnalyzer((await resolveCatalog(catalog)).catalog, loadPolicy(policy), libs ? { readLib: libs.read } : {});
    analyzers.set(key, analyzer);
  }
  const a = analyzer.analyze(source);
  out[file] = {
    verdict: a.verdict,
    complete: a.complete,
    reasons: a.reasons.map((r) => [r.code, r.verdict, r.line, r.column, r.message]),
    diagnostics: a.diagnostics.map((d) => [d.code, d.severity, d.blocking, d.line, d.column, d.message]),
    flows: a.flows.map((f) => [f.label, f.destination, f.line, f.verdict]),
    calls: a.calls.map((c) => [c.service, c.operation, c.line, c.labels, c.destinations]),
  };
}
process.stdout.write(JSON.stringify(out));

/**
 * Static analysis latency (issue 3): a 50-line and a 500-line program generated from realistic
 * code (reads, loops, helpers, closures, a class, posts), cold (a new TypeScript service; the
 * first one in the process also parses the lib files) and warm (the same analyzer re-analysing
 * the program after an edit, as the workbench does while the user types).
 */
import ts from 'typescript';
import { createAnalyzer } from '../core/analysis/index.ts';
import { loadCatalog } from '../core/catalog/index.ts';
import { demoCatalogFiles } from '../core/demo/index.ts';
import { loadPolicy } from '../core/policy/index.ts';
import { median, type BenchSection } from './report.ts';

/** One realistic block of about ten lines; `i` keeps names unique. */
function block(i: number): string {
  return [
    `const emp${i} = await workday.getEmployee({ employeeId: 'emp_${String((i % 60) + 1).padStart(3, '0')}' });`,
    `const team${i} = await workday.listEmployees({ department: emp${i}.department });`,
    `const names${i} = team${i}.employees.filter((e) => e.status === 'active').map((e) => e.name);`,
    `function line${i}(who: string, n: number): string {`,
    `  return \`\${who}: \${n} colleagues in \${emp${i}.department}\`;`,
    `}`,
    `let count${i} = 0;`,
    `for (const n of names${i}) if (n.length > 3) count${i}++;`,
    `const text${i} = line${i}(emp${i}.name, count${i});`,
    `if (count${i} > 2) await slack.postMessage({ channel: '#eng', text: text${i} });`,
  ].join('\n');
}

const HEADER = [
  `class Digest {`,
  `  parts: string[] = [];`,
  `  add(p: string) { this.parts.push(p); }`,
  `  render() { return this.parts.join('\\n'); }`,
  `}`,
  `const digest = new Digest();`,
].join('\n');

function program(lines: number): string {
  const blocks: string[] = [HEADER];
  let n = 6;
  for (let i = 0; n + 11 <= lines - 2; i++, n += 11) blocks.push(block(i), `digest.add(text${i});`);
  while (n < lines - 2) blocks.push(`digest.add('filler ${n++}');`);
  blocks.push(`await slack.postMessage({ channel: '#general', text: digest.render() });`, `return 'ok';`);
  return blocks.join('\n');
}

export default async function analysisBench(): Promise<BenchSection> {
  const catalog = await loadCatalog(demoCatalogFiles(1));
  const policy = loadPolicy('hr-assistant');
  const rows: BenchSection['rows'] = [];
  const notes: string[] = [];
  const readLib = (f: string) => ts.sys.readFile(f);
  let first = true;
  for (const [size, goal] of [[50, 50], [500, 300]] as const) {
    const source = program(size);
    const lineCount = source.split('\n').length;
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const analyzer = createAnalyzer(catalog, policy, { readLib }); // a fresh TypeScript service
      const t0 = performance.now();
      const r = analyzer.analyze(source);
      cold.push(performance.now() - t0);
      if (i === 0) notes.push(`${lineCount}-line program: ${r.calls.length} call sites, verdict ${r.verdict}, complete ${r.complete}`);
    }
    if (first) rows.push({ metric: 'first analysis in the process (lib files parsed)', value: `${cold[0].toFixed(0)} ms` });
    rows.push({ metric: `${lineCount}-line program, cold (new TypeScript service)`, value: `${median(cold.slice(first ? 1 : 0)).toFixed(0)} ms` });
    first = false;
    const analyzer = createAnalyzer(catalog, policy);
    analyzer.analyze(source);
    const warm: number[] = [];
    for (let i = 0; i < 15; i++) {
      const edited = source.replace("return 'ok';", `return 'ok ${i}';`);
      const t0 = performance.now();
      analyzer.analyze(edited);
      warm.push(performance.now() - t0);
    }
    const w = median(warm);
    rows.push({ metric: `${lineCount}-line program, warm (after an edit)`, value: `${w.toFixed(1)} ms`, goal: `≤ ${goal} ms`, met: w <= goal });
  }
  return { title: 'Static analysis (core/analysis)', rows, notes };
}

/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn and prints its table. Figures, not
 * pass/fail: a goal not met is printed as such. `npm run bench -- runtime` runs only the
 * benchmarks whose file name contains "runtime".
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatSection, type BenchSection } from './report.ts';

const filter = process.argv[2];
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();

process.stdout.write(`Flowgate benchmarks — Node ${process.version}, ${new Date().toISOString()}\n`);
for (const file of files) {
  const module = (await import(join(import.meta.dirname, file))) as { default: () => Promise<BenchSection | BenchSection[]> };
  const started = performance.now();
  try {
    const sections = [await module.default()].flat();
    for (const section of sections) process.stdout.write(formatSection(section) + '\n');
  } catch (error) {
    process.stdout.write(`\n## ${file}\n\nfailed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
  process.stdout.write(`\n(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

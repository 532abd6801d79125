/**
 * `node scripts/cli-readme.ts`: rewrites README.md's table of commands (between
 * `<!-- cli:begin -->` and `<!-- cli:end -->`) from core/cli/spec.ts. core/cli/contract.test.ts
 * fails until the README matches the spec.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeTable } from '../core/cli/spec.ts';

const README = join(import.meta.dirname, '..', 'README.md');
const text = readFileSync(README, 'utf8');
const section = /(<!-- cli:begin -->\n)[\s\S]*?(\n<!-- cli:end -->)/;
if (!section.test(text)) {
  process.stderr.write('README.md has no <!-- cli:begin --> … <!-- cli:end --> section\n');
  process.exit(1);
}
const updated = text.replace(section, (_all, begin: string, end: string) => `${begin}${readmeTable()}${end}`);
if (updated === text) process.stderr.write('README.md: the table of commands is up to date\n');
else {
  writeFileSync(README, updated);
  process.stderr.write('README.md: rewrote the table of commands from core/cli/spec.ts\n');
}

/**
 * The CLI reads TypeScript's lib files without their comments (libs.ts). That must change
 * nothing an analysis concludes: every story, every program of the adversarial corpus and a
 * few programs that misuse built-ins are analysed with the libs as shipped and as stripped
 * (in two processes: a process reads each lib once) and must agree field by field.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'flowgate-libs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const BUILTIN_MISUSE: Record<string, string> = {
  'string-method.ts': `const s = 'abc';\nreturn s.toUpperCase(1) + s.padStart('x');\n`,
  'collections.ts': `const m = new Map<string, number>();\nm.set(1, 'a');\nconst xs = [1, 2, 3].at('1');\nreturn [...new Set(xs)].findLast((x) => x.length);\n`,
  'es-version.ts': `const g = Object.groupBy([1, 2], (x) => x);\nconst p = await Promise.allSettled([1]);\nreturn [g, p, 'a'.replaceAll('a', 'b'), [1].toSorted()];\n`,
  'deprecated.ts': `const x = escape('a b');\nreturn 'abc'.substr(1) + x;\n`,
};

function analyse(mode: 'plain' | 'stripped', files: string[]): Record<string, unknown> {
  const result = spawnSync(process.execPath, [join(root, 'core', 'cli', 'testing', 'analyze-many.ts'), mode, ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FLOWGATE_CACHE: join(work, 'cache') },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 170_000,
  });
  if (result.status !== 0) throw new Error(`analyze-many ${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('TypeScript lib files without comments', () => {
  it('give every program the same analysis as the libs as shipped', () => {
    const corpus = join(root, 'core', 'analysis', 'fixtures', 'corpus');
    const stories = join(root, 'core', 'demo', 'stories');
    const files = [
      ...readdirSync(stories).filter((f) => f.endsWith('.ts')).map((f) => join(stories, f)),
      ...readdirSync(corpus).filter((f) => f.endsWith('.ts')).map((f) => join(corpus, f)),
      ...Object.entries(BUILTIN_MISUSE).map(([name, text]) => {
        writeFileSync(join(work, name), text);
        return join(work, name);
      }),
    ];
    const plain = analyse('plain', files);
    const stripped = analyse('stripped', files);
    expect(Object.keys(stripped)).toHaveLength(files.length);
    for (const file of files) expect(stripped[file], file).toEqual(plain[file]);
    // The misuse programs do produce type errors: the comparison is not of empty lists.
    const misuse = plain[join(work, 'string-method.ts')] as { diagnostics: unknown[] };
    expect(misuse.diagnostics.length).toBeGreaterThan(0);
  }, 180_000);
});

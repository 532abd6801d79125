/**
 * Reads sandbox fixture programs: a program file whose header comments say what must happen.
 *   // expect-status: ok | denied | limit | error      (or expect-status-one-of: a b)
 *   // expect-code: maxDuration                        (the error code)
 *   // expect-result: <JSON>                           // expect-result-excludes: <text>
 *   // expect-error: <text in the error message>       // expect-console: <text in some line>
 *   // expect-console-max-chars: <n>                   // expect-calls: <n>
 *   // limits: {"maxDurationMs": 800}                  // policy: seed
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Fixture {
  name: string;
  source: string;
  expect: Record<string, string>;
}

export function readFixtures(dir: string): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((name) => {
      const source = readFileSync(join(dir, name), 'utf8');
      const expect: Record<string, string> = {};
      for (const match of source.matchAll(/^\/\/ ([a-z-]+): (.*)$/gm)) expect[match[1]] = match[2].trim();
      return { name, source, expect };
    });
}

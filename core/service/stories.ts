/**
 * The demo stories of SCENARIOS.md as programs (core/demo/stories/NN-name.ts) with their header:
 * title, policy, catalog, intent and what should happen. The workbench's Demo menu loads them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoStory } from './protocol.ts';

export const STORIES_DIR = join(import.meta.dirname, '..', 'demo', 'stories');

export function readStories(dir = STORIES_DIR): DemoStory[] {
  return readdirSync(dir)
    .filter((f) => /^\d+-.*\.ts$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const header: Record<string, string> = {};
      for (const m of text.matchAll(/^\/\/ ([a-z]+): (.*)$/gm)) header[m[1]] ??= m[2].trim();
      const source = text.split('\n').filter((line) => !/^\/\/ (title|policy|catalog|intent|expected|expect|expect-reason|expect-diagnostic): /.test(line)).join('\n');
      return {
        id: Number.parseInt(file, 10),
        title: header.title ?? file,
        policy: header.policy ?? 'seed',
        catalog: header.catalog === 'demo-v2' ? 'demo-v2' : 'demo',
        intent: header.intent ?? header.title ?? file,
        source,
        expected: header.expected ?? '',
      };
    });
}

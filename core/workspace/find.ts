/**
 * Where a workspace file is (no parsing): a module of its own so that asking "is there a
 * workspace here?" loads nothing else (the CLI asks on every start).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The names a workspace file may have, in the order they are looked for. */
export const WORKSPACE_FILES = ['flowgate.json', 'flowgate.yaml', 'flowgate.yml'] as const;

/** The workspace file in `dir`, if there is one. */
export function findWorkspaceFile(dir: string): string | undefined {
  for (const name of WORKSPACE_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

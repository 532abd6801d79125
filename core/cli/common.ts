/** What the CLI commands share: exit codes, bad-input errors, reading a program, options. */
import { readFileSync, statSync } from 'node:fs';
import { MAX_PROGRAM_BYTES } from '../service/limits.ts';

export const EXIT = {
  ok: 0,
  badInput: 1,
  deny: 2,
  needsApproval: 3,
  limit: 4,
  threw: 5,
} as const;

/** Input the user must fix: printed as one line on stderr, exit 1. */
export class BadInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInput';
  }
}


export function readProgram(file: string | undefined): string {
  if (!file) throw new BadInput('no program file given');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new BadInput(`cannot read program ${file}: no such file`);
  }
  if (size > MAX_PROGRAM_BYTES) throw new BadInput(`${file}: the program is ${size} bytes; programs are limited to ${MAX_PROGRAM_BYTES} bytes`);
  const text = readFileSync(file, 'utf8');
  if (text.includes('\u0000')) throw new BadInput(`${file}: this is not a text file`);
  return text;
}

/**
 * The policy a command uses: `--policy` when given, else the workspace's own (`policy` in its
 * flowgate.json), else `seed`.
 */
export function policyOption(given: string | undefined, choice: { workspace?: { policy?: string } }): string {
  return given ?? choice.workspace?.policy ?? 'seed';
}

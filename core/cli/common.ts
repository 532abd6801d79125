/** What the CLI commands share: exit codes, bad-input errors, reading a program. */
import { readFileSync, statSync } from 'node:fs';
import { MAX_PROGRAM_BYTES } from '../service/limits.ts';

/**
 * Exit codes. One situation has one code in every command: bad input is always 1, a denial
 * (or a tampered log) 2, needs approval 3, a limit 4, a program that threw 5.
 */
export const EXIT = {
  ok: 0,
  badInput: 1,
  deny: 2,
  needsApproval: 3,
  limit: 4,
  threw: 5,
  /** A bug in Flowgate, not in the input (EX_SOFTWARE of sysexits.h). */
  internal: 70,
} as const;

export type ExitName = keyof typeof EXIT;

/** Input the user must fix: printed on stderr, exit 1. */
export class BadInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInput';
  }
}

/** Reads a program file: a clear error when it is missing, too large, binary or empty. */
export function readProgram(file: string | undefined): string {
  if (!file) throw new BadInput('no program file given');
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new BadInput(`${file}: is a folder; give the program's file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof BadInput) throw error;
    throw new BadInput(`cannot read program ${file}: no such file`);
  }
  if (size > MAX_PROGRAM_BYTES) throw new BadInput(`${file}: the program is ${size} bytes; programs are limited to ${MAX_PROGRAM_BYTES} bytes`);
  const text = readFileSync(file, 'utf8');
  if (text.includes('\u0000')) throw new BadInput(`${file}: this is not a text file`);
  if (!text.trim()) throw new BadInput(`${file}: the program is empty; a program is the body of an async function (e.g. \`return await salesforce.getAccount({ accountId: 'acc_001' });\`)`);
  return text;
}

/**
 * What `serve` and `mcp` judge agents' submissions by when neither `--policy` nor a workspace
 * names a policy. Not `seed`: it permits Slack's `post` without `slack.com` in `egress`, so it
 * would refuse a call it advertises (README, "Which policy").
 */
export const DEFAULT_SERVED_POLICY = 'seed-workspace';

/** The demo policies, as bad-input messages name them. */
export const DEMO_POLICIES = 'seed, hr-assistant, seed-workspace';

/**
 * The policy a command uses: `--policy` when given, else the workspace's own (`policy` in its
 * flowgate.json), else `fallback`; without a fallback (check, run) a missing policy is bad input.
 */
export function policyOption(given: string | undefined, choice: { workspace?: { policy?: string } }, fallback?: string): string {
  const policy = given ?? choice.workspace?.policy ?? fallback;
  if (policy === undefined) throw new BadInput(`--policy is required: name a policy file or a demo policy (${DEMO_POLICIES}; they are in policies/), or use a workspace whose flowgate.json names one`);
  return policy;
}

/**
 * `flowgate check <program.ts> --policy <file|name> [--catalog …|--workspace <dir>] [--json]`: the analysis and
 * the policy's lint, without running anything. Exit 0 allow · 3 needs approval · 2 deny ·
 * 1 bad input (spec.ts).
 *
 * Start-up is most of a check's time, so this path loads only what it needs: the policy and
 * catalog come through the start-up cache (load.ts), the TypeScript lib files without their
 * comments (libs.ts), and nothing that runs programs (no sandbox, no isolated-vm).
 */
import { createHash } from 'node:crypto';
import { analyzeProgram } from '../analysis/index.ts';
import { lintPolicy } from '../policy/lint.ts';
import { AtRestStore } from '../sandbox/at-rest.ts';
import { dataDir } from '../service/data-dir.ts';
import { EXIT, policyOption, readProgram } from './common.ts';
import { checkJson, checkText } from './format.ts';
import { strippedLibReader } from './libs.ts';
import { choiceFor, policyFor } from './load.ts';
import { assertProgram } from './program.ts';
import type { ParsedCommand } from './spec.ts';

export const VERDICT_EXIT = { allow: EXIT.ok, 'needs-approval': EXIT.needsApproval, deny: EXIT.deny } as const;

export default async function check({ values, positionals }: ParsedCommand): Promise<number> {
  const file = positionals[0];
  const source = readProgram(file);
  const choice = await choiceFor({ workspace: values.workspace as string | undefined, catalog: values.catalog as string | undefined });
  const policy = await policyFor(policyOption(values.policy as string | undefined, choice));
  const libs = strippedLibReader();
  const analysis = analyzeProgram(source, choice.catalog, policy, {
    readLib: libs.read,
    hash: (text) => createHash('sha256').update(text).digest('hex'),
    // What earlier runs wrote into destinations comes back labelled (ENFORCEMENT.md, rule 5).
    atRest: AtRestStore.inDir(dataDir()).lookup(),
  });
  libs.save();
  assertProgram(file, source, analysis);
  const report = { file, policy: policy.name, catalog: choice.name, analysis, lint: lintPolicy(policy, choice.catalog) };
  process.stdout.write((values.json ? JSON.stringify(checkJson(report), null, 2) : checkText(report)) + '\n');
  return VERDICT_EXIT[analysis.verdict];
}

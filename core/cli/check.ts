/** `flowgate check <program.ts> --policy <file|name> [--catalog …|--workspace <dir>] [--json]`: exit 0 allow · 3 needs approval · 2 deny · 1 bad input. */
import { parseArgs } from 'node:util';
import { analyzeProgram } from '../analysis/index.ts';
import { lintPolicy, loadPolicy } from '../policy/index.ts';
import { dataDir, resolveChoice } from '../service/environment.ts';
import { sha256 } from '../service/execute.ts';
import { EXIT, policyOption, readProgram } from './common.ts';
import { checkJson, checkText } from './format.ts';
import { AtRestStore } from '../sandbox/at-rest.ts';

export const VERDICT_EXIT = { allow: EXIT.ok, 'needs-approval': EXIT.needsApproval, deny: EXIT.deny } as const;

export default async function check(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { policy: { type: 'string' }, catalog: { type: 'string' }, workspace: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  const source = readProgram(file);
  const choice = await resolveChoice({ workspace: values.workspace, catalog: values.catalog });
  const { catalog } = choice;
  const policy = loadPolicy(policyOption(values.policy, choice));
  const analysis = analyzeProgram(source, catalog, policy, { hash: sha256, atRest: AtRestStore.inDir(dataDir()).lookup() });
  const lint = lintPolicy(policy, catalog);
  if (values.json) process.stdout.write(JSON.stringify({ ...checkJson(analysis), lint }, null, 2) + '\n');
  else {
    process.stdout.write(checkText(file, analysis) + '\n');
    for (const finding of lint) process.stderr.write(`policy ${policy.name}${finding.pointer ? ` at ${finding.pointer}` : ''}: ${finding.severity}: ${finding.message}\n`);
  }
  return VERDICT_EXIT[analysis.verdict];
}

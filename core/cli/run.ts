/**
 * `flowgate run <program.ts> --policy <file|name> [--catalog …|--workspace <dir>] [--approve] [--max-duration 2s] [--json]`
 * exit 0 ok · 2 denied/blocked · 4 stopped by a limit · 5 the program threw · 1 bad input.
 * `--approve` stands for a human approving what *needs approval*; it never unlocks what the
 * policy forbids.
 */
import { parseArgs } from 'node:util';
import { analyzeProgram } from '../analysis/index.ts';
import { loadPolicy, parseDuration } from '../policy/index.ts';
import { dataDir, resolveChoice } from '../service/environment.ts';
import { sha256 } from '../service/execute.ts';
import { DEV_PROOF, Submissions } from '../service/submissions.ts';
import { BadInput, EXIT, policyOption, readProgram } from './common.ts';
import { runJson, runText } from './format.ts';
import { openRuntime } from '../service/runtime.ts';
import { AtRestStore } from '../sandbox/at-rest.ts';

const STATUS_EXIT = { ok: EXIT.ok, denied: EXIT.deny, limit: EXIT.limit, error: EXIT.threw } as const;

export default async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      policy: { type: 'string' },
      catalog: { type: 'string' },
      workspace: { type: 'string' },
      approve: { type: 'boolean', default: false },
      'max-duration': { type: 'string' },
      param: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  const source = readProgram(file);
  const catalogChoice = await resolveChoice({ workspace: values.workspace, catalog: values.catalog });
  const policy = loadPolicy(policyOption(values.policy, catalogChoice));
  let maxDurationMs: number | undefined;
  if (values['max-duration'] !== undefined) {
    try {
      maxDurationMs = parseDuration(values['max-duration']);
    } catch (error) {
      throw new BadInput(`--max-duration: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const params = parseParams(values.param ?? []);
  const analysis = analyzeProgram(source, catalogChoice.catalog, policy, { hash: sha256, atRest: AtRestStore.inDir(dataDir()).lookup() });
  const syntax = analysis.diagnostics.find((d) => d.code === 'syntax' || /^TS1\d{3}$/.test(d.code));
  if (syntax) throw new BadInput(`${file}:${syntax.line}:${syntax.column}: ${syntax.message}`);

  const runtime = await openRuntime({ catalog: catalogChoice });
  try {
    const submissions = new Submissions(runtime);
    const { state: submission } = submissions.submit({ source, intent: `flowgate run ${file}`, agent: 'cli', policy, analysis, params });
    if (analysis.verdict === 'needs-approval' && values.approve) {
      // The local-development fallback: no reviewer passkey, and the trace says so (DEV_PROOF).
      submissions.decide(submission.id, { decision: 'approve', who: 'cli --approve', reason: 'approved on the command line with --approve', proof: DEV_PROOF });
    }
    const result = await submissions.run(submission.id, {
      limits: maxDurationMs === undefined ? undefined : { maxDurationMs },
      approveAtRuntime: values.approve,
    });
    process.stdout.write((values.json ? JSON.stringify(runJson(result), null, 2) : runText(result)) + '\n');
    return STATUS_EXIT[result.status];
  } finally {
    await runtime.close();
  }
}

/**
 * `--param k=v` (repeatable): the task's own inputs, read by the program as `params.k`. Trusted:
 * they carry no labels. A value that parses as JSON is that JSON value, else the string.
 */
export function parseParams(items: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new BadInput(`--param ${item}: expected name=value`);
    const name = item.slice(0, eq);
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new BadInput(`--param ${item}: "${name}" is not a name a program can read as params.${name}`);
    const raw = item.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

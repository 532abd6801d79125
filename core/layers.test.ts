/**
 * The layer rule of eslint.config.js (`flowgate/layers`), run by ESLint itself on probe files:
 * a core folder may import the layers below it, never those above; the audit trail takes only
 * types from the analysis and the policy; the lifecycle model stays pure.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
// Only the import rules, without type information (probe files are in no tsconfig project).
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === 'flowgate/layers' || ruleId === 'no-restricted-imports',
});

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'flowgate/layers').map((m) => m.message);
}

describe("core's layers", () => {
  it('lets a folder import the layers below it', async () => {
    expect(await layerErrors('core/analysis/probe.ts', "import type { Policy } from '../policy/types.ts';\nimport { destinationsOf } from '../catalog/destinations.ts';\nexport const p: [Policy?, typeof destinationsOf?] = [];\n")).toEqual([]);
    expect(await layerErrors('core/service/probe.ts', "import { runProgram } from '../sandbox/run.ts';\nexport const r = runProgram;\n")).toEqual([]);
  });

  it('refuses an import of a layer above', async () => {
    expect(await layerErrors('core/policy/probe.ts', "import { analyzeProgram } from '../analysis/index.ts';\nexport const a = analyzeProgram;\n")).toEqual([expect.stringMatching(/^core\/policy may not import core\/analysis\/index.ts/)]);
    expect(await layerErrors('core/sandbox/probe.ts', "import { Submissions } from '../service/submissions.ts';\nexport const s = Submissions;\n")).toHaveLength(1);
  });

  it('lets the audit trail take only types from the analysis and the policy', async () => {
    expect(await layerErrors('core/audit/probe.ts', "import type { Analysis } from '../analysis/types.ts';\nexport type A = Analysis;\n")).toEqual([]);
    expect(await layerErrors('core/audit/probe.ts', "import { DEFAULT_LIMITS } from '../policy/types.ts';\nexport const l = DEFAULT_LIMITS;\n")).toEqual([expect.stringMatching(/at run time/)]);
  });

  it('keeps the lifecycle model away from the store and from Node', async () => {
    expect(await layerErrors('core/audit/lifecycle/probe.ts', "import { AuditLog } from '../store.ts';\nexport const s = AuditLog;\n")).toHaveLength(1);
    const [result] = await eslint.lintText("import { createHash } from 'node:crypto';\nexport const h = createHash;\n", { filePath: join(ROOT, 'core/audit/lifecycle/probe.ts') });
    expect(result.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });
});

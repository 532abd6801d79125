/**
 * The red team's adversarial corpus (fixtures/attacks), statically: no forbidden program is judged
 * `allow`, and how many benign twins are. Programs whose flow only exists after an earlier run
 * (a `// stage:` header) are judged after their stage, in core/service/attacks.test.ts; host
 * attacks (`// target: host`) carry no flow to judge.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadPolicy } from '../policy/index.ts';
import { readAttackCases, type AttackCase } from './testing/attacks.ts';
import { createAnalyzer, type Analyzer } from '../analysis/index.ts';
import type { Analysis } from '../analysis/types.ts';

let catalog: Catalog;
const analyzers = new Map<string, Analyzer>();

beforeAll(async () => {
  catalog = await loadCatalog(demoCatalogFiles(1));
});

function analyze(c: AttackCase): Analysis {
  let a = analyzers.get(c.policy);
  if (!a) analyzers.set(c.policy, (a = createAnalyzer(catalog, loadPolicy(c.policy))));
  return a.analyze(c.source);
}

const all = readAttackCases();
const forbidden = all.filter((c) => c.kind === 'forbidden');
const benign = all.filter((c) => c.kind === 'benign');
/** What a verdict here can be checked against: a flow, judged without an earlier run's labels at rest. */
const judged = forbidden.filter((c) => c.expect === 'not-allow' && !c.stage);

/** Type errors other than the subset's own refusals (a type error would make a verdict meaningless). */
function typeErrors(c: AttackCase, r: Analysis): string[] {
  if (c.refused) return [];
  return r.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'subset').map((d) => `${c.file}:${d.line} ${d.message}`);
}

describe('adversarial corpus by technique class (fixtures/attacks)', () => {
  it('has at least three forbidden programs per class, each with a benign twin, and every stage is used', () => {
    const perClass = new Map<string, number>();
    for (const c of forbidden) perClass.set(c.cls, (perClass.get(c.cls) ?? 0) + 1);
    expect([...perClass.keys()].sort()).toEqual([
      'continuation', 'forged-metadata', 'implicit-call', 'implicit-exception', 'implicit-flow', 'indirect-builtin',
      'laundering', 'parser', 'per-argument', 'resource',
    ]);
    for (const [cls, n] of perClass) expect(n, cls).toBeGreaterThanOrEqual(3);
    for (const c of forbidden) expect(benign.map((b) => b.file), c.file).toContain(`${c.name}.benign.ts`);
    for (const s of all.filter((c) => c.kind === 'stage')) expect(all.some((c) => c.stage === s.file), s.file).toBe(true);
    for (const c of all.filter((x) => x.stage)) expect(all.map((x) => x.file), c.file).toContain(c.stage);
  });

  // The analysis is what the reviewer reads; enforcement does not depend on it (every one of these
  // programs is also run, with the analysis and without, in core/service/attacks.test.ts).
  for (const c of judged.filter((x) => !x.analysisMiss)) {
    it(`${c.file} is not judged allow`, () => {
      const r = analyze(c);
      expect(typeErrors(c, r)).toEqual([]);
      expect(r.verdict, JSON.stringify(r.reasons.map((x) => [x.line, x.code]))).not.toBe('allow');
    });
  }

  it('known analysis misses (an `analysisMiss` header): no more of them than recorded, and none left marked once fixed', () => {
    const misses = judged.filter((x) => x.analysisMiss);
    const stillAllowed: string[] = [];
    for (const c of misses) {
      const r = analyze(c);
      expect(typeErrors(c, r)).toEqual([]);
      if (r.verdict === 'allow') stillAllowed.push(`${c.file}: ${c.analysisMiss}`);
      // A miss the analysis now catches: drop its header (and lower KNOWN_ANALYSIS_MISSES).
      else expect.soft(r.verdict, `${c.file} is judged ${r.verdict} now: remove its analysisMiss header`).toBe('allow');
    }
    console.log(`attack programs the analysis judges allow (the runtime stops them): ${stillAllowed.length}\n  ${stillAllowed.join('\n  ')}`);
    expect(misses.length).toBeLessThanOrEqual(KNOWN_ANALYSIS_MISSES);
  });

  it('benign twins: how many are allowed without a human (precision)', () => {
    const allowed: string[] = [];
    const notAllowed: string[] = [];
    for (const c of benign) {
      const r = analyze(c);
      expect(typeErrors(c, r)).toEqual([]);
      if (r.verdict === 'allow') allowed.push(c.file);
      else notAllowed.push(`${c.file}: ${r.verdict} (expected ${c.expect}) — ${r.reasons.map((x) => `${x.line} ${x.code}`).join(', ')}`);
    }
    console.log(`attack twins allowed statically: ${allowed.length}/${benign.length}\n  not allowed:\n  ${notAllowed.join('\n  ')}`);
    expect(allowed.length).toBeGreaterThanOrEqual(MIN_TWINS_ALLOWED);
  });
});

/** Forbidden programs the analysis is known to judge `allow` (lower it when one is fixed). */
const KNOWN_ANALYSIS_MISSES = 1;

/** Benign twins the analysis allows today (raise it when precision improves). */
const MIN_TWINS_ALLOWED = 68;

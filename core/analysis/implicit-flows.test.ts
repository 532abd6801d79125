/**
 * Implicit flows the engine makes behind the program's back, by construct (variants of the red
 * team's cases in fixtures/attacks, not the cases themselves): each `bit(b)` body below turns a
 * boolean into a number through one construct. Under a salary bit the post is not allowed; the
 * same body over a constant is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadPolicy } from '../policy/index.ts';
import type { Policy } from '../policy/types.ts';
import { analyzeProgram } from './index.ts';

let catalog: Catalog;
let hr: Policy;

beforeAll(async () => {
  catalog = await loadCatalog(demoCatalogFiles(1));
  hr = loadPolicy('hr-assistant');
});

function program(prelude: string, body: string, source: string): string {
  return `const pay = await workday.getCompensation({ employeeId: 'emp_001' });
${prelude}
function bit(b: boolean): number {
${body}
}
let n = 0;
for (let i = 0; i < 18; i++) n += bit(((${source} >> i) & 1) === 1) * (1 << i);
await slack.postMessage({ channel: '#general', text: 'n' + n });
return 'posted';`;
}

const cases: { name: string; prelude?: string; body: string }[] = [
  {
    name: 'findIndex: a counter bumped by callbacks after the first',
    body: `let calls = 0;
  [1, 2, 3].findIndex((x) => { calls++; return x === 1 && b; });
  return calls;`,
  },
  {
    name: 'every: a write made only by a later callback',
    body: `const seen: number[] = [];
  [1, 2].every((x) => { seen.push(x); return !b; });
  return seen.length;`,
  },
  {
    name: 'sort: how many comparisons the comparator sees',
    body: `let calls = 0;
  [3, 1, 2, 5, 4].sort((x, y) => { calls++; return b ? x - y : y - x; });
  return calls;`,
  },
  {
    name: 'JSON.parse reviver: which keys survive',
    body: `const o = JSON.parse('{"k":1,"j":2}', (key: string, v: unknown) => (key === 'j' && b ? undefined : v));
  return Object.keys(o).length;`,
  },
  {
    name: 'JSON.stringify replacer: the text length',
    body: `return JSON.stringify({ k: 1 }, (key: string, v: unknown) => (key === 'k' && b ? undefined : v)).length;`,
  },
  {
    name: 'TDZ: a const in a loop body that a labelled break skipped',
    body: `let probe: () => number = () => 0;
  for (let k = 0; k < 1; k++) {
    probe = () => w;
    if (b) break;
    const w = 1;
    void w;
  }
  try { probe(); return 0; } catch { return 1; }`,
  },
  {
    name: 'TDZ: a class a closure names before an early return skipped it',
    body: `let make: () => unknown = () => 0;
  function inner(s: boolean): void {
    make = () => new K();
    if (s) return;
    class K {}
  }
  inner(b);
  try { make(); return 0; } catch { return 1; }`,
  },
  {
    name: 'super(): called in one branch only, caught by the caller',
    prelude: `class Base {}
class Maybe extends Base {
  constructor(s: boolean) {
    if (s) super();
  }
}`,
    body: `try { new Maybe(b); return 0; } catch { return 1; }`,
  },
  {
    name: 'a push onto an array sealed in a branch',
    body: `const xs: number[] = [1];
  if (b) Object.seal(xs);
  try { xs.push(2); return 0; } catch { return 1; }`,
  },
  {
    name: 'Object.isFrozen after a freeze in a branch',
    body: `const o = { a: 1 };
  if (b) Object.freeze(o);
  return Object.isFrozen(o) ? 1 : 0;`,
  },
  {
    name: 'a catch() handler of a call whose arguments the bit chose',
    body: `let failed = 0;
  void workday.getEmployee({ employeeId: b ? 'emp_001' : 'nobody' }).catch(() => { failed = 1; });
  return failed;`,
  },
  {
    name: 'a then() chained after a handler, on a call whose arguments the bit chose',
    body: `let r = 0;
  void workday.getEmployee({ employeeId: b ? 'emp_001' : 'nobody' }).then(() => {}).then(() => { r = 1; });
  return r;`,
  },
  {
    name: 'a generator returned early in a branch',
    prelude: `function* two(): Generator<number> {
  yield 1;
  yield 2;
}`,
    body: `const g = two();
  if (b) g.return(0);
  return g.next().done ? 1 : 0;`,
  },
  {
    name: 'a generator consumed by for-of in a branch',
    prelude: `function* three(): Generator<number> {
  yield 1;
  yield 2;
  yield 3;
}`,
    body: `const g = three();
  if (b) {
    for (const x of g) void x;
  }
  return g.next().done ? 1 : 0;`,
  },
  {
    name: 'an array iterator consumed in a branch',
    body: `const it = [1, 2].values();
  if (b) for (const x of it) void x;
  return it.next().done ? 1 : 0;`,
  },
  {
    name: 'a generator spread in a branch',
    prelude: `function* one(): Generator<number> {
  yield 1;
}`,
    body: `const g = one();
  const xs: number[] = [];
  if (b) xs.push(...g);
  return g.next().done ? 1 : 0;`,
  },
];

describe('implicit flows of engine behaviour', () => {
  for (const c of cases) {
    it(c.name, () => {
      const secret = analyzeProgram(program(c.prelude ?? '', c.body, 'pay.salary'), catalog, hr);
      expect(secret.diagnostics.filter((d) => d.blocking)).toEqual([]);
      expect(secret.verdict, JSON.stringify(secret.reasons.map((r) => [r.line, r.code]))).not.toBe('allow');
      const constant = analyzeProgram(program(c.prelude ?? '', c.body, '37'), catalog, hr);
      expect(constant.verdict, JSON.stringify(constant.reasons.map((r) => [r.line, r.code, r.message]))).toBe('allow');
    });
  }
});

/**
 * The static verdict says what a run will withhold from the agent (sandbox/run.ts): a result or
 * console line that may carry a label the policy keeps from `agent` is a warning at its line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/types.ts';
import { demoCatalogFiles } from '../demo/index.ts';
import { loadPolicy } from '../policy/index.ts';
import { analyzeProgram } from './index.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(demoCatalogFiles(1));
});

const withheld = (source: string, policy = 'hr-assistant') =>
  analyzeProgram(source, catalog, loadPolicy(policy)).diagnostics.filter((d) => d.code === 'withheld').map((d) => ({ line: d.line, message: d.message, blocking: d.blocking }));

describe('what the agent will not read', () => {
  it('a result and a console line carrying compensation are warnings at their lines, not refusals', () => {
    const found = withheld(`const pay = await workday.getCompensation({ employeeId: 'emp_001' });
console.log('ok');
console.log('pay', pay.salary);
return { salary: pay.salary };`);
    expect(found.map((f) => f.line)).toEqual([3, 4]);
    expect(found.every((f) => !f.blocking && /workday\.compensation/.test(f.message))).toBe(true);
  });

  it('a value decided by compensation counts, and so does a return that an early return decided; a constant beside it does not (benign twin)', () => {
    expect(withheld(`const pay = await workday.getCompensation({ employeeId: 'emp_001' });
if (pay.salary > 100000) return 'high';
return 'low';`).map((f) => f.line)).toEqual([2, 3]); // reaching line 3 is decided by the salary too
    expect(withheld(`const pay = await workday.getCompensation({ employeeId: 'emp_001' });
console.log('done');
return 'ok';`)).toEqual([]);
  });

  it('story 4 under seed hands its result back: no warning', () => {
    expect(withheld(`const account = await salesforce.getAccount({ accountId: 'acc_007' });
const updated = await salesforce.updateAccount({ accountId: account.id, fields: { status: 'active' } });
return { id: updated.id, status: updated.status };`, 'seed')).toEqual([]);
  });
});

/** `test` with a `workbench` page object already open on the real core. */
import { test as base } from '@playwright/test';
import { Workbench } from './pages/workbench.ts';

export const test = base.extend<{ workbench: Workbench }>({
  workbench: async ({ page }, use) => {
    const workbench = new Workbench(page);
    await workbench.open();
    await use(workbench);
  },
});

export { expect } from '@playwright/test';

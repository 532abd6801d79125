/**
 * `test` with a `workbench` page object already open on the real core, and the page's virtual
 * passkey authenticator. Every test also fails on a page error or a console error (a CSP
 * violation, a failed request, an uncaught throw).
 */
import { test as base, expect } from '@playwright/test';
import { Authenticator } from './pages/authenticator.ts';
import { Workbench } from './pages/workbench.ts';

export const test = base.extend<{ workbench: Workbench; authenticator: Authenticator }>({
  authenticator: async ({ page }, use) => {
    await use(await Authenticator.attach(page));
  },
  workbench: async ({ page, authenticator }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    const workbench = new Workbench(page, authenticator);
    await workbench.open();
    await use(workbench);
    await workbench.keepReviewer();
    expect(problems, 'the page logged errors').toEqual([]);
  },
});

export { expect };

/**
 * Playwright: the workbench in Chromium against a real core (`flowgate serve`, started by
 * global-setup.ts with the demo APIs and a temporary FLOWGATE_DATA). Run it through
 * `npm run test:e2e` (scripts/e2e.ts), which finds the Chromium and builds the renderer first.
 */
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..');

/** The launch flags the harness promises (scripts/e2e.ts prints them). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: '*.spec.ts',
  outputDir: join(ROOT, 'test-results', 'playwright'),
  globalSetup: join(import.meta.dirname, 'global-setup.ts'),
  // One core, one browser: the stories share the core's inbox, and the machine has two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: assertions wait for the page to reach a state, and a busy machine gets there late.
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: process.env.FLOWGATE_CHROMIUM || undefined, args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});

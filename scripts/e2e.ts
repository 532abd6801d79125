/**
 * `npm run test:e2e`: the workbench's end-to-end tests in a real Chromium against a real core.
 *
 * Finds a Chromium — `FLOWGATE_CHROMIUM`, else the system's `/usr/bin/chromium`, else
 * Playwright's own browser if installed, else it tries `playwright install chromium` (where
 * downloads work; set FLOWGATE_E2E_NO_DOWNLOAD=1 to skip) — and says which one it used. Then
 * builds the renderer if renderer/ changed and runs `playwright test`. Arguments go to
 * Playwright (e.g. `npm run test:e2e -- -g "story 1"`).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRenderer } from '../core/cli/serve.ts';
import { CHROMIUM_ARGS } from '../e2e/playwright.config.ts';

const ROOT = join(import.meta.dirname, '..');
const PLAYWRIGHT = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function playwrightsOwn(): Promise<string | undefined> {
  try {
    const { chromium } = await import('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The Chromium to use and where it came from, or undefined. */
async function findChromium(): Promise<{ path: string; from: string } | undefined> {
  const fromEnv = process.env.FLOWGATE_CHROMIUM;
  if (fromEnv) {
    if (!executable(fromEnv)) throw new Error(`FLOWGATE_CHROMIUM=${fromEnv} is not an executable file`);
    return { path: fromEnv, from: 'FLOWGATE_CHROMIUM' };
  }
  const system = SYSTEM_CHROMIUMS.find(executable);
  if (system) return { path: system, from: "the system's Chromium" };
  const own = await playwrightsOwn();
  if (own) return { path: own, from: "Playwright's own Chromium" };
  if (process.env.FLOWGATE_E2E_NO_DOWNLOAD) return undefined;
  process.stderr.write('e2e: no Chromium found; trying `playwright install chromium`…\n');
  const install = spawnSync(process.execPath, [PLAYWRIGHT, 'install', 'chromium'], { cwd: ROOT, stdio: 'inherit' });
  if (install.status !== 0) return undefined;
  const downloaded = await playwrightsOwn();
  return downloaded ? { path: downloaded, from: "Playwright's own Chromium (just downloaded)" } : undefined;
}

const chromium = await findChromium();
if (!chromium) {
  process.stderr.write(
    'e2e: no Chromium available. Install one (Debian/Ubuntu: `apt-get install chromium`, which .ci/run does), ' +
      'or point FLOWGATE_CHROMIUM at a Chromium/Chrome binary, or let `npx playwright install chromium` download one.\n',
  );
  process.exit(1);
}
const version = spawnSync(chromium.path, ['--version'], { encoding: 'utf8' }).stdout?.trim();
process.stderr.write(`e2e: using ${chromium.from}: ${chromium.path}${version ? ` (${version})` : ''}\n`);
process.stderr.write(`e2e: launch flags ${CHROMIUM_ARGS.join(' ')}\n`);

ensureRenderer({ log: (line) => process.stderr.write(`e2e: ${line}\n`), ifStale: true });

const result = spawnSync(process.execPath, [PLAYWRIGHT, 'test', '-c', join('e2e', 'playwright.config.ts'), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, FLOWGATE_CHROMIUM: chromium.path },
});
process.exit(result.status ?? 1);

/**
 * `npm start`: the workbench. With Electron's binary installed, builds the renderer and the
 * shell (out/electron/) and launches Electron; without it (the binary comes from outside npm
 * and is often absent), runs `flowgate serve`, which prints the URL to open. Extra arguments go
 * to `flowgate serve` (e.g. `npm start -- --port 4000`).
 *
 * Each step it takes is one progress line on stderr. Electron's binary is fetched at most once
 * per install: a failed fetch leaves a marker in the cache folder (node_modules/.cache/flowgate,
 * or FLOWGATE_CACHE) and later starts go straight to the browser; FLOWGATE_FETCH_ELECTRON=1 tries
 * again, FLOWGATE_NO_ELECTRON=1 never tries.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'out', 'electron');
const ELECTRON_PACKAGE = join(ROOT, 'node_modules', 'electron');

function step(text: string): void {
  process.stderr.write(`▸ ${text}\n`);
}

/** The Electron binary's path, or undefined when the package has no binary. */
function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Transpiles the shell: main and core-process as ES modules, the sandboxed preload as CommonJS. */
function buildShell(): string {
  mkdirSync(OUT, { recursive: true });
  const emit = (name: string, out: string, module: ts.ModuleKind) => {
    const source = readFileSync(join(ROOT, 'electron', `${name}.ts`), 'utf8');
    const { outputText, diagnostics } = ts.transpileModule(source, {
      fileName: `${name}.ts`,
      reportDiagnostics: true,
      compilerOptions: { module, target: ts.ScriptTarget.ES2022, rewriteRelativeImportExtensions: true, verbatimModuleSyntax: false, sourceMap: false },
    });
    if (diagnostics?.length) throw new Error(`electron/${name}.ts: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
    writeFileSync(join(OUT, out), outputText);
  };
  emit('main', 'main.js', ts.ModuleKind.ESNext);
  emit('core-process', 'core-process.js', ts.ModuleKind.ESNext);
  emit('preload', 'preload.cjs', ts.ModuleKind.CommonJS);
  return join(OUT, 'main.js');
}

function run(command: string, args: string[]): void {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 1)));
}

function cacheDir(): string | undefined {
  const configured = process.env.FLOWGATE_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  return configured || join(ROOT, 'node_modules', '.cache', 'flowgate');
}

function electronVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ELECTRON_PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Where a failed fetch of this Electron version is remembered. */
function failedFetchMarker(): string | undefined {
  const dir = cacheDir();
  return dir && join(dir, `electron-${electronVersion()}-fetch-failed`);
}

/**
 * Electron's package installs without its binary (its download script is not allowed to run at
 * `npm install`, so an offline install still succeeds). Fetch it here, once: where it cannot be
 * had, the browser workbench is the answer every time, without a two-minute wait.
 */
function fetchElectronOnce(): void {
  const installer = join(ELECTRON_PACKAGE, 'install.js');
  if (!existsSync(installer)) return;
  const marker = failedFetchMarker();
  if (marker && existsSync(marker) && !process.env.FLOWGATE_FETCH_ELECTRON) {
    const when = readFileSync(marker, 'utf8').split('\n')[0];
    step(`Electron ${electronVersion()}'s binary could not be fetched (${when}); not trying again (FLOWGATE_FETCH_ELECTRON=1 npm start does)`);
    return;
  }
  step(`Fetching Electron ${electronVersion()}'s binary (once; FLOWGATE_NO_ELECTRON=1 skips it)…`);
  const result = spawnSync(process.execPath, [installer], { cwd: ELECTRON_PACKAGE, stdio: 'ignore', timeout: 120_000 });
  if (result.status === 0 && electronBinary()) {
    if (marker) rmSync(marker, { force: true });
    step('Fetched Electron.');
    return;
  }
  const why = result.error ? result.error.message : result.signal ? `stopped by ${result.signal}` : `exit ${result.status}`;
  step(`Could not fetch Electron (${why}; offline?). Remembered: the next starts go straight to the browser.`);
  if (marker) {
    try {
      mkdirSync(join(marker, '..'), { recursive: true });
      writeFileSync(marker, `${new Date().toISOString()}\n${why}\n`);
    } catch {
      // Without a cache folder it is simply tried again next time.
    }
  }
}

const data = process.env.FLOWGATE_DATA || join(homedir(), '.flowgate');
step(`Flowgate keeps its state and audit log in ${data}${process.env.FLOWGATE_DATA ? '' : ' (FLOWGATE_DATA=<dir> to use another folder)'}`);
// `npm start -- --workspace <dir>`: the Electron shell's core finds it in the environment.
const workspaceAt = process.argv.indexOf('--workspace');
if (workspaceAt > 0 && process.argv[workspaceAt + 1]) {
  process.env.FLOWGATE_WORKSPACE = resolve(process.argv[workspaceAt + 1]);
  step(`Serving the workspace ${process.env.FLOWGATE_WORKSPACE}`);
}
let electron = process.env.FLOWGATE_NO_ELECTRON ? undefined : electronBinary();
if (!electron && !process.env.FLOWGATE_NO_ELECTRON) {
  fetchElectronOnce();
  electron = electronBinary();
}
if (electron) {
  const { ensureRenderer } = await import('../core/cli/serve.ts');
  step('Checking the workbench UI (dist/renderer)…');
  ensureRenderer({ log: step, ifStale: true });
  step('Building the desktop shell (out/electron)…');
  const main = buildShell();
  step('Starting Flowgate in Electron…');
  run(electron, [main]);
} else {
  step(`${process.env.FLOWGATE_NO_ELECTRON ? 'FLOWGATE_NO_ELECTRON is set' : 'Electron is not installed here (its binary comes from outside npm)'}, so Flowgate runs in your browser: starting the core and the demo APIs…`);
  run(process.execPath, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(ROOT, 'core', 'cli.ts'), 'serve', ...process.argv.slice(2)]);
}

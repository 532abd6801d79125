/**
 * `npm start`: the workbench. With Electron's binary installed, builds the renderer and the
 * shell (out/electron/) and launches Electron; without it (the binary comes from outside npm
 * and is often absent), says so in one line and runs `flowgate serve`, which prints the URL
 * to open. Extra arguments go to `flowgate serve` (e.g. `npm start -- --port 4000`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'out', 'electron');

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

/**
 * Electron's package installs without its binary (its download script is not allowed to run at
 * `npm install`, so an offline install still succeeds). Fetch it once here, where a failure only
 * means the browser workbench instead. FLOWGATE_NO_ELECTRON=1 skips Electron altogether.
 */
function fetchElectron(): void {
  const installer = join(ROOT, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return;
  process.stderr.write('Fetching the Electron binary (once)…\n');
  const result = spawnSync(process.execPath, [installer], { cwd: join(ROOT, 'node_modules', 'electron'), stdio: 'ignore', timeout: 120_000 });
  if (result.status !== 0) process.stderr.write('Could not fetch Electron (offline?).\n');
}

let electron = process.env.FLOWGATE_NO_ELECTRON ? undefined : electronBinary();
if (!electron && !process.env.FLOWGATE_NO_ELECTRON) {
  fetchElectron();
  electron = electronBinary();
}
// `npm start -- --workspace <dir>`: the Electron shell's core finds it in the environment.
const workspaceAt = process.argv.indexOf('--workspace');
if (workspaceAt > 0 && process.argv[workspaceAt + 1]) process.env.FLOWGATE_WORKSPACE = resolve(process.argv[workspaceAt + 1]);

if (electron) {
  const { ensureRenderer } = await import('../core/cli/serve.ts');
  ensureRenderer({ log: (line) => process.stderr.write(line + '\n'), ifStale: true });
  const main = buildShell();
  process.stderr.write('Starting Flowgate in Electron…\n');
  run(electron, [main]);
} else {
  process.stderr.write('Electron is not installed here (its binary comes from outside npm), so Flowgate runs in your browser: open the address below.\n');
  run(process.execPath, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(ROOT, 'core', 'cli.ts'), 'serve', ...process.argv.slice(2)]);
}

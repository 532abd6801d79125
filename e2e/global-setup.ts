/**
 * Starts a real core for the suite: `flowgate serve --port 0 --no-open` on the pinned Node
 * with a temporary FLOWGATE_DATA, reads the workbench URL from its stdout, and hands it to the
 * tests as FLOWGATE_E2E_URL. The returned function stops it and removes the data.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const STARTUP_MS = 120_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const data = mkdtempSync(join(tmpdir(), 'flowgate-e2e-'));
  const child = spawn(process.execPath, ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', join(ROOT, 'core', 'cli.ts'), 'serve', '--port', '0', '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, FLOWGATE_DATA: data },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    if (process.env.FLOWGATE_E2E_VERBOSE) process.stderr.write(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`no workbench URL after ${STARTUP_MS / 1000} s`), STARTUP_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`flowgate serve: ${why}\n${stderr}`));
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^Flowgate workbench: (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before printing its URL`));
    child.once('error', (error) => fail(error.message));
  });
  process.env.FLOWGATE_E2E_URL = url;
  process.env.FLOWGATE_E2E_DATA = data;
  child.removeAllListeners('exit');

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
    rmSync(data, { recursive: true, force: true });
  };
}

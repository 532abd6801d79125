/**
 * Reading secrets on the host: an environment variable, a file, or the OS keyring (through the
 * optional package `@napi-rs/keyring`, loaded only when a workspace asks for it). Error messages
 * say where a secret was looked for, never what it is.
 */
import { readFileSync, statSync } from 'node:fs';
import type { SecretSource } from './types.ts';

/** A secret that could not be read: says which source and why. */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

type KeyringModule = { Entry: new (service: string, account: string) => { getPassword(): string | null | undefined } };

/** Describes a source without its value: `the environment variable GITHUB_TOKEN`. */
export function describeSource(source: SecretSource): string {
  if ('env' in source) return `the environment variable ${source.env}`;
  if ('file' in source) return `the file ${source.file}`;
  return `the keyring entry ${source.keyring.service}/${source.keyring.account}`;
}

/** Reads one secret. `env` defaults to this process's environment. */
export async function readSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined || value === '') throw new SecretError(`${describeSource(source)} is not set`);
    return value;
  }
  if ('file' in source) {
    let text: string;
    try {
      if (statSync(source.file).size > 64 * 1024) throw new SecretError(`${describeSource(source)} is larger than 64 KB; it should hold only the secret`);
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      if (error instanceof SecretError) throw error;
      throw new SecretError(`${describeSource(source)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const value = text.replace(/\r?\n$/, '');
    if (value === '') throw new SecretError(`${describeSource(source)} is empty`);
    return value;
  }
  let keyring: KeyringModule;
  try {
    // Optional at run time: a package name in a variable keeps bundlers and the type checker out of it.
    const name = '@napi-rs/keyring';
    keyring = (await import(name)) as KeyringModule;
  } catch {
    throw new SecretError(`${describeSource(source)} needs the package @napi-rs/keyring (npm install @napi-rs/keyring), which is not installed`);
  }
  let value: string | null | undefined;
  try {
    value = new keyring.Entry(source.keyring.service, source.keyring.account).getPassword();
  } catch (error) {
    throw new SecretError(`${describeSource(source)} cannot be read: ${(error as Error).message}`);
  }
  if (!value) throw new SecretError(`${describeSource(source)} has no password stored`);
  return value;
}

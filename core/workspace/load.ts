/**
 * Loading a workspace from its directory (the adapter: reads files). A directory holds
 * `flowgate.json`, `flowgate.yaml` or `flowgate.yml`; paths inside are relative to it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { WorkspaceError } from './types.ts';
import type { Workspace, WorkspaceDocument } from './types.ts';
import { validateWorkspaceDocument } from './validate.ts';

import { findWorkspaceFile, WORKSPACE_FILES } from './find.ts';

export { findWorkspaceFile, WORKSPACE_FILES };

function parseText(text: string, file: string): unknown {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new WorkspaceError(file, '', `invalid JSON: ${(error as Error).message}`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    throw new WorkspaceError(file, '', `invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${error.message.split('\n')[0]}`);
  }
  return doc.toJS() as unknown;
}

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** An OpenAPI document named by a service: a file, or a directory's `openapi.*` or only document. */
function documentPath(path: string, file: string, pointer: string): string {
  if (!existsSync(path)) throw new WorkspaceError(file, pointer, `no such file or directory: ${path}`);
  if (!statSync(path).isDirectory()) return path;
  const docs = readdirSync(path).filter((n) => /\.(json|ya?ml)$/i.test(n) && !n.startsWith('.')).sort();
  const entry = docs.find((n) => /^openapi\.(json|ya?ml)$/i.test(n)) ?? (docs.length === 1 ? docs[0] : undefined);
  if (!entry) {
    throw new WorkspaceError(file, pointer, docs.length === 0
      ? `${path} holds no OpenAPI document (*.json, *.yaml, *.yml)`
      : `${path} holds ${docs.length} documents (${docs.join(', ')}); name the one to use, or call it openapi.json`);
  }
  return join(path, entry);
}

/**
 * Loads the workspace in `dirOrFile` (a directory with a workspace file, or the file itself).
 * @throws WorkspaceError naming the file and the JSON pointer of the first problem.
 */
export function loadWorkspace(dirOrFile: string): Workspace {
  const target = resolve(dirOrFile);
  let file: string | undefined;
  if (existsSync(target) && statSync(target).isFile()) file = target;
  else if (existsSync(target)) file = findWorkspaceFile(target);
  else throw new WorkspaceError(dirOrFile, '', 'no such directory');
  if (!file) throw new WorkspaceError(target, '', `no workspace here: expected ${WORKSPACE_FILES.join(', ')} in this directory`);
  const dir = dirname(file);
  const text = readFileSync(file, 'utf8');
  const doc: WorkspaceDocument = validateWorkspaceDocument(parseText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file), file);
  const abs = (p: string): string => (isAbsolute(p) ? p : join(dir, p));
  const services = Object.entries(doc.services).map(([name, s]) => {
    const at = `/services/${escape(name)}`;
    const overlays = (s.overlays ?? []).map((o, i) => {
      const path = abs(o);
      if (!existsSync(path)) throw new WorkspaceError(file, `${at}/overlays/${i}`, `no such file: ${path}`);
      return path;
    });
    const credentials = (s.credentials ?? []).map((c) => (
      'file' in c.secret ? { ...c, secret: { file: abs(c.secret.file) } } : c
    ));
    return { name, document: documentPath(abs(s.openapi), file, `${at}/openapi`), baseUrl: s.baseUrl?.replace(/\/$/, ''), overlays, credentials };
  });
  let policy: string | undefined;
  if (doc.policy !== undefined) {
    const candidate = abs(doc.policy);
    policy = /[/\\]|\.json$/i.test(doc.policy) || existsSync(candidate) ? candidate : doc.policy;
  }
  return { name: doc.name ?? basename(dir), dir, file, policy, services };
}

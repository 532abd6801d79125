/**
 * Loading a catalog from files: a directory of `*.json|*.yaml|*.yml` or a list of files.
 * Reads, parses and validates each document, then maps them with {@link parseCatalogDocuments}.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { CatalogError } from './types.ts';
import type { Catalog } from './types.ts';
import { parseCatalogDocuments } from './operations.ts';
import type { CatalogDocument } from './operations.ts';
import { validateDocument } from './validate.ts';

const DOCUMENT_FILE = /\.(json|ya?ml)$/i;

/** The document files `paths` names: each directory's `*.json|*.yaml|*.yml` (sorted), and each file. */
export async function listDocumentFiles(paths: string | string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of Array.isArray(paths) ? paths : [paths]) {
    const full = resolve(p);
    let isDir: boolean;
    try {
      isDir = (await stat(full)).isDirectory();
    } catch (err) {
      throw new CatalogError(p, '', `cannot read: ${(err as Error).message}`);
    }
    if (isDir) {
      const names = (await readdir(full)).filter((n) => DOCUMENT_FILE.test(n) && !n.startsWith('.')).sort();
      if (names.length === 0) throw new CatalogError(p, '', 'no OpenAPI documents (*.json, *.yaml, *.yml) in this directory');
      files.push(...names.map((n) => join(full, n)));
    } else {
      files.push(full);
    }
  }
  return files;
}

/** Reads and parses one JSON or YAML file (syntax errors name line and column). */
export async function readDocumentFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CatalogError(file, '', `cannot read: ${(err as Error).message}`);
  }
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new CatalogError(file, '', `JSON syntax error: ${(err as Error).message}`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw new CatalogError(file, '', `YAML syntax error${where}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '')}`);
  }
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}

/** Validates and dereferences in-memory documents, then maps them (no file reads unless a `$ref` points at a file). */
export async function loadCatalogDocuments(docs: CatalogDocument[]): Promise<Catalog> {
  const validated: CatalogDocument[] = [];
  for (const { file, document } of docs) validated.push({ file, document: await validateDocument(file, document) });
  return parseCatalogDocuments(validated);
}

/**
 * Loads a catalog from a directory or a list of files. Throws {@link CatalogError} naming the
 * file and JSON pointer of the first problem found.
 */
export async function loadCatalog(paths: string | string[]): Promise<Catalog> {
  const files = await listDocumentFiles(paths);
  const docs: CatalogDocument[] = [];
  for (const file of files) docs.push({ file, document: (await readDocumentFile(file)) as object });
  return loadCatalogDocuments(docs);
}

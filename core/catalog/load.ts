/**
 * Loading a catalog from files: a directory of `*.json|*.yaml|*.yml` or a list of files.
 * Reads, parses and validates each document, then maps them with {@link parseCatalogDocuments}.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { CatalogError } from './types.ts';
import type { Catalog, Service } from './types.ts';
import { parseCatalogDocuments, parseService } from './operations.ts';
import type { CatalogDocument, ServiceOptions } from './operations.ts';
import { validateDocument } from './validate.ts';
import { buildCatalog } from './build.ts';
import { cacheKey, readCachedService, writeCachedService } from './cache.ts';

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
  return parseDocumentText(file, text);
}

/** Parses a document's text, JSON or YAML by the file's extension (syntax errors name line and column). */
export function parseDocumentText(file: string, text: string): unknown {
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

/** One document to load as a service, with what a workspace adds to it. */
export interface DocumentInput {
  file: string;
  options?: ServiceOptions;
  /** Applied to the parsed document before validation (a workspace's overlays). */
  prepare?: (document: object) => object;
  /** Whatever else changes the result (the overlays' bytes): part of the cache key. */
  extra?: ReadonlyArray<Buffer | string>;
}

export interface LoadOptions {
  /** Where parsed services are cached by content hash. Default: no cache. */
  cacheDir?: string;
}

/** Documents smaller than this are parsed every time: the cache would not pay for itself. */
const CACHE_MIN_BYTES = 256 * 1024;

/**
 * Loads one document as a service: from the cache when the same bytes (and options) were
 * parsed before, else read, prepared, validated and mapped (and cached).
 */
export async function loadServiceDocument(input: DocumentInput, options: LoadOptions = {}): Promise<Service> {
  const { file } = input;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new CatalogError(file, '', `cannot read: ${(err as Error).message}`);
  }
  const cacheDir = bytes.length >= CACHE_MIN_BYTES ? options.cacheDir : undefined;
  const key = cacheDir ? cacheKey({ file: resolve(file), options: input.options ?? null }, [bytes, ...(input.extra ?? [])]) : '';
  if (cacheDir) {
    const cached = readCachedService(cacheDir, key);
    if (cached) return cached;
  }
  let document = parseDocumentText(file, bytes.toString('utf8')) as object;
  if (input.prepare) document = input.prepare(document);
  const service = parseService(file, (await validateDocument(file, document)) as Record<string, unknown>, input.options);
  if (cacheDir) writeCachedService(cacheDir, key, service);
  return service;
}

/** Builds a catalog from documents loaded with {@link loadServiceDocument}; service names must be unique. */
export async function loadServiceDocuments(inputs: DocumentInput[], options: LoadOptions = {}): Promise<Catalog> {
  const services: Service[] = [];
  const byName = new Map<string, string>();
  for (const input of inputs) {
    const service = await loadServiceDocument(input, options);
    const other = byName.get(service.name);
    if (other !== undefined) throw new CatalogError(input.file, '/info', `duplicate service name "${service.name}" (already defined by ${other})`);
    byName.set(service.name, input.file);
    services.push(service);
  }
  return buildCatalog(services);
}

/**
 * Loads a catalog from a directory or a list of files. Throws {@link CatalogError} naming the
 * file and JSON pointer of the first problem found. With `cacheDir`, large documents are
 * cached by content hash.
 */
export async function loadCatalog(paths: string | string[], options: LoadOptions = {}): Promise<Catalog> {
  const files = await listDocumentFiles(paths);
  if (options.cacheDir) return loadServiceDocuments(files.map((file) => ({ file })), options);
  const docs: CatalogDocument[] = [];
  for (const file of files) docs.push({ file, document: (await readDocumentFile(file)) as object });
  return loadCatalogDocuments(docs);
}

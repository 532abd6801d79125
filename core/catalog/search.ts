/**
 * `searchDocs`: rank a catalog's operations against a free-text query (BM25 over each
 * operation's name, service, summary, description, labels, argument and result field names)
 * and return only the matched operations' declarations, so an agent reads what it needs.
 */
import type { Catalog, JsonSchema, Operation, Service } from './types.ts';
import { renderDeclarations } from './declarations.ts';
import { isNameReference, TYPE_NAME } from './schema.ts';
import { tokenize } from './tokenize.ts';

/** Options of {@link searchDocs}. */
export interface SearchOptions {
  /** How many operations to return. Default 5. */
  limit?: number;
}

export interface SearchResult {
  /** `service.operationId`. */
  operation: string;
  score: number;
  summary: string;
}

export interface SearchDocsResult {
  results: SearchResult[];
  /** Declarations of the matched operations only, grouped per service (no prelude). */
  declarations: string;
}

/** Query words that should also find a related word the documents are likelier to use. */
const SYNONYMS: Record<string, string[]> = {
  salary: ['compensation'],
  pay: ['compensation', 'payment'],
  wage: ['compensation'],
  send: ['post'],
  post: ['send'],
  mail: ['email'],
  email: ['mail'],
  delete: ['remove'],
  remove: ['delete'],
  find: ['search'],
  lookup: ['search', 'get'],
  fetch: ['get'],
  read: ['get', 'list'],
  show: ['get', 'list'],
  change: ['update'],
  edit: ['update'],
  modify: ['update'],
  secret: ['vault'],
  doc: ['document'],
  repo: ['repository'],
  repository: ['repo'],
  pr: ['pull'],
  comment: ['comments'],
};

/** Descriptions past this many characters add noise, not meaning (GitHub's run to paragraphs of caveats). */
const DESCRIPTION_CHARS = 240;

interface Index {
  ops: Operation[];
  /** Per operation, the tokens of its name and summary: what it is, not what its page mentions. */
  title: Array<Set<string>>;
  tf: Array<Map<string, number>>;
  length: number[];
  avgLength: number;
  df: Map<string, number>;
}

const K1 = 1.2;
const B = 0.75;
const indexes = new WeakMap<Catalog, Index>();

function fieldNames(schema: JsonSchema | undefined, service: Service, out: string[], depth = 0, seen = new Set<JsonSchema>()): void {
  if (!schema || depth > 4 || seen.has(schema)) return;
  seen.add(schema);
  if (isNameReference(schema)) {
    fieldNames(service.schemas?.[schema[TYPE_NAME] as string], service, out, depth, seen);
    return;
  }
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (props && typeof props === 'object') {
    for (const [name, sub] of Object.entries(props)) {
      out.push(name);
      fieldNames(sub, service, out, depth + 1, seen);
    }
  }
  if (schema.items && typeof schema.items === 'object') fieldNames(schema.items as JsonSchema, service, out, depth + 1, seen);
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list as JsonSchema[]) fieldNames(s, service, out, depth + 1, seen);
  }
}

/** The weighted bag of words an operation is found by. */
export function operationTokens(op: Operation, service: Service): string[] {
  const fields: string[] = [];
  fieldNames(op.responseSchema, service, fields);
  const weighted: Array<[string, number]> = [
    [op.name, 3],
    [op.operationId ?? '', 1],
    [op.service, 2],
    [op.summary ?? '', 3],
    [(op.description ?? '').slice(0, DESCRIPTION_CHARS), 1],
    [op.labels.join(' '), 1],
    [op.fieldLabels.flatMap((f) => f.labels).join(' '), 1],
    [op.params.map((p) => `${p.name} ${p.description ?? ''}`).join(' '), 1],
    [op.path.replace(/\{[^}]*\}/g, ' '), 1],
    [[...new Set(fields)].join(' '), 1],
  ];
  const out: string[] = [];
  for (const [text, weight] of weighted) {
    const tokens = tokenize(text);
    for (let i = 0; i < weight; i++) out.push(...tokens);
  }
  return out;
}

function indexOf(catalog: Catalog): Index {
  let index = indexes.get(catalog);
  if (index) return index;
  const ops: Operation[] = [];
  const tf: Array<Map<string, number>> = [];
  const title: Array<Set<string>> = [];
  const length: number[] = [];
  const df = new Map<string, number>();
  for (const service of catalog.services) {
    for (const op of service.operations) {
      const counts = new Map<string, number>();
      const tokens = operationTokens(op, service);
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of counts.keys()) df.set(t, (df.get(t) ?? 0) + 1);
      ops.push(op);
      title.push(new Set(tokenize(`${op.name} ${op.summary ?? ''}`)));
      tf.push(counts);
      length.push(tokens.length);
    }
  }
  const avgLength = length.reduce((a, b) => a + b, 0) / Math.max(1, length.length);
  index = { ops, title, tf, length, avgLength, df };
  indexes.set(catalog, index);
  return index;
}

/** Query terms with weights: the query's own words 1, synonyms 0.5. */
function queryTerms(query: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const t of tokenize(query)) {
    terms.set(t, Math.max(terms.get(t) ?? 0, 1));
    for (const s of SYNONYMS[t] ?? []) if (!terms.has(s)) terms.set(s, 0.5);
  }
  return terms;
}

/**
 * Ranks the operations of `catalog` by relevance to `query` and renders the declarations of
 * the best `limit` of them. An empty or unmatched query returns no results.
 */
export function searchDocs(catalog: Catalog, query: string, options: SearchOptions = {}): SearchDocsResult {
  const { limit = 5 } = options;
  const index = indexOf(catalog);
  const terms = queryTerms(query);
  const n = index.ops.length;
  const scored: SearchResult[] = [];
  for (let i = 0; i < n; i++) {
    const counts = index.tf[i];
    let score = 0;
    for (const [term, weight] of terms) {
      const f = counts.get(term);
      if (!f) continue;
      const df = index.df.get(term) ?? 0;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += weight * idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * index.length[i]) / index.avgLength)));
    }
    // Among a thousand operations that mention the same words, the one whose name and summary
    // say all of the query is the one asked for: scale by how much of the query the title covers.
    if (score > 0) {
      let covered = 0;
      let asked = 0;
      for (const [term, weight] of terms) {
        if (weight < 1) continue;
        asked++;
        if (index.title[i].has(term) || (SYNONYMS[term] ?? []).some((s) => index.title[i].has(s))) covered++;
      }
      // …and the title that says little else besides is the better one ("List repository issues"
      // over "List issue types for a repository").
      const title = index.title[i];
      let relevant = 0;
      for (const t of title) if (terms.has(t)) relevant++;
      score *= (1 + covered / Math.max(1, asked)) * (0.5 + relevant / Math.max(1, title.size));
    }
    if (score > 0) scored.push({ operation: index.ops[i].id, score: Math.round(score * 1000) / 1000, summary: index.ops[i].summary ?? '' });
  }
  scored.sort((a, b) => b.score - a.score || a.operation.localeCompare(b.operation));
  const results = scored.slice(0, Math.max(0, limit));
  const declarations = results.length ? renderDeclarations(catalog, results.map((r) => r.operation), { prelude: false }) : '';
  return { results, declarations };
}

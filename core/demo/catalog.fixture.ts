/**
 * Test helper (not shipped to programs): reads the demo documents the way the catalog will and
 * calls the demo servers the way the transport will (logical host → `hostMap`, path prefix kept,
 * path params substituted, query params in the query string, body params in a JSON body).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { DemoHandle } from './index.ts';

export type Doc = {
  info: Record<string, unknown>;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

export interface FoundOperation {
  path: string;
  method: string;
  op: Record<string, unknown>;
  params: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown>; [k: string]: unknown }>;
  bodyProps: Record<string, Record<string, unknown>>;
  bodyRequired: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Parses and dereferences a document (every `$ref` resolved). */
export async function loadDoc(file: string): Promise<Doc> {
  return (await SwaggerParser.dereference(file)) as unknown as Doc;
}

export function operations(doc: Doc): Map<string, FoundOperation> {
  const out = new Map<string, FoundOperation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...((item.parameters as unknown as FoundOperation['params']) ?? []), ...((op.parameters as FoundOperation['params']) ?? [])];
      const body = (op.requestBody as { content?: Record<string, { schema: { properties?: Record<string, Record<string, unknown>>; required?: string[] } }> } | undefined)?.content?.['application/json']?.schema;
      out.set(op.operationId as string, { path, method, op, params, bodyProps: body?.properties ?? {}, bodyRequired: body?.required ?? [] });
    }
  }
  return out;
}

/** Calls `operationId` of `doc` on the demo with `args`, as the transport would. */
export async function callOperation(demo: DemoHandle, doc: Doc, operationId: string, args: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const found = operations(doc).get(operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  const server = new URL(doc.servers[0].url);
  const base = demo.hostMap[server.host];
  if (!base) throw new Error(`no demo server for ${server.host}`);
  let path = found.path;
  const query = new URLSearchParams();
  for (const p of found.params) {
    if (args[p.name] === undefined) continue;
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(args[p.name])));
    if (p.in === 'query') query.set(p.name, String(args[p.name]));
  }
  const bodyNames = Object.keys(found.bodyProps);
  const body = bodyNames.length > 0 ? JSON.stringify(Object.fromEntries(bodyNames.filter((n) => args[n] !== undefined).map((n) => [n, args[n]]))) : undefined;
  const qs = query.toString();
  const url = `${base}${server.pathname.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`;
  const res = await fetch(url, {
    method: found.method.toUpperCase(),
    headers: { ...demo.credentials[server.host], ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body,
  });
  return { status: res.status, body: await res.json() };
}

/**
 * Type errors against the catalog's current declarations, said in the API's words where the
 * error is about an API call (schema drift): a renamed or unknown parameter, an unknown
 * operation, a missing required argument. Other TypeScript errors keep their own text.
 */
import ts from 'typescript';
import type { Catalog, Operation } from '../catalog/types.ts';
import type { CheckedProgram, PositionMap } from './program.ts';
import { PREFIX, SUFFIX } from './program.ts';
import type { Resolver } from './resolve.ts';
import type { Diagnostic } from './types.ts';

export function collectDiagnostics(p: CheckedProgram, catalog: Catalog, resolver: Resolver, positions: PositionMap): Diagnostic[] {
  const raw = [...p.program.getSyntacticDiagnostics(p.file), ...p.program.getSemanticDiagnostics(p.file)];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const userEnd = PREFIX.length + p.source.length;
  for (const d of raw) {
    if (d.category !== ts.DiagnosticCategory.Error && d.category !== ts.DiagnosticCategory.Warning) continue;
    const start = d.start ?? PREFIX.length;
    const length = d.length ?? 0;
    if (start + length > userEnd + SUFFIX.length) continue;
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const rephrased = rephrase(d, text, p, catalog, resolver);
    const range = positions.range(start, start + length);
    const severity = d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning';
    const node = d.start === undefined ? undefined : findNode(p.file, d.start);
    const aboutApi = rephrased !== undefined || (node !== undefined && enclosingApiCall(node, resolver, p) !== undefined);
    const diag: Diagnostic = {
      ...range,
      code: rephrased?.code ?? `TS${d.code}`,
      message: rephrased?.message ?? text,
      severity,
      blocking: severity === 'error' && (d.code < 2000 || aboutApi),
    };
    const key = `${diag.start}|${diag.message}`;
    if (!seen.has(key)) out.push(diag);
    seen.add(key);
  }
  return out;
}

/**
 * Globals of other JavaScript hosts a program may probe for (story 7): not services, so a use
 * of them stays an ordinary type error and the program meets a ReferenceError in the sandbox.
 */
const HOST_GLOBALS = new Set(['process', 'require', 'module', 'exports', 'global', 'window', 'self', 'document', 'navigator', 'location',
  'Buffer', 'Deno', 'Bun', 'fetch', 'XMLHttpRequest', 'WebSocket', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask',
  'structuredClone', 'performance', 'crypto', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams', 'atob', 'btoa', 'importScripts']);

/** How many operation names an "unknown operation" message lists before it says how many more. */
const LISTED_OPERATIONS = 12;

function listOperations(ops: string[]): string {
  if (ops.length <= LISTED_OPERATIONS) return `it has ${ops.join(', ')}`;
  return `it has ${ops.length} operations; search_docs finds them by what they do`;
}

function rephrase(d: ts.Diagnostic, text: string, p: CheckedProgram, catalog: Catalog, resolver: Resolver): { code: string; message: string } | undefined {
  if (d.start === undefined) return undefined;
  const node = findNode(p.file, d.start);
  if (!node) return undefined;
  // `slak.postMessage(…)` — a service the catalog does not have, used as one (a member of it is
  // read). Blocking: the program cannot do what it says, and the reviewer should not read it as safe.
  if ((d.code === 2304 || d.code === 2552) && ts.isIdentifier(node) && !HOST_GLOBALS.has(node.text)
    && (ts.isPropertyAccessExpression(node.parent) || ts.isElementAccessExpression(node.parent)) && node.parent.expression === node) {
    const services = catalog.services.map((s) => s.name);
    const best = closest(node.text, services);
    return {
      code: 'unknown-service',
      message: `there is no service "${node.text}" in this catalog${best ? `; did you mean ${best}?` : ''} (services: ${services.join(', ') || 'none'})`,
    };
  }
  // `slack.postMsg` — an operation the service does not have.
  if ((d.code === 2339 || d.code === 2551) && ts.isIdentifier(node) && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) {
    const kind = resolver.symbolKind(p.checker.getSymbolAtLocation(node.parent.expression));
    const service = kind.kind === 'service' ? kind.service : serviceOfType(p, node.parent.expression, resolver);
    if (service) {
      const ops = catalog.services.find((s) => s.name === service)?.operations.map((o) => o.name) ?? [];
      const best = closest(node.text, ops);
      return {
        code: 'unknown-operation',
        message: `${service} has no operation "${node.text}"${best ? `; did you mean ${best}?` : ''} (${listOperations(ops)})`,
      };
    }
  }
  const call = enclosingApiCall(node, resolver, p);
  if (!call) return undefined;
  const op = catalog.operations.get(call.op);
  if (!op) return undefined;
  const arg = call.node.arguments[0];
  const literal = arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
  const given = new Set(literal?.properties.map((x) => (x.name && (ts.isIdentifier(x.name) || ts.isStringLiteral(x.name)) ? x.name.text : '')).filter(Boolean));
  const missing = op.params.filter((x) => x.required && !given.has(x.name)).map((x) => x.name);
  // An excess property in the argument object: a parameter that does not exist (any more).
  if (d.code === 2353 || d.code === 2561) {
    const name = ts.isIdentifier(node) || ts.isStringLiteral(node) ? node.text : (/'([^']+)'/.exec(text)?.[1] ?? '?');
    if (op.params.some((x) => x.name === name)) return undefined;
    if (missing.length) {
      return {
        code: 'unknown-parameter',
        message: `${name} is not a parameter of ${op.id} any more; it expects ${missing.join(', ')}`,
      };
    }
    const best = closest(name, op.params.map((x) => x.name));
    return {
      code: 'unknown-parameter',
      message: `${name} is not a parameter of ${op.id}${best ? `; did you mean ${best}?` : ''} (it accepts ${op.params.map((x) => x.name).join(', ') || 'no arguments'})`,
    };
  }
  // Missing required argument(s).
  if (d.code === 2345 || d.code === 2741 || d.code === 2739 || d.code === 2554) {
    if (missing.length && (literal || d.code === 2554)) {
      return {
        code: 'missing-argument',
        message: `${op.id} needs ${missing.length > 1 ? 'the arguments' : 'the argument'} ${missing.join(', ')}${describeTypes(op, missing)}`,
      };
    }
  }
  return undefined;
}

function describeTypes(op: Operation, names: string[]): string {
  const parts = names.map((n) => {
    const t = op.params.find((x) => x.name === n)?.schema.type;
    return typeof t === 'string' ? `${n}: ${t}` : undefined;
  }).filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function serviceOfType(p: CheckedProgram, e: ts.Expression, resolver: Resolver): string | undefined {
  const decl = p.checker.getTypeAtLocation(e).getSymbol()?.declarations?.[0];
  for (let n: ts.Node | undefined = decl; n; n = n.parent) {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && resolver.isService(n.name.text) && n.getSourceFile() === p.declarations) return n.name.text;
  }
  return undefined;
}

function enclosingApiCall(node: ts.Node, resolver: Resolver, p: CheckedProgram): { node: ts.CallExpression; op: string } | undefined {
  for (let n: ts.Node | undefined = node; n && n !== p.file; n = n.parent) {
    if (ts.isCallExpression(n)) {
      const t = resolver.callTarget(n);
      if (t.kind === 'operation') return { node: n, op: t.op };
      // unresolved overloads: go by the callee's symbol
      const callee = n.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        const op = resolver.operationOf(p.checker.getSymbolAtLocation(callee.name)?.valueDeclaration);
        if (op) return { node: n, op };
      }
      return undefined;
    }
    if (ts.isBlock(n) || ts.isFunctionLike(n)) return undefined;
  }
  return undefined;
}

function findNode(file: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node) => {
    if (pos >= n.getStart(file) && pos < n.end) {
      found = n;
      ts.forEachChild(n, visit);
    }
  };
  visit(file);
  return found;
}

/** The closest name by edit distance (or a shared prefix), when close enough to suggest. */
export function closest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    const [a, b] = [name.toLowerCase(), c.toLowerCase()];
    const related = b.startsWith(a) || a.startsWith(b) || isSubsequence(a, b) || isSubsequence(b, a);
    const score = related ? Math.min(d, 2) : d;
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return short.length > 2 && i === short.length;
}

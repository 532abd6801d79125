/**
 * Turns a program (the body of an async function, in TypeScript) into the JavaScript the guest
 * runs: types are stripped in place (Node's `stripTypeScriptTypes`, which keeps every line and
 * column), and each call site the analysis resolved gets a trailing site token so the bridge
 * can apply that site's statically proven label set. Lines never move, so guest stack traces
 * point at the user's own lines.
 */
import { stripTypeScriptTypes } from 'node:module';
import ts from 'typescript';

/** A program that is not valid TypeScript. */
export class ProgramSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'ProgramSyntaxError';
    this.line = line;
    this.column = column;
  }
}

const PREFIX = 'async function __flowgate_program() {';
const SUFFIX = '\n}';

/** Offsets (in the user's source) of the call expressions to tag, by site id. */
export interface SiteSpan {
  id: number;
  start: number;
  end: number;
}

/** The guest JavaScript for a program: a function body, same lines as the source. */
export function prepareProgram(source: string, sites: SiteSpan[] = []): string {
  const tagged = sites.length ? tagSites(source, sites) : source;
  let stripped: string;
  try {
    stripped = stripTypeScriptTypes(PREFIX + tagged + SUFFIX, { mode: 'strip' });
  } catch (error) {
    throw syntaxError(source, error);
  }
  return stripped.slice(PREFIX.length, stripped.length - SUFFIX.length);
}

/**
 * Appends `__flowgate_site(id)` as the last argument of each call at the given spans. Edits are
 * applied from the end so earlier offsets stay valid; no newline is ever inserted.
 */
function tagSites(source: string, sites: SiteSpan[]): string {
  const file = ts.createSourceFile('program.ts', PREFIX + source + SUFFIX, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const wanted = new Map(sites.map((s) => [`${s.start + PREFIX.length}:${s.end + PREFIX.length}`, s.id]));
  const edits: Array<{ at: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const id = wanted.get(`${node.getStart(file)}:${node.end}`);
      if (id !== undefined) {
        const closeParen = node.end - 1 - PREFIX.length;
        const args = node.arguments;
        const text = args.length === 0 ? `undefined, __flowgate_site(${id})` : `${args.hasTrailingComma ? ' ' : ', '}__flowgate_site(${id})`;
        edits.push({ at: closeParen, text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  edits.sort((a, b) => b.at - a.at);
  let out = source;
  for (const edit of edits) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return out;
}

function syntaxError(source: string, error: unknown): ProgramSyntaxError {
  const result = ts.transpileModule(PREFIX + source + SUFFIX, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const first = result.diagnostics?.find((d) => d.start !== undefined);
  if (first && first.file && first.start !== undefined) {
    const pos = Math.max(0, first.start - PREFIX.length);
    const { line, character } = ts.getLineAndCharacterOfPosition(ts.createSourceFile('p.ts', source, ts.ScriptTarget.Latest), Math.min(pos, source.length));
    return new ProgramSyntaxError(ts.flattenDiagnosticMessageText(first.messageText, '\n'), line + 1, character + 1);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProgramSyntaxError(`not TypeScript that Flowgate can run: ${message}`, 1, 1);
}

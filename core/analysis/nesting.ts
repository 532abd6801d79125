/**
 * How deeply a program's syntax nests, measured on TypeScript's parse alone (linear, no type
 * checker): a program nested past what anyone writes — a 30,000-term chain of additions, say — is
 * refused before the type checker, whose cost on such trees grows faster than their size, can keep
 * the host busy for minutes.
 */
import ts from 'typescript';

/** Deeper than any program an agent writes (tens of levels), far below what the checker chokes on. */
export const MAX_NESTING = 200;

/** The first place the syntax tree nests deeper than `max`, as an offset into `text`, or undefined. */
export function tooDeep(text: string, max = MAX_NESTING): { depth: number; offset: number } | undefined {
  const file = ts.createSourceFile('nesting.ts', text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  // Iterative: the tree may be far deeper than the call stack.
  const stack: Array<[ts.Node, number]> = [[file, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return { depth, offset: node.getStart(file) };
    ts.forEachChild(node, (child) => {
      stack.push([child, depth + 1]);
    });
  }
  return undefined;
}

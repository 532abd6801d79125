/**
 * Bad input in a program, judged the same way by `check` and `run`: a program with nothing
 * but comments is empty, and a program that does not parse as TypeScript (or does not fit the
 * body of one async function) is bad input, exit 1, with file:line:col of each problem.
 */
import ts from 'typescript';
import type { Analysis } from '../analysis/types.ts';
import { BadInput } from './common.ts';

/** Whether `source` holds anything but whitespace and comments. */
export function hasCode(source: string): boolean {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  return scanner.scan() !== ts.SyntaxKind.EndOfFileToken;
}

/** Diagnostics that mean the text is not a program: syntax (TS1xxx) and the program's form. */
export function syntaxProblems(analysis: Analysis): Analysis['diagnostics'] {
  return analysis.diagnostics.filter((d) => d.code === 'syntax' || d.code === 'program-form' || /^TS1\d{3}$/.test(d.code));
}

/** Throws BadInput when `source` (already read from `file`) is not a program Flowgate can judge. */
export function assertProgram(file: string, source: string, analysis: Analysis): void {
  if (!hasCode(source)) throw new BadInput(`${file}: the program is empty (only comments); a program is the body of an async function`);
  const problems = syntaxProblems(analysis);
  if (problems.length === 0) return;
  const lines = problems.slice(0, 10).map((d) => `${file}:${d.line}:${d.column}: ${d.message}`);
  if (problems.length > 10) lines.push(`… and ${problems.length - 10} more`);
  throw new BadInput(`${file} is not a TypeScript program Flowgate can read:\n${lines.join('\n')}`);
}

/**
 * Type-checks a program against declarations the way programs are checked: TypeScript 6,
 * `strict`, `lib: es2023` only (no DOM, no Node types), the program being the body of an
 * async function. Used by the catalog's tests to prove the declarations compile.
 */
import ts from 'typescript';
import { basename, dirname, join } from 'node:path';

export interface TypecheckDiagnostic {
  file: 'declarations' | 'program';
  line: number;
  message: string;
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.ESNext,
  lib: ['lib.es2023.d.ts'],
  types: [],
  strict: true,
  noEmit: true,
};

const libCache = new Map<string, ts.SourceFile>();

/** Diagnostics of `program` (an async function body) compiled with `declarations` as its only globals. */
export function typecheckProgram(declarations: string, program: string): TypecheckDiagnostic[] {
  const files = new Map<string, string>([
    ['/flowgate/declarations.d.ts', declarations],
    ['/flowgate/program.ts', `export {};\nasync function __program() {\n${program}\n}\nvoid __program;\n`],
  ]);
  const libDir = dirname(ts.getDefaultLibFilePath(OPTIONS));
  const host: ts.CompilerHost = {
    getSourceFile(name, languageVersion) {
      const own = files.get(name);
      if (own !== undefined) return ts.createSourceFile(name, own, languageVersion, true);
      let lib = libCache.get(name);
      if (!lib) {
        const text = ts.sys.readFile(name.startsWith('/flowgate/') ? join(libDir, basename(name)) : name);
        if (text === undefined) return undefined;
        lib = ts.createSourceFile(name, text, languageVersion, true);
        libCache.set(name, lib);
      }
      return lib;
    },
    getDefaultLibFileName: (o) => join(libDir, ts.getDefaultLibFileName(o)),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => '/flowgate',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
    readFile: (f) => files.get(f) ?? ts.sys.readFile(f),
  };
  const program_ = ts.createProgram(['/flowgate/declarations.d.ts', '/flowgate/program.ts'], OPTIONS, host);
  return ts.getPreEmitDiagnostics(program_).map((d) => {
    const file = d.file?.fileName === '/flowgate/declarations.d.ts' ? 'declarations' : 'program';
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 - (file === 'program' ? 2 : 0) : 0;
    return { file, line, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
  });
}

/**
 * TypeScript's lib files (lib.es5.d.ts and the ~60 files lib.es2023.d.ts pulls in) without their
 * comments, for a one-shot analysis in a short-lived process. Parsing them is most of a cold
 * analysis, and most of their text is JSDoc that the parser reads in full; the analysis reports
 * only the program's own syntactic and semantic errors, which comments cannot change.
 *
 * The stripped text is TypeScript's printer re-emitting its own parse with `removeComments`
 * (triple-slash `<reference lib>` directives are kept: they come from the parse, not the
 * comments), cached per TypeScript version (cache.ts).
 */
import ts from 'typescript';
import { cacheGet, cachePut, type CacheKey } from './cache.ts';

export interface LibReader {
  /** `readLib` for `analyzeProgram`: a lib file's text without comments; other files as they are. */
  read(file: string): string | undefined;
  /** Keeps what this process stripped for the next one. */
  save(): void;
}

export function strippedLibReader(): LibReader {
  const key: CacheKey = { kind: 'libs', inputs: [ts.version, ts.getDefaultLibFilePath({})], code: ['core/cli/libs.ts'] };
  const texts = cacheGet<Map<string, string>>(key) ?? new Map<string, string>();
  let changed = false;
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  return {
    read(file) {
      if (!/\/lib\.[\w.]+\.d\.ts$/.test(file)) return ts.sys.readFile(file);
      const known = texts.get(file);
      if (known !== undefined) return known;
      const text = ts.sys.readFile(file);
      if (text === undefined) return undefined;
      const stripped = stripComments(file, text, printer);
      texts.set(file, stripped);
      changed = true;
      return stripped;
    },
    save() {
      if (changed) cachePut(key, texts);
      changed = false;
    },
  };
}

/**
 * The declarations of a .d.ts file as TypeScript prints them, without comments. The printer
 * re-emits `<reference lib|types|path>` directives; `no-default-lib`, which marks lib.es5.d.ts as
 * the default library, it does not, so it is put back.
 */
export function stripComments(file: string, text: string, printer = ts.createPrinter({ removeComments: true })): string {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const printed = printer.printFile(source);
  return source.hasNoDefaultLib ? `/// <reference no-default-lib="true"/>\n${printed}` : printed;
}

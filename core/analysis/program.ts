/**
 * The TypeScript program over (the user's source wrapped as an async function body) + the
 * catalog's declarations, kept in a LanguageService so a re-analysis after an edit re-checks only
 * what changed. Lib files are parsed once per process (shared document registry + text cache).
 *
 * Lib files are read through `readLib` (default: the compiler's own `ts.sys.readFile`); this is
 * the only I/O the analysis does and it is the compiler reading itself, so the folder stays pure.
 */
import ts from 'typescript';
import { declarationsFor } from '../catalog/select.ts';
import type { Catalog } from '../catalog/types.ts';
import type { SourceRange } from './types.ts';

// File names are unique per host and per declarations text: the document registry is shared
// across hosts and caches source files by name, so one name always means one text. Ids only
// grow; the map forgets the least recently used texts (their ids are never reused).
let hostCount = 0;
let nextDeclarationId = 0;
const declarationIds = new Map<string, number>();
const MAX_DECLARATION_TEXTS = 256;

function declarationsFileOf(text: string): string {
  let id = declarationIds.get(text);
  if (id === undefined) {
    id = ++nextDeclarationId;
    if (declarationIds.size >= MAX_DECLARATION_TEXTS) declarationIds.delete(declarationIds.keys().next().value as string);
  } else {
    declarationIds.delete(text);
  }
  declarationIds.set(text, id);
  return `/flowgate/catalog-${id}.d.ts`;
}
/** The user's source is the body of this function (top-level `await` and `return` allowed). */
export const PREFIX = 'async function __flowgateProgram() {\n';
export const SUFFIX = '\n}\n';
const PREFIX_LINES = 1;

export type ReadLib = (fileName: string) => string | undefined;

const registry = ts.createDocumentRegistry();
const libText = new Map<string, string | undefined>();

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  lib: ['lib.es2023.d.ts'],
  strict: true,
  noEmit: true,
  types: [],
  skipLibCheck: true,
  skipDefaultLibCheck: true,
  moduleDetection: ts.ModuleDetectionKind.Legacy,
  allowUnreachableCode: true,
};

export interface CheckedProgram {
  program: ts.Program;
  checker: ts.TypeChecker;
  /** The wrapped program file. */
  file: ts.SourceFile;
  declarations: ts.SourceFile;
  /** The user's source as given. */
  source: string;
}

/**
 * One LanguageService over one catalog's declarations; `check(source)` reuses it. Given a
 * catalog, the declarations are those the program needs (`declarationsFor`: the whole catalog
 * when it is small, else the operations the program names), chosen again for each source.
 */
export class ProgramHost {
  private source = '';
  private version = 0;
  private readonly service: ts.LanguageService;
  private readonly programFile: string;
  private declarationsFile: string;
  private declarations: string;
  private readonly select: (source: string) => string;

  constructor(catalogOrDeclarations: Catalog | string, readLib: ReadLib = (f) => ts.sys.readFile(f)) {
    const PROGRAM_FILE = (this.programFile = `/flowgate/program-${++hostCount}.ts`);
    this.select = typeof catalogOrDeclarations === 'string' ? () => catalogOrDeclarations : (source) => declarationsFor(catalogOrDeclarations, source);
    this.declarations = this.select('');
    this.declarationsFile = declarationsFileOf(this.declarations);
    const defaultLib = ts.getDefaultLibFilePath(OPTIONS);
    const libDir = defaultLib.slice(0, defaultLib.lastIndexOf('/'));
    const readLibCached = (name: string) => {
      const path = name.startsWith('/flowgate/') ? `${libDir}/${name.slice(name.lastIndexOf('/') + 1)}` : name;
      if (!libText.has(path)) libText.set(path, readLib(path));
      return libText.get(path);
    };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => OPTIONS,
      getScriptFileNames: () => [PROGRAM_FILE, this.declarationsFile],
      getScriptVersion: (f) => (f === PROGRAM_FILE ? String(this.version) : '0'),
      getScriptSnapshot: (f) => {
        const text = f === PROGRAM_FILE ? PREFIX + this.source + SUFFIX : f === this.declarationsFile ? this.declarations : readLibCached(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => '/flowgate',
      getDefaultLibFileName: (o) => `${libDir}/${ts.getDefaultLibFileName(o)}`,
      fileExists: (f) => f === PROGRAM_FILE || f === this.declarationsFile || readLibCached(f) !== undefined,
      readFile: (f) => (f === PROGRAM_FILE ? PREFIX + this.source + SUFFIX : f === this.declarationsFile ? this.declarations : readLibCached(f)),
    };
    this.service = ts.createLanguageService(host, registry);
  }

  check(source: string): CheckedProgram {
    if (source !== this.source || this.version === 0) {
      this.source = source;
      this.version++;
      const declarations = this.select(source);
      if (declarations !== this.declarations) {
        this.declarations = declarations;
        this.declarationsFile = declarationsFileOf(declarations);
      }
    }
    const program = this.service.getProgram();
    if (!program) throw new Error('TypeScript produced no program');
    const file = program.getSourceFile(this.programFile);
    const declarations = program.getSourceFile(this.declarationsFile);
    if (!file || !declarations) throw new Error('program files missing from the TypeScript program');
    return { program, checker: program.getTypeChecker(), file, declarations, source };
  }
}

/** Maps positions in the wrapped file back to the user's source (1-based lines and columns). */
export class PositionMap {
  private readonly lineStarts: number[];
  private readonly userSource: string;
  constructor(userSource: string) {
    this.userSource = userSource;
    this.lineStarts = [0];
    for (let i = 0; i < userSource.length; i++) if (userSource.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** Offset in the wrapped file → offset in the user's source (clamped into it). */
  toUser(wrappedOffset: number): number {
    return Math.max(0, Math.min(this.userSource.length, wrappedOffset - PREFIX.length));
  }

  lineCol(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  /** A range of the wrapped file as a range of the user's source. */
  range(wrappedStart: number, wrappedEnd: number): SourceRange {
    const start = this.toUser(wrappedStart);
    const end = Math.max(start, this.toUser(wrappedEnd));
    const a = this.lineCol(start);
    const b = this.lineCol(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, start, end };
  }

  nodeRange(node: ts.Node, file: ts.SourceFile): SourceRange {
    return this.range(node.getStart(file), node.end);
  }
}

export const WRAPPER_LINES = PREFIX_LINES;

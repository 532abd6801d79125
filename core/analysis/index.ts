/**
 * core/analysis: a program → diagnostics against the current API declarations, the API calls it
 * makes, the flows of labelled data into them, what lies outside the analysed subset, and a
 * verdict under a policy, every reason tied to a source range.
 *
 * Entry points: `createAnalyzer(catalog, policy)` keeps one TypeScript LanguageService per
 * catalog so re-analysing an edited program is fast; `analyzeProgram` is the one-shot form
 * (it reuses the service for the same catalog object too).
 *
 * Options (defaults next to the type):
 * - `hash`: how `sourceHash` is computed; default a pure SHA-256 (same hex as node:crypto's).
 * - `readLib`: how the compiler's own lib files are read; default `ts.sys.readFile`.
 */
import ts from 'typescript';
import type { Catalog } from '../catalog/types.ts';
import type { Policy } from '../policy/types.ts';
import { collectDiagnostics } from './diagnostics.ts';
import { Interpreter, type Interpretation } from './interpreter.ts';
import { mayReachAgent } from '../policy/decide.ts';
import { PositionMap, PREFIX, ProgramHost, type ReadLib } from './program.ts';
import { sha256Hex } from './sha256.ts';
import { lowerFile } from '../lower/lower.ts';
import type { Analysis, Diagnostic } from './types.ts';
import type { AtRestLookup } from './context.ts';
import { judge } from './verdict.ts';
import { MAX_NESTING, tooDeep } from './nesting.ts';

export type { Analysis, CallSite, Diagnostic, Flow, Reason, SourceRange } from './types.ts';

export interface AnalyzeOptions {
  /** Hex digest of the source for `sourceHash`. Default: pure SHA-256. */
  hash?: (source: string) => string;
  /** Reads a TypeScript lib file by absolute path. Default: `ts.sys.readFile`. */
  readLib?: ReadLib;
  /** Labels at rest (earlier runs' writes) where a read reads. Default: none. */
  atRest?: AtRestLookup;
  /** Labels the task's params carry. Default: none (the task's own inputs). */
  paramsLabels?: string[];
}

export interface Analyzer {
  analyze(source: string): Analysis;
}

const hosts = new WeakMap<Catalog, ProgramHost>();

function hostFor(catalog: Catalog, readLib?: ReadLib): ProgramHost {
  let host = hosts.get(catalog);
  if (!host) hosts.set(catalog, (host = new ProgramHost(catalog, readLib)));
  return host;
}

/** An analyzer bound to one catalog and policy; reuses its TypeScript program between calls. */
export function createAnalyzer(catalog: Catalog, policy: Policy, options: AnalyzeOptions = {}): Analyzer {
  const host = options.readLib ? new ProgramHost(catalog, options.readLib) : hostFor(catalog);
  const hash = options.hash ?? sha256Hex;
  return { analyze: (source) => analyzeGuarded(host, source, catalog, policy, hash, options.atRest, options.paramsLabels) };
}

/**
 * A program nested deeper than the compiler's (or the analysis') recursion can follow is denied
 * with one blocking diagnostic, rather than taking the caller down with a stack overflow.
 */
function analyzeGuarded(host: ProgramHost, source: string, catalog: Catalog, policy: Policy, hash: (s: string) => string, atRest?: AtRestLookup, paramsLabels?: string[]): Analysis {
  try {
    // On the parse alone, before the type checker: TypeScript's checker is superlinear on such trees.
    const deep = tooDeep(source);
    if (deep) {
      const at = PREFIX.length + deep.offset;
      return tooDeepAnalysis(source, hash, new PositionMap(source).range(at, at + 1), `the program nests more than ${MAX_NESTING} levels deep here; flatten it (fewer nested brackets, calls, blocks or chained operators)`);
    }
    return analyzeWith(host, source, catalog, policy, hash, atRest, paramsLabels);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const range = new PositionMap(source).range(PREFIX.length, PREFIX.length + source.length);
    return tooDeepAnalysis(source, hash, range, 'the program nests too deeply to analyse; flatten it (fewer nested brackets, calls or blocks)');
  }
}

function tooDeepAnalysis(source: string, hash: (s: string) => string, range: ReturnType<PositionMap['range']>, message: string): Analysis {
  return {
    verdict: 'deny',
    reasons: [{ ...range, verdict: 'deny', code: 'diagnostic', message }],
    diagnostics: [{ ...range, code: 'too-deep', message, severity: 'error', blocking: true }],
    calls: [],
    flows: [],
    complete: false,
    unknowns: [],
    sourceHash: hash(source),
  };
}

/**
 * What the run will withhold from the agent, said before it runs: the result or a console line
 * that may carry a label the policy does not let reach `agent` comes back as `[WITHHELD:…]`
 * (sandbox/run.ts). A warning, not a refusal: the program may run; the agent will not read that.
 */
function withheldFromAgent(outputs: Interpretation['outputs'], policy: Policy, positions: PositionMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { node, labels } of outputs) {
    const withheld = [...labels].filter((l) => !mayReachAgent(policy, l)).sort();
    if (!withheld.length) continue;
    const what = ts.isReturnStatement(node) ? 'the result' : 'this console line';
    const list = withheld.join(', ');
    out.push({
      ...positions.range(node.getStart(), node.end),
      code: 'withheld',
      severity: 'warning',
      blocking: false,
      message: `${what} may carry ${list}, which this policy does not let reach the agent: the agent gets [WITHHELD:…] there (a rule naming "agent" in allowedDestinations lets it read the data)`,
    });
  }
  return out;
}

/** Analyses one program (the body of an async function) against a catalog under a policy. */
export function analyzeProgram(source: string, catalog: Catalog, policy: Policy, options: AnalyzeOptions = {}): Analysis {
  return createAnalyzer(catalog, policy, options).analyze(source);
}

function analyzeWith(host: ProgramHost, source: string, catalog: Catalog, policy: Policy, hash: (s: string) => string, atRest?: AtRestLookup, paramsLabels?: string[]): Analysis {
  const checked = host.check(source);
  const positions = new PositionMap(source);
  const main = checked.file.statements[0];
  const interp = new Interpreter(checked.checker, checked.file, checked.declarations, catalog, main as ts.FunctionDeclaration, atRest, paramsLabels);
  const diagnostics = collectDiagnostics(checked, catalog, interp.resolver, positions);
  const wellFormed = checked.file.statements.length === 1 && ts.isFunctionDeclaration(main) && !!main.body
    && main.body.end === PREFIX.length + source.length + 2;
  if (!wellFormed) {
    diagnostics.push({
      ...positions.range(PREFIX.length, PREFIX.length + source.length),
      code: 'program-form',
      message: 'a program is the body of one async function: its braces must balance, and nothing may follow the body',
      severity: 'error',
      blocking: true,
    });
  }
  // The subset the interpreter runs: anything outside it blocks the program, with where it is.
  // (The same lowering runs the program: what is judged here is what runs.)
  if (wellFormed) {
    const lowered = lowerFile(checked.file, source, { services: catalog.services.map((s) => s.name) });
    for (const e of lowered.errors) {
      if (diagnostics.some((d) => d.start === e.start && d.blocking)) continue;
      diagnostics.push({ ...positions.range(PREFIX.length + e.start, PREFIX.length + e.end), code: 'subset', message: e.message, severity: 'error', blocking: true });
    }
  }
  let result;
  if (wellFormed) {
    const run = interp.run();
    diagnostics.push(...withheldFromAgent(run.outputs, policy, positions));
    result = judge({
      sinks: run.sinks,
      unknowns: dedupe(run.unknowns),
      diagnostics,
      state: run.state,
      file: checked.file,
      positions,
      catalog,
      policy,
    });
  } else {
    result = { ...judge({ sinks: [], unknowns: [], diagnostics, state: interp.state, file: checked.file, positions, catalog, policy }), complete: false };
  }
  return { ...result, diagnostics: diagnostics as Diagnostic[], sourceHash: hash(source) };
}

function dedupe(items: { node: ts.Node; message: string }[]): { node: ts.Node; message: string }[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.node.pos}|${i.node.end}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

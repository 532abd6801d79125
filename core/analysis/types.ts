/**
 * What the static analysis says about a program. Produced by `analyzeProgram` (index.ts),
 * a pure function of (source, catalog, policy).
 */
import type { Verdict } from '../policy/types.ts';

/** 1-based line and column, like editors show them; offsets are 0-based into the source. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  start: number;
  end: number;
}

/** A TypeScript diagnostic against the catalog's current declarations, in the API's words. */
export interface Diagnostic extends SourceRange {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  /**
   * The program cannot be approved while this stands: a syntax error, or an error in how the
   * program uses the API (unknown operation, renamed or missing argument, wrong argument type).
   * Other type errors are shown to the reviewer but leave the verdict to the flows: the runtime,
   * not the type checker, is what keeps a program inside its policy.
   */
  blocking: boolean;
}

/** Why the verdict is what it is; every reason points at source. */
export interface Reason extends SourceRange {
  verdict: Verdict;
  /** e.g. `flow.blocked`, `flow.not-allowed`, `flow.unknown-destination`, `permission`, `egress`, `approval`, `unproven`, `diagnostic`. */
  code: string;
  message: string;
  label?: string;
  destination?: string;
  operation?: string;
}

/** An API call the analysis resolved (through the type checker, so aliases count). */
export interface CallSite extends SourceRange {
  /** Stable within one analysis. */
  id: number;
  service: string;
  operation: string;
  /** Destination classes the call names; `unknown` when the destination argument cannot be resolved. */
  destinations: string[] | 'unknown';
  /**
   * Labels that may reach the call's arguments or its being made (data and control dependence),
   * its own service's included: the policy decides what data going back home may do
   * (`decideFlow` allows it unless a blocked destination says otherwise).
   */
  labels: string[];
  /** Constant argument values the analysis could fold, by argument name. */
  constArgs: Record<string, unknown>;
}

/** Labelled data reaching a destination. */
export interface Flow extends SourceRange {
  label: string;
  destination: string;
  siteId: number;
  verdict: Verdict;
}

export interface Analysis {
  verdict: Verdict;
  reasons: Reason[];
  diagnostics: Diagnostic[];
  calls: CallSite[];
  flows: Flow[];
  /**
   * True when the analysis followed the whole program (no unproven part). The runtime never
   * depends on it: it tracks labels per value itself.
   */
  complete: boolean;
  /** Constructs outside the subset, with where they are. */
  unknowns: Reason[];
  /** SHA-256 of the source: decisions bind to it. */
  sourceHash: string;
}

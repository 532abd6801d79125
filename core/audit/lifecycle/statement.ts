/**
 * What a reviewer signs. A decision's statement names the program (its SHA-256), the flows the
 * reviewer saw, the policy and its hash, the decision and the reason; its canonical JSON is
 * hashed into the WebAuthn challenge, so the passkey's signature covers exactly these words.
 * `flowgate verify` rebuilds the statement from the trace and checks the signature against it.
 *
 * Pure and browser-safe (the SHA-256 is the caller's: node:crypto in the core, none needed in
 * the workbench, which only shows the statement).
 */
import { canonicalJson } from '../canonical.ts';
import type { DecisionStatement, Finding } from './events.ts';
import type { SubmissionState } from './state.ts';

/** The statement for deciding a whole submission. */
export function submissionStatement(state: SubmissionState, policyHash: string, decision: 'approve' | 'deny', reason: string): DecisionStatement {
  return {
    v: 1,
    subject: 'submission',
    submissionId: state.id,
    traceId: state.traceId,
    sourceHash: state.sourceHash,
    policy: { name: state.policy.name, hash: policyHash },
    flows: boundFlows(state),
    decision,
    reason: reason.trim(),
  };
}

/** The statement for answering a runtime approval of one call (`operation`, asked for `reasons`). */
export function callStatement(state: SubmissionState, policyHash: string, operation: string, reasons: Finding[], decision: 'approve' | 'deny', reason: string): DecisionStatement {
  const flows = reasons
    .filter((r) => r.label && r.destination)
    .map((r) => ({ label: r.label as string, destination: r.destination as string, line: 0, verdict: r.verdict }));
  return { ...submissionStatement(state, policyHash, decision, reason), subject: 'call', operation, flows };
}

/** The flows a submission's reviewer sees and binds a decision to: each label → destination once, at its first line. */
export function boundFlows(state: Pick<SubmissionState, 'analysis'>): DecisionStatement['flows'] {
  const seen = new Map<string, DecisionStatement['flows'][number]>();
  for (const f of state.analysis?.flows ?? []) {
    const key = `${f.label}\u0000${f.destination}`;
    const known = seen.get(key);
    if (!known) seen.set(key, { label: f.label, destination: f.destination, line: f.line, verdict: f.verdict });
    else if (rank(f.verdict) > rank(known.verdict)) known.verdict = f.verdict;
  }
  return [...seen.values()];
}

function rank(verdict: string): number {
  return verdict === 'deny' ? 2 : verdict === 'needs-approval' ? 1 : 0;
}

/** The exact text whose SHA-256 is the challenge: canonical JSON (sorted keys, no whitespace). */
export function statementText(statement: DecisionStatement): string {
  return canonicalJson(statement);
}

/** Whether two statements say the same thing (canonically). */
export function sameStatement(a: DecisionStatement, b: DecisionStatement): boolean {
  return statementText(a) === statementText(b);
}

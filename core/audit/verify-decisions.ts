/**
 * `flowgate verify`'s second half: every human decision of a log checked again. The hash chain
 * (verify.ts) says no record was edited after it was written — unless someone re-chained the
 * whole log; the signatures say who decided what, and nobody can re-sign without the reviewer's
 * passkey. For each decision and runtime approval signed with a passkey:
 * - its statement agrees with the trace (the submission, the program hash, the policy document's
 *   hash, the flows the analysis found, the decision and the reason recorded);
 * - the passkey is a reviewer registered earlier in the log, and its assertion over the statement
 *   verifies (user present, on a localhost workbench, counter moving forward).
 * Reviewers after the first must be endorsed by an earlier one. Local-development approvals
 * (`--approve`) and unsigned ones from older logs are counted, not failed.
 */
import { canonicalJson } from './canonical.ts';
import { sha256Hex } from './hash.ts';
import { decodeEvent } from './lifecycle/codec.ts';
import type { DecisionStatement, EventOf, Proof, ProofMethod, ReviewerData } from './lifecycle/events.ts';
import { foldTrace } from './lifecycle/state.ts';
import { boundFlows } from './lifecycle/statement.ts';
import { queryEvents, readTrace } from './query.ts';
import { checkProof, LOCAL_ORIGIN } from './signatures.ts';
import type { AuditRecord } from './types.ts';

export interface DecisionProblem {
  seq: number;
  traceId: string;
  problem: string;
}

export interface DecisionReport {
  ok: boolean;
  /** Decisions and runtime approvals by how they were authenticated. */
  counts: Record<ProofMethod, number>;
  reviewers: Array<{ name: string; credentialId: string; registeredAt: string; seq: number }>;
  problems: DecisionProblem[];
}

const MAX = 1_000_000;

export async function verifyDecisions(file: string): Promise<DecisionReport> {
  const problems: DecisionProblem[] = [];
  const counts: Record<ProofMethod, number> = { passkey: 0, dev: 0, system: 0, unsigned: 0 };
  const reviewers = new Map<string, { data: ReviewerData; seq: number; at: string; counter: number }>();

  // In log order: a reviewer counts from their registration on, and signature counters move forward.
  const records = [
    ...(await queryEvents(file, { kind: 'reviewer' }, { limit: MAX })).records,
    ...(await queryEvents(file, { kind: 'decision' }, { limit: MAX })).records,
    ...(await queryEvents(file, { kind: 'approval.result' }, { limit: MAX })).records,
  ].sort((a, b) => a.seq - b.seq);
  const traces = new Map<string, AuditRecord[]>();
  for (const record of records) {
    const event = decodeEvent(record);
    if (event?.kind === 'reviewer') {
      const problem = reviewers.size === 0 ? undefined : await endorsementProblem(event.data, reviewers);
      if (problem) problems.push({ seq: record.seq, traceId: record.traceId, problem: `reviewer ${event.data.name}: ${problem}` });
      else reviewers.set(event.data.credentialId, { data: event.data, seq: record.seq, at: record.time, counter: event.data.counter });
      continue;
    }
    if (event?.kind !== 'decision' && event?.kind !== 'approval.result') continue;
    const proof: Proof | undefined = event.data.proof;
    if (!proof) continue; // a bare runtime answer of an older log (the named one carries who)
    counts[proof.method]++;
    if (proof.method !== 'passkey') continue;
    const fail = (problem: string) => problems.push({ seq: record.seq, traceId: record.traceId, problem: `${event.kind === 'decision' ? 'decision' : 'runtime approval'} by ${event.data.who ?? 'unknown'}: ${problem}` });
    const statement = event.data.statement;
    if (!statement) {
      fail('signed with a passkey but no statement was recorded');
      continue;
    }
    let trace = traces.get(record.traceId);
    if (!trace) traces.set(record.traceId, (trace = await readTrace(file, record.traceId)));
    const mismatch = statementMismatch(statement, event, trace.filter((r) => r.seq < record.seq));
    if (mismatch) {
      fail(mismatch);
      continue;
    }
    const reviewer = reviewers.get(proof.credentialId);
    if (!reviewer) {
      fail(`the passkey ${proof.credentialId.slice(0, 12)}… is not a reviewer registered before it`);
      continue;
    }
    const checked = await checkProof(proof, statement, reviewer.data, { counter: reviewer.counter, origin: (o) => LOCAL_ORIGIN.test(o) });
    if (!checked.ok) fail(checked.problem);
    else reviewer.counter = checked.counter;
  }
  return {
    ok: problems.length === 0,
    counts,
    reviewers: [...reviewers.values()].map((r) => ({ name: r.data.name, credentialId: r.data.credentialId, registeredAt: r.at, seq: r.seq })),
    problems,
  };
}

/** What in the statement disagrees with the trace before the decision, or undefined. */
function statementMismatch(statement: DecisionStatement, event: EventOf<'decision'> | EventOf<'approval.result'>, before: AuditRecord[]): string | undefined {
  const state = foldTrace(before);
  if (!state) return 'no submission on its trace';
  const policyHash = state.policy.document !== undefined ? sha256Hex(canonicalJson(state.policy.document)) : state.policy.hash;
  const decision = event.kind === 'decision' ? event.data.decision : event.data.approved ? 'approve' : 'deny';
  const checks: Array<[boolean, string]> = [
    [statement.submissionId === state.id && statement.traceId === state.traceId, 'the statement is about another submission'],
    [statement.sourceHash === state.sourceHash, 'the statement names another program'],
    [statement.policy.hash === policyHash && statement.policy.name === state.policy.name, 'the statement names another policy than the one applied'],
    [statement.decision === decision, 'the recorded decision is not the one signed'],
    [statement.reason === (event.data.reason ?? '').trim(), 'the recorded reason is not the one signed'],
  ];
  if (event.kind === 'decision') {
    checks.push([statement.subject === 'submission' && canonicalJson(statement.flows) === canonicalJson(boundFlows(state)), 'the signed flows are not the ones the analysis found']);
  } else {
    checks.push([statement.subject === 'call' && statement.operation === event.data.operation, 'the statement is about another call']);
  }
  return checks.find(([ok]) => !ok)?.[1];
}

/** Why a later reviewer's endorsement does not hold, or undefined. */
async function endorsementProblem(data: ReviewerData, known: Map<string, { data: ReviewerData; counter: number }>): Promise<string | undefined> {
  const by = data.endorsedBy;
  if (!by || by.proof.method !== 'passkey') return 'registered after the first reviewer without an endorsement';
  const endorser = known.get(by.credentialId);
  if (!endorser) return 'endorsed by a passkey that is not a registered reviewer';
  const statement = { v: 1 as const, subject: 'reviewer' as const, credentialId: data.credentialId, publicKey: data.publicKey, name: data.name };
  const checked = await checkProof(by.proof, statement, endorser.data, { counter: endorser.counter, origin: (o) => LOCAL_ORIGIN.test(o) });
  if (!checked.ok) return `the endorsement does not verify: ${checked.problem}`;
  endorser.counter = checked.counter;
  return undefined;
}

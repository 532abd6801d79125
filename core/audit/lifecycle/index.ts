/**
 * The life of a submission as typed events, one reducer over them, the commands that produce
 * them, the statement a reviewer signs, spans and lineage for the trace view. Pure and
 * browser-safe: the workbench imports it too.
 */
export * from './events.ts';
export { callLabels, decodeEvent, sentLabels, toAuditEvent } from './codec.ts';
export { foldTrace, reduce, verdictOf, type CallState, type HumanDecision, type RunState, type SubmissionState, type SubmissionStatus } from './state.ts';
export { CommandError, decide, refuseRun, restore, submit, whyNotDecidable, whyNotRunnable, type CommandContext, type DecideInput, type Outcome } from './commands.ts';
export { boundFlows, callStatement, sameStatement, statementText, submissionStatement } from './statement.ts';
export { describeState, methodText, type StateFacts, type StateText, type Tone } from './describe.ts';
export { labelsOfEvent, outcomeOf, spansOf, type Span, type SpanStatus } from './spans.ts';
export { lineageOf, type CarriedLabel } from './lineage.ts';

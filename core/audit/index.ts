/** The audit trail: trace ids, redaction, the hash-chained log, verification, queries, OTLP export. */
export type { AuditEvent, AuditRecord, AuditSink, EventKind, TraceContext, WellKnownData } from './types.ts';
export { isSpanId, isTraceId, newSpanId, newTraceContext, newTraceId, parseTraceparent, traceparent, type ParsedTraceparent } from './trace.ts';
export { canonicalJson, GENESIS_HASH } from './canonical.ts';
export { hashRecord, sha256Hex } from './hash.ts';
export { ALWAYS_REDACTED_LABEL, MIN_EMBEDDED_LENGTH, Redactor, redactFields, redactionMarker, type RedactorOptions } from './redact.ts';
export { AUDIT_LOG_FILE, AuditLog, auditLogPath, type AuditLogOptions, type OpenReport } from './store.ts';
export { ChainChecker, verifyLog, type FirstBad, type VerifyResult } from './verify.ts';
export { AuditIndex, type EventFilter, type IndexOptions, type IndexStats, type Page, type TraceSummary } from './trace-index.ts';
export { forgetIndexes, indexFor, listTraces, queryEvents, readTrace } from './query.ts';
export { anyValue, exportOtlp, exportOtlpFile, type OtlpAnyValue, type OtlpEvent, type OtlpKeyValue, type OtlpSpan, type OtlpTraceRequest } from './otlp.ts';
export { eventOutcome, labelsOf, serviceOf, type Outcome } from './outcome.ts';

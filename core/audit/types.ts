/**
 * Audit record shapes: one trace per submission (W3C trace-context ids), one event per step.
 * Pure data; the store (append-only, hash-chained) lives in store.ts. What each kind's `data`
 * holds is typed in lifecycle/events.ts, the one reader of it.
 */

/** W3C trace context: 32 lower-case hex trace id, 16 hex span id. */
export interface TraceContext {
  traceId: string;
  spanId: string;
}

export type EventKind =
  | 'submission'      // a program was submitted (source hash, intent, agent)
  | 'analysis'        // the static verdict with reasons
  | 'decision'        // a human approved or denied (who, when, why, program hash)
  | 'run.start'
  | 'run.end'         // status, result or error, duration
  | 'api.call'        // one API call: operation, request, response, decision, duration
  | 'approval.request'// a runtime approval prompt
  | 'approval.result'
  | 'console'         // one console line
  | 'limit'           // a limit stopped the run
  | 'analysis.miss'   // the runtime refused (or asked about) a call the analysis allowed (a bug in the analysis)
  | 'reviewer';       // a reviewer's passkey was registered (who may decide)

/** An event as produced by the runtime, before redaction and chaining. */
export interface AuditEvent {
  /** ISO 8601 time the event happened. */
  time: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: EventKind;
  /** Who caused it: `agent:<name>`, `user:<name>`, `flowgate`. */
  actor: string;
  /** Short human name, e.g. `slack.postMessage`. */
  name: string;
  /** Kind-specific payload (already redacted when stored). */
  data: Record<string, unknown>;
  durationMs?: number;
}

/** A stored record: the event plus its place in the hash chain. */
export interface AuditRecord extends AuditEvent {
  seq: number;
  /** Hex SHA-256 of the previous record (64 zeros for the first). */
  prevHash: string;
  /** Hex SHA-256 over the canonical encoding of this record without `hash`. */
  hash: string;
}

/** Where events go. The store implements it; tests can collect into an array. */
export interface AuditSink {
  append(event: AuditEvent): void;
}

/**
 * Conventional keys of `AuditEvent.data` that the query index and the OTLP export read.
 * All optional; producers may add any other keys.
 */
export interface WellKnownData {
  /** Data labels the event carries (e.g. the labels of an API call's response). Indexed. */
  labels?: string[];
  /** The policy's or human's word: `allow`, `deny`, `needs-approval`, `approved`, `blocked`… */
  decision?: string;
  /** How a run or call ended: `ok`, `error`, `denied`, `blocked`, `limit`… */
  status?: string;
  /** Why, in words (becomes the span status message when the event failed). */
  reason?: string;
  error?: string | { message: string };
  /** `console` events: the level (`log`, `warn`, `error`…) and the (redacted) text. */
  level?: string;
  text?: string;
}

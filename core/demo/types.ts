/** Public types of the demo company's API servers (re-exported by `index.ts`). */

/** Options of `startDemo`, with their defaults. */
export interface DemoOptions {
  /** Delay added before every response, in milliseconds (benchmarks use 30). Default 0. */
  latencyMs?: number;
  /** When given, every request-log entry is also appended to this file as one JSON line. Default: none. */
  requestLogFile?: string;
  /**
   * When given, every message and e-mail the demo servers accept is appended here in clear, one
   * JSON line each with the request's `traceparent` — what a test looking for leaks compares with
   * the truth (Flowgate's own trace redacts what it sent). Keep it outside the data directory.
   */
  receivedLogFile?: string;
}

/** One request a demo server received, as recorded in its request log. */
export interface DemoRequest {
  /** Service name, e.g. `slack`. */
  service: string;
  /** Logical host, e.g. `slack.com`. */
  host: string;
  method: string;
  /** URL path as received, without the query string, e.g. `/api/chat.postMessage`. */
  path: string;
  /** Raw query string without the `?`, when there was one. */
  query?: string;
  status: number;
  /** The W3C `traceparent` header, verbatim, when the request carried one. */
  traceparent?: string;
  /** When the request arrived (ISO 8601). */
  time: string;
  /** Time from arrival to response, in milliseconds (includes `latencyMs`). */
  durationMs?: number;
}

export interface DemoMessage { channel: string; text: string; ts?: string }
export interface DemoEmail { to: string; subject: string; body: string; messageId?: string }
export interface DemoAccountUpdate { accountId: string; fields: Record<string, unknown>; time: string }

/** In-memory side effects for tests. Arrays are appended to as requests arrive. */
export interface DemoState {
  messages: DemoMessage[];
  emails: DemoEmail[];
  refunds: unknown[];
  accountUpdates: DemoAccountUpdate[];
}

export interface DemoHandle {
  /** logical host (e.g. 'slack.com') → base URL on loopback (e.g. 'http://127.0.0.1:41234') */
  hostMap: Record<string, string>;
  /** logical host → headers the HOST adds to each request (the bearer token). Never given to programs. */
  credentials: Record<string, Record<string, string>>;
  /** Every request any demo server received, in arrival-of-response order. */
  requests: DemoRequest[];
  /** In-memory side effects for tests: posted messages, sent emails, account updates, refunds. */
  state: DemoState;
  /** Stops every server and drops open connections. */
  close(): Promise<void>;
}

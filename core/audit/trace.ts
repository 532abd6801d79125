/**
 * W3C trace-context helpers (https://www.w3.org/TR/trace-context/): ids and the `traceparent` header.
 */
import { randomBytes } from 'node:crypto';
import type { TraceContext } from './types.ts';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZEROS = /^0+$/;

function randomHex(bytes: number): string {
  // An all-zero id is invalid per the spec; with 64+ random bits this loop practically never repeats.
  for (;;) {
    const hex = randomBytes(bytes).toString('hex');
    if (!ALL_ZEROS.test(hex)) return hex;
  }
}

/** A new random trace id: 32 lower-case hex characters, never all zeros. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new random span id: 16 lower-case hex characters, never all zeros. */
export function newSpanId(): string {
  return randomHex(8);
}

/** A fresh context: a new trace with its root span. */
export function newTraceContext(): TraceContext {
  return { traceId: newTraceId(), spanId: newSpanId() };
}

/** Whether `id` is a valid W3C trace id (lower-case hex, 32 chars, not all zeros). */
export function isTraceId(id: string): boolean {
  return TRACE_ID.test(id) && !ALL_ZEROS.test(id);
}

/** Whether `id` is a valid W3C span (parent) id (lower-case hex, 16 chars, not all zeros). */
export function isSpanId(id: string): boolean {
  return SPAN_ID.test(id) && !ALL_ZEROS.test(id);
}

/** The `traceparent` header value for a context: `00-<trace>-<span>-01` (version 00, sampled). */
export function traceparent(ctx: TraceContext): string {
  if (!isTraceId(ctx.traceId) || !isSpanId(ctx.spanId)) throw new TypeError('traceparent: invalid trace or span id');
  return `00-${ctx.traceId}-${ctx.spanId}-01`;
}

/** A parsed `traceparent` header. */
export interface ParsedTraceparent extends TraceContext {
  version: string;
  /** The trace-flags byte (bit 0: sampled). */
  flags: number;
  sampled: boolean;
}

/**
 * Parses a `traceparent` header; `undefined` when it is not valid.
 * Version `ff` is invalid; version 00 must have exactly four fields; later versions may append
 * fields after the flags (the spec asks parsers to accept them).
 */
export function parseTraceparent(header: string | undefined | null): ParsedTraceparent | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/.exec(value);
  if (!m) return undefined;
  const [, version, traceId, spanId, flagsHex, rest] = m;
  if (version === 'ff') return undefined;
  if (version === '00' && rest !== undefined) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  const flags = parseInt(flagsHex, 16);
  return { version, traceId, spanId, flags, sampled: (flags & 1) === 1 };
}

/**
 * Reading an event's outcome from its data, shared by the index (trace status) and the OTLP
 * export (span status). Pure.
 *
 * Conventions for `data` (see types.ts `WellKnownData`): `decision` is the policy's or the human's
 * word (`allow`, `deny`, `needs-approval`, `approved`, `blocked`…), `status` a run's or call's
 * ending (`ok`, `error`, `denied`, `blocked`, `limit`…), `reason`/`error` the words why.
 */
import type { AuditEvent } from './types.ts';

const ERROR_DECISIONS = new Set(['deny', 'denied', 'blocked', 'rejected', 'refused']);
const ERROR_STATUSES = new Set(['error', 'denied', 'deny', 'blocked', 'limit', 'stopped', 'threw', 'failed', 'timeout', 'killed']);
const OK_STATUSES = new Set(['ok', 'success', 'completed', 'done']);

export type Outcome = 'error' | 'ok' | undefined;

/** `error` for denied/blocked/failed events, `ok` for explicit success, else undefined. */
export function eventOutcome(event: Pick<AuditEvent, 'kind' | 'data'>): Outcome {
  if (event.kind === 'limit') return 'error';
  const data = event.data ?? {};
  const decision = typeof data.decision === 'string' ? data.decision.toLowerCase() : undefined;
  const status = typeof data.status === 'string' ? data.status.toLowerCase() : undefined;
  if ((decision && ERROR_DECISIONS.has(decision)) || (status && ERROR_STATUSES.has(status)) || (data.error !== undefined && data.error !== null)) {
    return 'error';
  }
  if (status && OK_STATUSES.has(status)) return 'ok';
  return undefined;
}

/** Why an event failed, in words, when its data says. */
export function outcomeMessage(event: Pick<AuditEvent, 'data'>): string | undefined {
  const data = event.data ?? {};
  for (const key of ['reason', 'error', 'message']) {
    const v = data[key];
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') return (v as { message: string }).message;
  }
  return undefined;
}

/** The service of an event: its `name` up to the first '.', or the whole name. */
export function serviceOf(name: string): string {
  const dot = name.indexOf('.');
  return dot === -1 ? name : name.slice(0, dot);
}

/** The labels an event carries (`data.labels`, strings only). */
export function labelsOf(data: Record<string, unknown> | undefined): string[] {
  const labels = data?.labels;
  if (!Array.isArray(labels)) return [];
  return labels.filter((l): l is string => typeof l === 'string');
}

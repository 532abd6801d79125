/**
 * Units of the policy's limits: durations (`"30s"`, `"500ms"`, `"2m"`, `"1h"`, or a number of
 * milliseconds) and memory sizes (`"256MB"`, `"1GB"`, `"512KB"`, or a number of megabytes).
 * Pure functions; the CLI's `--max-duration 2s` uses {@link parseDuration} too.
 */

const DURATION = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?\s*$/;
const DURATION_FACTORS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration → whole milliseconds. Accepts `"30s"`, `"500ms"`, `"2m"`, `"1h"`, `"1.5s"`, a
 * number (milliseconds) or a string of digits (milliseconds). Throws an `Error` whose message
 * says what is accepted; zero and negative durations are refused.
 */
export function parseDuration(value: string | number): number {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else {
    const m = DURATION.exec(value);
    if (!m) throw new Error(`"${value}" is not a duration: write e.g. "30s", "500ms" or "2m", or a number of milliseconds`);
    ms = Number(m[1]) * DURATION_FACTORS[m[2] ?? 'ms'];
  }
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`a duration must be more than zero, not ${JSON.stringify(value)}`);
  return Math.max(1, Math.round(ms));
}

const MEMORY = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmg]b)?\s*$/i;
const MEMORY_FACTORS: Record<string, number> = { kb: 1 / 1024, mb: 1, gb: 1024 };

/**
 * A memory size → megabytes (may be fractional for KB). Accepts `"256MB"`, `"1GB"`,
 * `"512KB"` (case-insensitive), a number (megabytes) or a string of digits (megabytes).
 */
export function parseMemory(value: string | number): number {
  let mb: number;
  if (typeof value === 'number') {
    mb = value;
  } else {
    const m = MEMORY.exec(value);
    if (!m) throw new Error(`"${value}" is not a memory size: write e.g. "256MB" or "1GB", or a number of megabytes`);
    mb = Number(m[1]) * MEMORY_FACTORS[(m[2] ?? 'mb').toLowerCase()];
  }
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`a memory size must be more than zero, not ${JSON.stringify(value)}`);
  return mb;
}

/**
 * The text a JSON value carries, as segments to scan: every string, number and object key, in
 * document order. Consecutive short items of one array are joined into one chain, so a value
 * spread one or a few characters per element (`[..."179000"]`, `[1, 7, 9, 0, 0, 0]`) reads as
 * the value; anything else is its own segment, so unrelated fields never join into a match.
 *
 * Iterative (no recursion limit on depth) and safe on cycles. Pure (no I/O).
 */
import type { Segment } from './normalize.ts';

/** Array items at most this long join their neighbours (see the module comment). */
export const SHORT_ITEM = 4;

/** The text of `data` as segments. */
export function jsonSegments(data: unknown): Segment[] {
  const out: Segment[] = [];
  const seen = new WeakSet<object>();
  // Work stack, items in reverse order; `joined` says the item continues the previous chain.
  const stack: Array<{ value: unknown; joined: boolean }> = [{ value: data, joined: false }];
  while (stack.length) {
    const { value, joined } = stack.pop() as { value: unknown; joined: boolean };
    const text = leafText(value);
    if (text !== undefined) {
      out.push({ text, joined });
      continue;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], joined: i > 0 && isShort(value[i]) && isShort(value[i - 1]) });
      }
      continue;
    }
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      stack.push({ value: entries[i][1], joined: false });
      stack.push({ value: entries[i][0], joined: false });
    }
  }
  return out;
}

/** Whether an array item is short enough to join its neighbours. */
export function isShort(value: unknown): boolean {
  const text = leafText(value);
  return text !== undefined && text.length <= SHORT_ITEM;
}

/** The text of a string or number leaf; undefined for anything else. */
export function leafText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

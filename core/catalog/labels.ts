/** Which labels a value read from an operation's result carries. */
import type { Operation } from './types.ts';

/**
 * Labels carried by the value at `path` of `op`'s result (`[]` for the whole result;
 * `'[]'` steps into array items): the operation's labels, the labels of every labelled
 * field on the way, and, since the value contains them, the labels of every labelled field
 * below it.
 */
export function labelsAt(op: Operation, path: readonly string[]): string[] {
  const out = new Set(op.labels);
  for (const f of op.fieldLabels) {
    const n = Math.min(f.path.length, path.length);
    let related = true;
    for (let i = 0; i < n; i++) {
      if (f.path[i] !== path[i]) {
        related = false;
        break;
      }
    }
    if (related) for (const l of f.labels) out.add(l);
  }
  return [...out];
}

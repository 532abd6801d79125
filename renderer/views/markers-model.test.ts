import { describe, expect, it } from 'vitest';
import { lineMarks } from './markers-model.ts';

describe('lineMarks', () => {
  it('gives a line with both a deny and a needs-approval reason the deny decoration', () => {
    const at = (kind: 'deny' | 'needs-approval', line: number, message: string) =>
      ({ kind, severity: kind === 'deny' ? 'error' : 'warning', message, code: 'x', startLineNumber: line, startColumn: 1, endLineNumber: line, endColumn: 2 }) as const;
    const lines = lineMarks([at('needs-approval', 3, 'approve me'), at('deny', 3, 'never'), at('needs-approval', 5, 'later')]);
    expect(lines).toEqual([
      { line: 3, kind: 'deny', message: 'approve me\n\nnever' },
      { line: 5, kind: 'needs-approval', message: 'later' },
    ]);
  });
});

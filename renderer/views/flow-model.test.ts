import { describe, expect, it } from 'vitest';
import type { Analysis, Flow } from '../../core/analysis/types.ts';
import { flowGraph, worse } from './flow-model.ts';
import { marksFor } from './markers-model.ts';

const at = (line: number) => ({ line, column: 3, endLine: line, endColumn: 20, start: line * 10, end: line * 10 + 17 });

function flow(label: string, destination: string, verdict: Flow['verdict'], line: number): Flow {
  return { label, destination, verdict, siteId: 1, ...at(line) };
}

const analysis: Analysis = {
  verdict: 'deny',
  reasons: [{ verdict: 'deny', code: 'flow.blocked', message: 'workday.compensation may not flow to slack.public', label: 'workday.compensation', destination: 'slack.public', ...at(9) }],
  diagnostics: [{ code: 'TS2339', message: "Property 'customerId' does not exist", severity: 'error', blocking: true, ...at(2) }],
  calls: [],
  flows: [
    flow('workday.compensation', 'slack.public', 'deny', 9),
    flow('workday.employeeData', 'slack.public', 'allow', 9),
    flow('workday.compensation', 'slack.public', 'needs-approval', 12),
    flow('workday.employeeData', 'slack', 'allow', 9),
  ],
  complete: true,
  unknowns: [{ verdict: 'needs-approval', code: 'unproven', message: 'computed member call', ...at(5) }],
  sourceHash: 'abc',
};

describe('flow graph', () => {
  it('has labels on the left and destinations on the right, one edge per pair with its worst verdict', () => {
    const g = flowGraph(analysis);
    expect(g.nodes.filter((n) => n.kind === 'label').map((n) => n.name)).toEqual(['workday.compensation', 'workday.employeeData']);
    expect(g.nodes.filter((n) => n.kind === 'destination').map((n) => n.name)).toEqual(['slack', 'slack.public']);
    expect(g.nodes.every((n) => (n.kind === 'label' ? n.x === 0 : n.x > 0))).toBe(true);
    const e = g.edges.find((x) => x.id === 'workday.compensation->slack.public');
    expect(e).toMatchObject({ verdict: 'deny', line: 9, count: 2 });
    expect(g.edges).toHaveLength(3);
  });

  it('is empty without an analysis', () => {
    expect(flowGraph(undefined)).toEqual({ nodes: [], edges: [] });
  });

  it('orders verdicts allow < needs-approval < deny', () => {
    expect(worse('allow', 'needs-approval')).toBe('needs-approval');
    expect(worse('deny', 'needs-approval')).toBe('deny');
  });
});

describe('markers', () => {
  it('makes diagnostics and deny reasons errors, unknowns warnings, on their lines', () => {
    const marks = marksFor(analysis);
    expect(marks.map((m) => [m.kind, m.severity, m.startLineNumber])).toEqual([
      ['diagnostic', 'error', 2],
      ['deny', 'error', 9],
      ['needs-approval', 'warning', 5],
    ]);
    expect(marks[1].message).toBe('Denied: workday.compensation may not flow to slack.public');
  });

  it('never produces an empty range', () => {
    const [m] = marksFor({ ...analysis, diagnostics: [], unknowns: [], reasons: [{ ...analysis.reasons[0], line: 3, column: 5, endLine: 3, endColumn: 5 }] });
    expect(m.endColumn).toBeGreaterThan(m.startColumn);
  });
});

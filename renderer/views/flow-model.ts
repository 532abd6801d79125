/**
 * Pure: an analysis' flows → the flow graph. Labels (where data comes from) on the left,
 * destinations (where it goes) on the right, one edge per label → destination with the worst
 * verdict among its flows and the first place in the code it happens.
 */
import type { Analysis } from '../../core/analysis/types.ts';
import type { Verdict } from '../../core/policy/types.ts';

export interface FlowNode {
  id: string;
  kind: 'label' | 'destination';
  name: string;
  x: number;
  y: number;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  verdict: Verdict;
  /** Where the first flow of this edge is in the program. */
  line: number;
  column: number;
  /** How many flows (places in the code) the edge stands for. */
  count: number;
}

export const VERDICT_COLOURS: Record<Verdict, string> = {
  allow: '#2f9e6b',
  'needs-approval': '#d08a12',
  deny: '#d64545',
};

const RANK: Record<Verdict, number> = { allow: 0, 'needs-approval': 1, deny: 2 };

export function worse(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

export function flowGraph(analysis: Analysis | undefined, layout = { columnGap: 300, rowGap: 64 }): { nodes: FlowNode[]; edges: FlowEdge[] } {
  if (!analysis) return { nodes: [], edges: [] };
  const labels: string[] = [];
  const destinations: string[] = [];
  const edges = new Map<string, FlowEdge>();
  for (const flow of analysis.flows) {
    if (!labels.includes(flow.label)) labels.push(flow.label);
    if (!destinations.includes(flow.destination)) destinations.push(flow.destination);
    const id = `${flow.label}->${flow.destination}`;
    const edge = edges.get(id);
    if (edge) {
      edge.count++;
      edge.verdict = worse(edge.verdict, flow.verdict);
    } else {
      edges.set(id, { id, source: `label:${flow.label}`, target: `dest:${flow.destination}`, verdict: flow.verdict, line: flow.line, column: flow.column, count: 1 });
    }
  }
  labels.sort();
  destinations.sort();
  const nodes: FlowNode[] = [
    ...labels.map((name, i) => ({ id: `label:${name}`, kind: 'label' as const, name, x: 0, y: i * layout.rowGap })),
    ...destinations.map((name, i) => ({ id: `dest:${name}`, kind: 'destination' as const, name, x: layout.columnGap, y: i * layout.rowGap })),
  ];
  return { nodes, edges: [...edges.values()] };
}

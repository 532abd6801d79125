/** Sources (data labels) → destinations, edges coloured by the policy's decision; a click reveals the code. */
import { useMemo } from 'react';
import { Background, MarkerType, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { Analysis } from '../../core/analysis/types.ts';
import { flowGraph, VERDICT_COLOURS, type FlowEdge } from './flow-model.ts';

export interface FlowGraphProps {
  analysis?: Analysis;
  onReveal(line: number, column: number): void;
}

const LAYOUT = { columnGap: 196, rowGap: 44 };

export function FlowGraph({ analysis, onReveal }: FlowGraphProps) {
  // Laid out to fit the side panel at zoom 1: labels stay at their CSS size (12 px), never scaled down.
  const graph = useMemo(() => flowGraph(analysis, LAYOUT), [analysis]);
  const rows = Math.max(1, ...['label', 'destination'].map((k) => graph.nodes.filter((n) => n.kind === k).length));
  const nodes: Node[] = useMemo(
    () =>
      graph.nodes.map((n) => ({
        id: n.id,
        position: { x: n.x, y: n.y },
        data: { label: n.name },
        className: `flow-node flow-node-${n.kind}`,
        sourcePosition: Position.Right,
        targetPosition: Position.Left,
        type: n.kind === 'label' ? 'input' : 'output',
        draggable: false,
        connectable: false,
      })),
    [graph],
  );
  const edges: Edge<{ flow: FlowEdge }>[] = useMemo(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        data: { flow: e },
        // No edge labels: they overlap where edges meet. The list under the graph names each flow's line.
        animated: e.verdict !== 'allow',
        style: { stroke: VERDICT_COLOURS[e.verdict], strokeWidth: 2.5, cursor: 'pointer' },
        markerEnd: { type: MarkerType.ArrowClosed, color: VERDICT_COLOURS[e.verdict] },
        className: `flow-edge flow-edge-${e.verdict}`,
      })),
    [graph],
  );

  if (!analysis) return <div className="flow-empty" data-testid="flow-graph">No analysis yet.</div>;
  if (graph.edges.length === 0) {
    return (
      <div className="flow-empty" data-testid="flow-graph">
        No labelled data reaches a destination in this program.
      </div>
    );
  }
  return (
    <div className="flow-graph" data-testid="flow-graph">
      <div className="flow-canvas" style={{ height: rows * LAYOUT.rowGap + 24 }}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        fitView
        fitViewOptions={{ padding: 0.05, minZoom: 1, maxZoom: 1 }}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        proOptions={{ hideAttribution: true }}
        onEdgeClick={(_event, edge) => {
          const flow = (edge.data as { flow: FlowEdge } | undefined)?.flow;
          if (flow) onReveal(flow.line, flow.column);
        }}
        minZoom={1}
        maxZoom={1}
        panOnDrag={false}
        zoomOnScroll={false}
        preventScrolling={false}
      >
        <Background gap={16} size={1} color="#e3e7ee" />
      </ReactFlow>
      </div>
      <ul className="flow-legend" aria-label="flows">
        {graph.edges.map((e) => (
          <li key={e.id}>
            <button type="button" className={`flow-link verdict-text-${e.verdict}`} data-testid="flow-edge" data-verdict={e.verdict} onClick={() => onReveal(e.line, e.column)}>
              {e.source.slice('label:'.length)} → {e.target.slice('dest:'.length)} · line {e.line}{e.count > 1 ? ` (+${e.count - 1} more)` : ''}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

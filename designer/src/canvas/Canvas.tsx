// The drawing surface: React Flow over the store; drops from the palette, connections, selection, fit and focus.
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useState, type DragEvent, type MouseEvent } from 'react';
import type { NodeKind, Position } from '../graph/types.ts';
import { exitsOf } from '../graph/exits.ts';
import { nodeSize } from '../graph/layout.ts';
import { beginMove, connectExit, focusNode, insertNode, moveNodes, select, useFlow } from '../store/flow.ts';
import { Progress } from '../chrome/Progress.tsx';
import { BirdsEye, boxesOf } from './BirdsEye.tsx';
import { useDrawing } from './drawing.ts';
import { fitAll } from './fit.ts';
import type { FlowNodeType } from './NodeShell.tsx';
import { LoopEdge } from './LoopEdge.tsx';
import { farNodeTypes, nodeTypes } from './nodes.tsx';
import { OverviewMap } from './OverviewMap.tsx';

const edgeTypes = { loop: LoopEdge };

export const KIND_MIME = 'application/x-ivr-kind';

/** A big flow is painted by BirdsEye when far out, at any zoom: "zoom to fit" can show all of a 2 000-form tree. */
const BIG_MIN_ZOOM = 0.002;

function applySelection(changes: NodeChange<FlowNodeType>[] | EdgeChange[], current: string[]): string[] {
  const next = new Set(current);
  for (const c of changes) {
    if (c.type !== 'select') continue;
    if (c.selected) next.add(c.id);
    else next.delete(c.id);
  }
  return [...next];
}

/** Fits and focuses on request; true while a fit is pending (the render before it: draw a big flow cheaply). */
function useFitAndFocus(): boolean {
  const flow = useReactFlow();
  const fitRequest = useFlow((s) => s.fitRequest);
  const focus = useFlow((s) => s.focusRequest);
  // Fit once per request, from the store's positions (big flows only render, and measure, what is visible).
  // The first fit is done by onInit, when the viewport has its size.
  const [fitted, setFitted] = useState(fitRequest);
  useLayoutEffect(() => {
    if (fitted === fitRequest) return;
    fitAll(flow);
    setFitted(fitRequest);
  }, [fitRequest, fitted, flow]);
  useEffect(() => {
    if (!focus) return;
    // From the store: a big flow's node may not be in React Flow (bird's-eye view) or not rendered yet.
    const { graph, positions } = useFlow.getState();
    const node = graph.nodes.find((n) => n.key === focus.key);
    const at = positions[focus.key];
    if (!node || !at) return;
    const { width, height } = nodeSize(exitsOf(node.form).length);
    void flow.setCenter(at.x + width / 2, at.y + height / 2, {
      zoom: Math.max(flow.getZoom(), 1),
      duration: 200,
    });
  }, [focus, flow]);
  return fitted !== fitRequest;
}

const miniClass = (n: FlowNodeType) => `mini-${String(n.type)}`;

export function Canvas() {
  const flow = useReactFlow();
  const fitting = useFitAndFocus();
  const { nodes, edges, big, far, birdsEye } = useDrawing(fitting);

  /** In the bird's-eye view a click on a node's box zooms in on it. */
  const onPaneClick = useCallback(
    (event: MouseEvent) => {
      if (!birdsEye) return;
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const { graph: g, positions: p } = useFlow.getState();
      const hit = boxesOf(g, p).find(
        (b) => at.x >= b.x && at.x <= b.x + b.width && at.y >= b.y && at.y <= b.y + b.height,
      );
      if (hit) focusNode(hit.key);
    },
    [birdsEye, flow],
  );

  const onNodesChange = useCallback((changes: NodeChange<FlowNodeType>[]) => {
    // Sizes are not kept: every node is drawn at its computed size (derive.ts), React Flow keeps what it measured.
    const moves: Record<string, Position> = {};
    for (const c of changes) if (c.type === 'position' && c.position) moves[c.id] = c.position;
    if (Object.keys(moves).length) moveNodes(moves);
    if (changes.some((c) => c.type === 'select')) {
      const s = useFlow.getState();
      select(applySelection(changes, s.selected), s.selectedEdges);
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    if (!changes.some((c) => c.type === 'select')) return;
    const s = useFlow.getState();
    select(s.selected, applySelection(changes, s.selectedEdges));
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (c.sourceHandle) connectExit(c.source, c.sourceHandle, c.target);
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const kind = event.dataTransfer.getData(KIND_MIME) as NodeKind;
      if (!kind) return;
      insertNode(kind, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [flow],
  );

  return (
    <div className="canvas" data-testid="canvas" onDrop={onDrop} onDragOver={(e) => e.preventDefault()}>
      <Progress />
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={far ? farNodeTypes : nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={beginMove}
        onPaneClick={onPaneClick}
        onInit={(instance) => fitAll(instance)}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        minZoom={big ? BIG_MIN_ZOOM : 0.02}
        onlyRenderVisibleElements={big}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        {birdsEye && <BirdsEye />}
        <Controls />
        {big ? (
          <OverviewMap />
        ) : (
          <MiniMap pannable zoomable data-testid="minimap" nodeClassName={miniClass} />
        )}
      </ReactFlow>
    </div>
  );
}

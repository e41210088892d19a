// The drawing surface: React Flow over the store; drops from the palette, connections, selection, fit and focus.
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
  type DragEvent,
  type MouseEvent,
} from 'react';
import type { NodeKind, Position } from '../graph/types.ts';
import { useT } from '../i18n/index.ts';
import { exitsOf } from '../graph/exits.ts';
import { nodeSize } from '../graph/layout.ts';
import { beginMove, connectExit, focusNode, insertNode, moveNodes, select, useFlow } from '../store/flow.ts';
import { useOverlay } from '../store/overlay.ts';
import { Progress } from '../chrome/Progress.tsx';
import { BIG_FLOW } from '../store/flow.ts';
import { BirdsEye, boxesOf } from './BirdsEye.tsx';
import { deriveEdges, deriveNodes } from './derive.ts';
import { fitAll } from './fit.ts';
import type { FlowNodeType } from './NodeShell.tsx';
import { LoopEdge } from './LoopEdge.tsx';
import { farNodeTypes, nodeTypes } from './nodes.tsx';
import { OverviewMap } from './OverviewMap.tsx';

const edgeTypes = { loop: LoopEdge };

export const KIND_MIME = 'application/x-ivr-kind';

/**
 * Levels of detail of a big flow. Below DETAIL_MIN_ZOOM nodes are simplified boxes (FarNode) and edges bare:
 * 12px text is under 6px tall there. Below BIRDS_EYE_ZOOM the whole flow is painted into one canvas
 * (BirdsEye). Drawing less where less can be seen is what keeps a 2 000-form flow at 60 frames a second.
 */
const DETAIL_MIN_ZOOM = 0.5;
const BIRDS_EYE_ZOOM = 0.3;
const NO_NODES: FlowNodeType[] = [];
const NO_EDGES: Edge[] = [];

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
  const t = useT();
  const flow = useReactFlow();
  const graph = useFlow((s) => s.graph);
  const positions = useFlow((s) => s.positions);
  const selected = useFlow((s) => s.selected);
  const selectedEdges = useFlow((s) => s.selectedEdges);
  const problems = useFlow((s) => s.problems);
  const counts = useOverlay((s) => s.counts);
  const runningForm = useOverlay((s) => s.runningForm);
  const visited = useOverlay((s) => s.visited);
  const taken = useOverlay((s) => s.taken);
  const fitting = useFitAndFocus();

  const big = graph.nodes.length > BIG_FLOW;
  const zoom = useStore((s) =>
    s.transform[2] < BIRDS_EYE_ZOOM ? 0 : s.transform[2] < DETAIL_MIN_ZOOM ? 1 : 2,
  );
  const far = big && zoom < 2;
  // While a fit is pending the zoom is the old one: a freshly imported big flow is drawn from far first.
  const birdsEye = big && (zoom === 0 || fitting);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const nodes = useMemo(
    () =>
      birdsEye
        ? NO_NODES
        : deriveNodes({ graph, positions, selected: selectedSet, problems, counts, runningForm, visited }),
    [birdsEye, graph, positions, selectedSet, problems, counts, runningForm, visited],
  );
  const edges = useMemo(
    () => (birdsEye ? NO_EDGES : deriveEdges(graph, new Set(selectedEdges), t, !far, taken)),
    [birdsEye, graph, selectedEdges, t, far, taken],
  );

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
        minZoom={0.02}
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

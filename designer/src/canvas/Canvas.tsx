// The drawing surface: React Flow over the store; drops from the palette, connections, selection, fit and focus.
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { NodeKind, Position } from '../graph/types.ts';
import { useT } from '../i18n/index.ts';
import { beginMove, connectExit, insertNode, moveNodes, select, useFlow } from '../store/flow.ts';
import { useOverlay } from '../store/overlay.ts';
import { deriveEdges, deriveNodes } from './derive.ts';
import { fitAll } from './fit.ts';
import type { FlowNodeType } from './NodeShell.tsx';
import { LoopEdge } from './LoopEdge.tsx';
import { nodeTypes } from './nodes.tsx';

const edgeTypes = { loop: LoopEdge };

export const KIND_MIME = 'application/x-ivr-kind';

type Size = { width: number; height: number };

/** Flows bigger than this render only what is on screen and drop edge labels when zoomed far out. */
const BIG_FLOW = 200;
/** Below this zoom an 11px label is a few pixels tall: not drawn on big flows. */
const LABEL_MIN_ZOOM = 0.35;

function applySelection(changes: NodeChange<FlowNodeType>[] | EdgeChange[], current: string[]): string[] {
  const next = new Set(current);
  for (const c of changes) {
    if (c.type !== 'select') continue;
    if (c.selected) next.add(c.id);
    else next.delete(c.id);
  }
  return [...next];
}

/** The sizes with `sized` applied; the same map when nothing changed (a node scrolled back into view). */
function remeasured(current: Map<string, Size>, sized: Map<string, Size>): Map<string, Size> {
  const changed = [...sized].filter(([key, size]) => {
    const old = current.get(key);
    return old?.width !== size.width || old.height !== size.height;
  });
  return changed.length ? new Map([...current, ...changed]) : current;
}

function useFitAndFocus(): void {
  const flow = useReactFlow();
  const fitRequest = useFlow((s) => s.fitRequest);
  const focus = useFlow((s) => s.focusRequest);
  // Fit once per request, from the store's positions (big flows only render, and measure, what is visible).
  // The first fit is done by onInit, when the viewport has its size.
  const mounted = useRef(fitRequest);
  useEffect(() => {
    if (mounted.current !== fitRequest) fitAll(flow);
  }, [fitRequest, flow]);
  useEffect(() => {
    if (!focus) return;
    const node = flow.getInternalNode(focus.key);
    if (!node) return;
    const { x, y } = node.internals.positionAbsolute;
    const w = node.measured.width ?? 240;
    const h = node.measured.height ?? 100;
    void flow.setCenter(x + w / 2, y + h / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 200 });
  }, [focus, flow]);
}

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
  const [measured, setMeasured] = useState(() => new Map<string, Size>());
  useFitAndFocus();

  const nodes = useMemo(
    () =>
      deriveNodes({ graph, positions, selected: new Set(selected), problems, measured, counts, runningForm }),
    [graph, positions, selected, problems, measured, counts, runningForm],
  );
  const zoomedOut = useStore((s) => s.transform[2] < LABEL_MIN_ZOOM);
  const labels = !zoomedOut || graph.nodes.length <= BIG_FLOW;
  const edges = useMemo(
    () => deriveEdges(graph, new Set(selectedEdges), t, labels),
    [graph, selectedEdges, t, labels],
  );

  const onNodesChange = useCallback((changes: NodeChange<FlowNodeType>[]) => {
    const moves: Record<string, Position> = {};
    let sized: Map<string, Size> | undefined;
    for (const c of changes) {
      if (c.type === 'position' && c.position) moves[c.id] = c.position;
      if (c.type === 'dimensions' && c.dimensions) {
        sized ??= new Map();
        sized.set(c.id, c.dimensions);
      }
    }
    if (Object.keys(moves).length) moveNodes(moves);
    if (sized) setMeasured((m) => remeasured(m, sized));
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
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={beginMove}
        onInit={(instance) => fitAll(instance)}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        minZoom={0.02}
        onlyRenderVisibleElements={nodes.length > BIG_FLOW}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls />
        <MiniMap pannable zoomable data-testid="minimap" nodeClassName={(n) => `mini-${String(n.type)}`} />
      </ReactFlow>
    </div>
  );
}

// What the canvas draws of the store's state at the current zoom: the level of detail, then nodes and edges.
import { useStore, type Edge } from '@xyflow/react';
import { useMemo } from 'react';
import { useT } from '../i18n/index.ts';
import { useFlow } from '../store/flow.ts';
import { useOverlay } from '../store/overlay.ts';
import { deriveEdges, deriveNodes } from './derive.ts';
import type { FlowNodeType } from './NodeShell.tsx';

/**
 * Levels of detail of a big flow. Below DETAIL_MIN_ZOOM nodes are simplified boxes (FarNode) and edges bare:
 * 12px text is under 6px tall there. Below BIRDS_EYE_ZOOM the whole flow is painted into one canvas
 * (BirdsEye). Drawing less where less can be seen is what keeps a 2 000-form flow at 60 frames a second.
 */
const DETAIL_MIN_ZOOM = 0.5;
/** From this many forms on, only what is visible is rendered, by level of detail (a test flow has a dozen). */
export const DETAIL_MIN_NODES = 60;
const BIRDS_EYE_ZOOM = 0.3;
const NO_NODES: FlowNodeType[] = [];
const NO_EDGES: Edge[] = [];

export interface Drawing {
  nodes: FlowNodeType[];
  edges: Edge[];
  /** More than DETAIL_MIN_NODES forms: only what is visible is rendered, by level of detail. */
  big: boolean;
  /** Simplified nodes and bare edges. */
  far: boolean;
  /** No React Flow nodes at all: BirdsEye paints the flow. */
  birdsEye: boolean;
}

/** `fitting`: a fit is pending, so the zoom is the old one: a freshly imported big flow is drawn from far first. */
export function useDrawing(fitting: boolean): Drawing {
  const t = useT();
  const graph = useFlow((s) => s.graph);
  const positions = useFlow((s) => s.positions);
  const selected = useFlow((s) => s.selected);
  const selectedEdges = useFlow((s) => s.selectedEdges);
  const problems = useFlow((s) => s.problems);
  const { counts, runningForm, visited, taken } = useOverlay();
  const big = graph.nodes.length > DETAIL_MIN_NODES;
  const level = useStore((s) =>
    s.transform[2] < BIRDS_EYE_ZOOM ? 0 : s.transform[2] < DETAIL_MIN_ZOOM ? 1 : 2,
  );
  const far = big && level < 2;
  const birdsEye = big && (level === 0 || fitting);
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
  return { nodes, edges, big, far, birdsEye };
}

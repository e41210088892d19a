// Zoom to fit from the store's positions: works before nodes are measured (big flows render only what is visible).
import type { ReactFlowInstance } from '@xyflow/react';
import { exitsOf } from '../graph/exits.ts';
import { nodeSize } from '../graph/layout.ts';
import { useFlow } from '../store/flow.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fitAll(flow: ReactFlowInstance<any, any>, duration = 0): void {
  const { graph, positions } = useFlow.getState();
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of graph.nodes) {
    const p = positions[n.key];
    if (!p) continue;
    const measured = flow.getInternalNode(n.key)?.measured;
    const size = measured?.width
      ? { width: measured.width, height: measured.height ?? 0 }
      : nodeSize(exitsOf(n.form).length);
    [x0, y0] = [Math.min(x0, p.x), Math.min(y0, p.y)];
    [x1, y1] = [Math.max(x1, p.x + size.width), Math.max(y1, p.y + size.height)];
  }
  if (x0 === Infinity) return;
  void flow.fitBounds({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, { padding: 0.1, duration });
  // fitBounds may zoom far in on a single small node: cap like fitView's maxZoom.
  if (flow.getZoom() > 1.1) void flow.zoomTo(1.1, { duration });
}

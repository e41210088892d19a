// Inserting a node where the analyst is looking: the centre of the visible canvas.
import type { ReactFlowInstance } from '@xyflow/react';
import type { NodeKind } from '../graph/types.ts';
import { insertNode } from '../store/flow.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function insertAtCentre(flow: ReactFlowInstance<any, any>, kind: NodeKind): string {
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
  const centre = pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 400, y: 300 };
  const at = flow.screenToFlowPosition(centre);
  return insertNode(kind, { x: at.x - 120, y: at.y - 50 }, true);
}

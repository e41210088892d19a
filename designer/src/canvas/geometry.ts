// Where a node's handles are, computed (not measured): React Flow draws edges of nodes it never rendered.
import { Position, type NodeHandle } from '@xyflow/react';
import { EXIT_ROW, NODE_HEADER, nodeSize } from '../graph/layout.ts';
import type { Exit } from '../graph/types.ts';

const HANDLE = 10;

/** The handle of exit row `i` is centred on the right border, at the row's middle. */
export function exitHandleTop(i: number): number {
  return NODE_HEADER + EXIT_ROW * i + EXIT_ROW / 2;
}

/** The node's size and its handles (the input on the left border, one per exit on the right), as styles.css draws them. */
export function nodeGeometry(exits: Exit[]): { width: number; height: number; handles: NodeHandle[] } {
  const { width, height } = nodeSize(exits.length);
  const half = HANDLE / 2;
  const handles: NodeHandle[] = [
    {
      id: 'in',
      type: 'target',
      position: Position.Left,
      x: -half,
      y: height / 2 - half,
      width: HANDLE,
      height: HANDLE,
    },
    ...exits.map((e, i) => ({
      id: e.handle,
      type: 'source' as const,
      position: Position.Right,
      x: width - half,
      y: exitHandleTop(i) - half,
      width: HANDLE,
      height: HANDLE,
    })),
  ];
  return { width, height, handles };
}

// What the runtime tells the canvas about calls: per-node counts and the node a test call is executing.
import { create } from 'zustand';
import type { NodeCounts } from '../canvas/NodeShell.tsx';

export interface OverlayState {
  counts?: Record<string, NodeCounts>;
  /** Form id the test call is in. */
  runningForm?: string;
}

export const useOverlay = create<OverlayState>(() => ({}));

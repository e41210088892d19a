// What the runtime tells the canvas about calls: per-node counts, the node a test call is executing, and the
// path the last test call took.
import { create } from 'zustand';
import type { NodeCounts } from '../canvas/NodeShell.tsx';

export interface OverlayState {
  counts?: Record<string, NodeCounts>;
  /** Form id the test call is in. */
  runningForm?: string;
  /** Form ids the current or last test call went through. */
  visited?: Set<string>;
  /** Edge ids (`<node key>:<handle>`) it followed. */
  taken?: Set<string>;
}

export const useOverlay = create<OverlayState>(() => ({}));

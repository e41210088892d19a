// Undo/redo as a bounded history of store snapshots (the graph and the node positions).
import type { FlowGraph, Position } from '../graph/types.ts';

export interface Snapshot {
  graph: FlowGraph;
  positions: Record<string, Position>;
}

export interface History {
  past: Snapshot[];
  future: Snapshot[];
}

const LIMIT = 200;

export const emptyHistory = (): History => ({ past: [], future: [] });

/** Records `current` as the state to return to, dropping anything that was undone. */
export function record(h: History, current: Snapshot): History {
  return { past: [...h.past.slice(-(LIMIT - 1)), current], future: [] };
}

export function undo(h: History, current: Snapshot): { history: History; snapshot?: Snapshot } {
  const snapshot = h.past[h.past.length - 1];
  if (!snapshot) return { history: h };
  return { history: { past: h.past.slice(0, -1), future: [current, ...h.future] }, snapshot };
}

export function redo(h: History, current: Snapshot): { history: History; snapshot?: Snapshot } {
  const snapshot = h.future[0];
  if (!snapshot) return { history: h };
  return { history: { past: [...h.past, current], future: h.future.slice(1) }, snapshot };
}

// A fast layered layout for big flows: columns by breadth-first depth, rows like a tidy tree. Linear time.
import { exitsOf } from './exits.ts';
import { edgesOf } from './mapping.ts';
import type { FlowGraph, Position } from './types.ts';

const BETWEEN_LAYERS = 90;
const BETWEEN_NODES = 40;

/**
 * Lays the graph out left to right without elkjs (which needs seconds for a thousand nodes): each node goes in
 * the column of its breadth-first depth from the first node, and in the rows of its spanning-tree children, so
 * a menu's branches stay beside it. Nodes of one column never overlap; columns are wider than a node.
 */
export function treeLayout(
  graph: FlowGraph,
  sizeOf: (exitCount: number) => { width: number; height: number },
): Record<string, Position> {
  const out = new Map<string, string[]>();
  for (const e of edgesOf(graph)) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const depth = new Map<string, number>();
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const n of graph.nodes) {
    if (depth.has(n.key)) continue;
    roots.push(n.key);
    depth.set(n.key, 0);
    const queue = [n.key];
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i];
      const own: string[] = [];
      for (const target of out.get(key) ?? []) {
        if (depth.has(target)) continue;
        depth.set(target, depth.get(key)! + 1);
        own.push(target);
        queue.push(target);
      }
      children.set(key, own);
    }
  }
  const sizes = new Map(graph.nodes.map((n) => [n.key, sizeOf(exitsOf(n.form).length)]));
  const column = Math.max(0, ...[...sizes.values()].map((s) => s.width)) + BETWEEN_LAYERS;
  const nextFree: number[] = [];
  const positions: Record<string, Position> = {};
  // Children first, then the parent centred on them (never above the column's last node).
  const place = (key: string): number => {
    const d = depth.get(key)!;
    const h = sizes.get(key)!.height;
    const centres = (children.get(key) ?? []).map(place);
    const wanted = centres.length ? (centres[0] + centres[centres.length - 1]) / 2 - h / 2 : -Infinity;
    const y = Math.max(wanted, nextFree[d] ?? 0);
    nextFree[d] = y + h + BETWEEN_NODES;
    positions[key] = { x: d * column, y };
    return y + h / 2;
  };
  for (const root of roots) place(root);
  return positions;
}

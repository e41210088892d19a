// Auto-layout: elkjs's layered algorithm, left to right, exits as ordered ports (big flows: tree-layout.ts). Pure.
import type { ELK, ELKConstructorArguments, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { exitsOf } from './exits.ts';
import { edgesOf } from './mapping.ts';
import { treeLayout } from './tree-layout.ts';
import type { FlowGraph, Position } from './types.ts';

export const NODE_WIDTH = 240;
/** Header, summary line and facts line: the exit rows start this far below the node's top. */
export const NODE_HEADER = 76;
export const EXIT_ROW = 22;
const NODE_FOOT = 4;

/**
 * The size a node is drawn at. The canvas draws every node at exactly this size (styles.css), so layout, fit,
 * edges and drawing agree before anything is measured.
 */
export function nodeSize(exitCount: number): { width: number; height: number } {
  return { width: NODE_WIDTH, height: NODE_HEADER + EXIT_ROW * Math.max(exitCount, 1) + NODE_FOOT };
}

/**
 * Past this many nodes elkjs takes seconds (2.4 s for 100 nodes on a loaded 2-core machine; even in a worker
 * the flow shows up late): our own linear layout instead.
 */
export const ELK_MAX_NODES = 60;

let bundled: Promise<ELK> | undefined;

/** elkjs is 1.5 MB: loaded on the first layout, not with the page. */
function loadElk(): Promise<ELK> {
  bundled ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    // elkjs is CommonJS: the constructor is `default` (or `default.default`, depending on the interop layer).
    const outer = (m as unknown as { default: unknown }).default as { default?: unknown };
    const Ctor = (outer.default ?? outer) as new (args?: ELKConstructorArguments) => ELK;
    return new Ctor();
  });
  return bundled;
}

/** Lays the graph out; `engine` lets the browser run elkjs in a Web Worker (default: elkjs on this thread). */
export async function layoutGraph(
  graph: FlowGraph,
  engine?: Promise<ELK> | ELK,
): Promise<Record<string, Position>> {
  if (graph.nodes.length > ELK_MAX_NODES) return treeLayout(graph, nodeSize);
  const children: ElkNode[] = graph.nodes.map((n) => {
    const exits = exitsOf(n.form);
    return {
      id: n.key,
      ...nodeSize(exits.length),
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
      ports: [
        { id: `${n.key}::in`, layoutOptions: { 'elk.port.side': 'WEST' } },
        ...exits.map((e, i) => ({
          id: `${n.key}::${e.handle}`,
          layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(exits.length - i) },
        })),
      ],
    };
  });
  const edges = edgesOf(graph).map((e) => ({
    id: e.id,
    sources: [`${e.source}::${e.sourceHandle}`],
    targets: [`${e.target}::in`],
  }));
  const elk = await (engine ?? loadElk());
  const root = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '40',
      // Brandes-Köpf is several times faster than network simplex on big flows.
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children,
    edges,
  });
  const positions: Record<string, Position> = {};
  for (const c of root.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return positions;
}

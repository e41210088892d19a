// The fast layout big flows get instead of elkjs: every node placed, none overlapping, branches to the right.
import { describe, expect, it } from 'vitest';
import type { Document, Form } from '../../../schema/ast.ts';
import { edgesOf, fromDocument } from '../../../designer/src/graph/index.ts';
import { ELK_MAX_NODES, layoutGraph, nodeSize } from '../../../designer/src/graph/layout.ts';
import { exitsOf } from '../../../designer/src/graph/exits.ts';
import { treeLayout } from '../../../designer/src/graph/tree-layout.ts';

/** Form i: a menu going to forms 2i+1 and 2i+2 (a binary tree), key 3 back to itself, key 9 to `orphan`. */
function tree(n: number): Document {
  const to = (j: number) => (j >= n ? 'hungup' : `#f${j}`);
  const forms: Form[] = Array.from({ length: n }, (_, i) => ({
    type: 'form',
    kind: 'menu',
    id: i === 0 ? 'main' : `f${i}`,
    items: [
      { type: 'choice', dtmf: '1', next: to(2 * i + 1) },
      { type: 'choice', dtmf: '2', next: to(2 * i + 2) },
      { type: 'choice', dtmf: '3', next: i === 0 ? '#main' : `#f${i}` },
    ],
  }));
  // Reached by nothing: laid out as a tree of its own.
  forms.push({ type: 'form', kind: 'form', id: 'orphan', items: [{ type: 'goto', next: '#f1' }] });
  return { type: 'document', forms };
}

describe('tree layout', () => {
  const graph = fromDocument(tree(300));
  const positions = treeLayout(graph, nodeSize);

  it('places every node, no two overlapping', () => {
    expect(Object.keys(positions).sort()).toEqual(graph.nodes.map((n) => n.key).sort());
    const boxes = graph.nodes.map((n) => ({ ...positions[n.key], ...nodeSize(exitsOf(n.form).length) }));
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        if (!apart) overlaps.push(`${graph.nodes[i].key}/${graph.nodes[j].key}`);
      }
    }
    expect(overlaps).toEqual([]);
  });

  it('puts each branch of the tree one column right of the menu that opens it', () => {
    const key = (id: string) => graph.nodes.find((n) => n.form.id === id)!.key;
    expect(positions[key('f1')].x).toBeGreaterThan(positions[key('main')].x);
    expect(positions[key('f3')].x).toBeGreaterThan(positions[key('f1')].x);
    expect(positions[key('f3')].x - positions[key('f1')].x).toBe(
      positions[key('f1')].x - positions[key('main')].x,
    );
    const forward = edgesOf(graph).filter((e) => e.source !== e.target && graph.nodes[0].key !== e.target);
    const right = forward.filter((e) => positions[e.target].x > positions[e.source].x);
    expect(right.length).toBeGreaterThan(forward.length / 2);
  });

  it('is what layoutGraph uses past elkjs limit', async () => {
    expect(graph.nodes.length).toBeGreaterThan(ELK_MAX_NODES);
    expect(await layoutGraph(graph)).toEqual(positions);
  });
});

// Document <-> graph: one node per form, in document order; edges derived from each form's exits.
import type { Document, Form } from '../../../schema/ast.ts';
import { HANGUP_TARGET, targetId } from '../../../schema/ast.ts';
import { exitsOf } from './exits.ts';
import type { FlowEdge, FlowGraph, FlowNode } from './types.ts';

/** The graph of a document; node keys are `n1`, `n2`... in document order. */
export function fromDocument(doc: Document): FlowGraph {
  const graph: FlowGraph = { nodes: doc.forms.map((form, i) => ({ key: `n${i + 1}`, form })) };
  if (doc.schemaLocation !== undefined) graph.schemaLocation = doc.schemaLocation;
  if (doc.trailingComments !== undefined) graph.trailingComments = doc.trailingComments;
  return graph;
}

/** The document a graph stands for: its forms in node order. */
export function toDocument(graph: FlowGraph): Document {
  const doc: Document = { type: 'document', forms: graph.nodes.map((n) => n.form) };
  if (graph.schemaLocation !== undefined) doc.schemaLocation = graph.schemaLocation;
  if (graph.trailingComments !== undefined) doc.trailingComments = graph.trailingComments;
  return doc;
}

const indexes = new WeakMap<FlowNode[], Map<string, string>>();

/** Form id -> key of the first node with that id, built once per nodes array (big flows look up a lot). */
function formIndex(nodes: FlowNode[]): Map<string, string> {
  let index = indexes.get(nodes);
  if (!index) {
    index = new Map();
    for (const n of nodes) if (!index.has(n.form.id)) index.set(n.form.id, n.key);
    indexes.set(nodes, index);
  }
  return index;
}

/** The key of the first node whose form has this id (the one a `goto` reaches). */
export function keyOfForm(nodes: FlowNode[], id: string): string | undefined {
  return formIndex(nodes).get(id);
}

/** Every labelled edge: one per exit whose `next` names a form of the graph. */
export function edgesOf(graph: FlowGraph): FlowEdge[] {
  const byId = formIndex(graph.nodes);
  const edges: FlowEdge[] = [];
  for (const node of graph.nodes) {
    for (const exit of exitsOf(node.form)) {
      const id = exit.next === undefined ? undefined : targetId(exit.next);
      const target = id === undefined ? undefined : byId.get(id);
      if (!target) continue;
      edges.push({
        id: `${node.key}:${exit.handle}`,
        source: node.key,
        target,
        sourceHandle: exit.handle,
        label: exit.label,
        on: exit.on,
        steps: exit.steps,
      });
    }
  }
  return edges;
}

/** How an exit's `next` reads: `#id` for a form, `hungup`, or a missing target. */
export function describeNext(
  graph: FlowGraph,
  next: string | undefined,
): 'none' | 'hangup' | 'form' | 'missing' {
  if (next === undefined || next === '') return 'none';
  if (next === HANGUP_TARGET) return 'hangup';
  const id = targetId(next);
  return id !== undefined && keyOfForm(graph.nodes, id) ? 'form' : 'missing';
}

/** Forms whose `goto`/`choice` point at `#from` now point at `#to` (used when a form is renamed). */
export function retarget(form: Form, from: string, to: string): Form {
  const fix = (items: Form['items']): Form['items'] =>
    items.map((item) => {
      if ((item.type === 'goto' || item.type === 'choice') && item.next === `#${from}`) {
        return { ...item, next: `#${to}` };
      }
      if (item.type === 'if') {
        const out = {
          ...item,
          then: fix(item.then),
          elseifs: item.elseifs.map((e) => ({ ...e, items: fix(e.items) })),
        };
        if (item.else) out.else = fix(item.else);
        return out;
      }
      return item;
    });
  return { ...form, items: fix(form.items) };
}

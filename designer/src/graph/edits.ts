// Pure edits of a graph: add, remove, rename, duplicate nodes and connect exits. Each returns a new graph.
import type { Form } from '../../../schema/ast.ts';
import { targetId } from '../../../schema/ast.ts';
import { exitByHandle, setExitTarget } from './exits.ts';
import { retarget } from './mapping.ts';
import { baseId, templateForm } from './templates.ts';
import type { FlowGraph, FlowNode, NodeKind } from './types.ts';

/** An id no form of the graph has: `base`, else `base_2`, `base_3`... */
export function uniqueId(graph: FlowGraph, base: string, taken: Set<string> = new Set()): string {
  const used = new Set([...graph.nodes.map((n) => n.form.id), ...taken]);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** A node key not used yet (`n<k>` with k above every numbered key). */
export function nextKey(graph: FlowGraph, offset = 0): string {
  let max = 0;
  for (const n of graph.nodes) {
    const m = /^n(\d+)$/.exec(n.key);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `n${max + 1 + offset}`;
}

export function addNode(graph: FlowGraph, kind: NodeKind): { graph: FlowGraph; key: string } {
  const key = nextKey(graph);
  const form = templateForm(kind, uniqueId(graph, baseId(kind)));
  return { graph: { ...graph, nodes: [...graph.nodes, { key, form }] }, key };
}

export function insertForms(graph: FlowGraph, forms: Form[]): { graph: FlowGraph; keys: string[] } {
  // Pasted forms keep their links to each other: ids that clash are renamed, and so are references to them.
  const taken = new Set<string>();
  const renames = new Map<string, string>();
  for (const f of forms) {
    const id = uniqueId(graph, f.id, taken);
    taken.add(id);
    renames.set(f.id, id);
  }
  const nodes: FlowNode[] = forms.map((f, i) => {
    let form: Form = { ...f, id: renames.get(f.id) ?? f.id };
    for (const [from, to] of renames) if (from !== to) form = retarget(form, from, to);
    return { key: nextKey(graph, i), form };
  });
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes] }, keys: nodes.map((n) => n.key) };
}

export function removeNodes(graph: FlowGraph, keys: Set<string>): FlowGraph {
  return { ...graph, nodes: graph.nodes.filter((n) => !keys.has(n.key)) };
}

export function updateForm(graph: FlowGraph, key: string, update: (form: Form) => Form): FlowGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.key === key ? { ...n, form: update(n.form) } : n)) };
}

/** Renames a form and every goto/choice that pointed at it. */
export function renameForm(graph: FlowGraph, key: string, id: string): FlowGraph {
  const node = graph.nodes.find((n) => n.key === key);
  if (!node || node.form.id === id) return graph;
  const old = node.form.id;
  const stillNamed = graph.nodes.some((n) => n.key !== key && n.form.id === old);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const form = stillNamed ? n.form : retarget(n.form, old, id);
      return n.key === key ? { ...n, form: { ...form, id } } : { ...n, form };
    }),
  };
}

/** Points the exit `handle` of node `source` at node `target` (or nowhere when target is undefined). */
export function connect(
  graph: FlowGraph,
  source: string,
  handle: string,
  target: string | undefined,
): FlowGraph {
  const to = target === undefined ? undefined : graph.nodes.find((n) => n.key === target);
  if (target !== undefined && !to) return graph;
  return setNext(graph, source, handle, to ? `#${to.form.id}` : undefined);
}

/** Sets the `next` of one exit (`#id`, `hungup`, or undefined to cut it). */
export function setNext(
  graph: FlowGraph,
  source: string,
  handle: string,
  next: string | undefined,
): FlowGraph {
  return updateForm(graph, source, (form) => {
    const exit = exitByHandle(form, handle);
    return exit ? setExitTarget(form, exit, next) : form;
  });
}

/** The id a `next` value names when it is a form reference. */
export { targetId };

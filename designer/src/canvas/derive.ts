// Store state -> React Flow nodes and edges, reusing unchanged node objects so big flows stay fast.
import { MarkerType, type Edge } from '@xyflow/react';
import type { Problem } from '../../../schema/ast.ts';
import { describeNext, edgesOf } from '../graph/mapping.ts';
import { exitsOf } from '../graph/exits.ts';
import { kindOf, promptsOf, summarizePrompts, summarizeSteps } from '../graph/kinds.ts';
import type { FlowGraph, Position } from '../graph/types.ts';
import type { Translate } from '../i18n/index.ts';
import { nodeGeometry } from './geometry.ts';
import type { FlowNodeData, FlowNodeType, NodeCounts } from './NodeShell.tsx';
import { exitLabel } from './NodeShell.tsx';

export interface DeriveInput {
  graph: FlowGraph;
  positions: Record<string, Position>;
  selected: Set<string>;
  problems: Problem[];
  counts?: Record<string, NodeCounts>;
  runningForm?: string;
  visited?: Set<string>;
}

interface FormProblems {
  list: Problem[];
  /** Compared instead of the list: revalidation makes new problem objects for unchanged problems. */
  key: string;
}

const NONE: FormProblems = { list: [], key: '' };
const grouped = new WeakMap<Problem[], Map<string, FormProblems>>();

export function problemsByForm(problems: Problem[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const p of problems) if (p.form !== undefined) out.set(p.form, [...(out.get(p.form) ?? []), p]);
  return out;
}

/** Problems by form with a comparison key, once per problems array (a drag re-derives every frame). */
function groupedProblems(problems: Problem[]): Map<string, FormProblems> {
  let out = grouped.get(problems);
  if (!out) {
    out = new Map();
    for (const [form, list] of problemsByForm(problems)) {
      out.set(form, { list, key: list.map((p) => `${p.code}${p.message}`).join('|') });
    }
    grouped.set(problems, out);
  }
  return out;
}

function sameTargets(node: FlowNodeType, graph: FlowGraph): boolean {
  return node.data.exits.every((e) => describeNext(graph, e.next) === node.data.targets[e.handle]);
}

interface Deps {
  form: unknown;
  graph: FlowGraph;
  position: Position | undefined;
  selected: boolean;
  problems: string;
  counts: NodeCounts | undefined;
  running: boolean;
  visited: boolean;
}

const cache = new Map<string, { node: FlowNodeType; deps: Deps }>();

/** Unchanged apart from the graph? (Compared field by field: a drag re-derives 2 000 nodes every frame.) */
function sameDeps(a: Deps, b: Deps): boolean {
  return (
    a.form === b.form &&
    a.position === b.position &&
    a.selected === b.selected &&
    a.problems === b.problems &&
    a.counts === b.counts &&
    a.running === b.running &&
    a.visited === b.visited
  );
}

export function deriveNodes(input: DeriveInput): FlowNodeType[] {
  const byForm = groupedProblems(input.problems);
  return input.graph.nodes.map((n) => {
    const problems = byForm.get(n.form.id) ?? NONE;
    const deps: Deps = {
      form: n.form,
      graph: input.graph,
      position: input.positions[n.key],
      selected: input.selected.has(n.key),
      problems: problems.key,
      counts: input.counts?.[n.form.id],
      running: input.runningForm === n.form.id,
      visited: input.visited?.has(n.form.id) === true,
    };
    const hit = cache.get(n.key);
    // Other forms matter only through this node's exit targets: checked only when the graph changed.
    if (
      hit &&
      sameDeps(hit.deps, deps) &&
      (hit.deps.graph === input.graph || sameTargets(hit.node, input.graph))
    ) {
      hit.deps.graph = input.graph;
      return hit.node;
    }
    const exits = exitsOf(n.form);
    const data: FlowNodeData = {
      node: n,
      kind: kindOf(n.form),
      exits,
      targets: Object.fromEntries(exits.map((e) => [e.handle, describeNext(input.graph, e.next)])),
      problems: problems.list,
      summary: summarizePrompts(promptsOf(n.form)),
      counts: deps.counts,
      running: deps.running,
      visited: deps.visited,
    };
    // Size and handles are computed: edges of nodes that were never rendered (big flows) still draw.
    const node: FlowNodeType = {
      id: n.key,
      type: data.kind,
      position: deps.position ?? { x: 0, y: 0 },
      data,
      selected: deps.selected,
      ...nodeGeometry(exits),
    };
    cache.set(n.key, { node, deps });
    return node;
  });
}

/**
 * `detail` false (a big flow far zoomed out) draws bare edges: no label (unreadable there, and each one is a
 * measured SVG text) and no arrow head.
 */
export function deriveEdges(
  graph: FlowGraph,
  selected: Set<string>,
  t: Translate,
  detail = true,
  taken?: Set<string>,
): Edge[] {
  return edgesOf(graph).map((e) => {
    const steps = summarizeSteps(e.steps);
    const label = exitLabel(t, { on: e.on, label: e.label } as Parameters<typeof exitLabel>[1]);
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle,
      targetHandle: 'in',
      label: !detail ? undefined : steps ? `${label} ▸ ${steps}` : label,
      selected: selected.has(e.id),
      markerEnd: detail ? { type: MarkerType.ArrowClosed } : undefined,
      className: taken?.has(e.id) ? `edge-${e.on} taken` : `edge-${e.on}`,
      type: e.source === e.target ? 'loop' : 'default',
      data: { on: e.on },
    };
  });
}

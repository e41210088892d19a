// Store state -> React Flow nodes and edges, reusing unchanged node objects so big flows stay fast.
import { MarkerType, type Edge } from '@xyflow/react';
import type { Problem } from '../../../schema/ast.ts';
import { describeNext, edgesOf } from '../graph/mapping.ts';
import { exitsOf } from '../graph/exits.ts';
import { kindOf, promptsOf, summarizePrompts, summarizeSteps } from '../graph/kinds.ts';
import type { FlowGraph, Position } from '../graph/types.ts';
import type { Translate } from '../i18n/index.ts';
import type { FlowNodeData, FlowNodeType, NodeCounts } from './NodeShell.tsx';
import { exitLabel } from './NodeShell.tsx';

export interface DeriveInput {
  graph: FlowGraph;
  positions: Record<string, Position>;
  selected: Set<string>;
  problems: Problem[];
  measured: Map<string, { width: number; height: number }>;
  counts?: Record<string, NodeCounts>;
  runningForm?: string;
}

const cache = new Map<string, { node: FlowNodeType; deps: unknown[] }>();

function same(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function problemsByForm(problems: Problem[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const p of problems) if (p.form !== undefined) out.set(p.form, [...(out.get(p.form) ?? []), p]);
  return out;
}

export function deriveNodes(input: DeriveInput): FlowNodeType[] {
  const byForm = problemsByForm(input.problems);
  return input.graph.nodes.map((n) => {
    const problems = byForm.get(n.form.id) ?? [];
    const deps = [
      n.form,
      input.graph,
      input.positions[n.key],
      input.selected.has(n.key),
      problems.map((p) => p.code + p.message).join('|'),
      input.measured.get(n.key),
      input.counts?.[n.form.id],
      input.runningForm === n.form.id,
    ];
    const hit = cache.get(n.key);
    // The graph itself is a dependency only through exit targets; compare it last and cheaply.
    if (
      hit &&
      same(hit.deps.slice(2), deps.slice(2)) &&
      hit.deps[0] === n.form &&
      // Other forms matter only through this node's exit targets: checked only when the graph changed.
      (hit.deps[1] === input.graph || sameTargets(hit.node, input.graph))
    ) {
      return hit.node;
    }
    const exits = exitsOf(n.form);
    const data: FlowNodeData = {
      node: n,
      kind: kindOf(n.form),
      exits,
      targets: Object.fromEntries(exits.map((e) => [e.handle, describeNext(input.graph, e.next)])),
      problems,
      summary: summarizePrompts(promptsOf(n.form)),
      counts: input.counts?.[n.form.id],
      running: input.runningForm === n.form.id,
    };
    const node: FlowNodeType = {
      id: n.key,
      type: data.kind,
      position: input.positions[n.key] ?? { x: 0, y: 0 },
      data,
      selected: input.selected.has(n.key),
      measured: input.measured.get(n.key),
    };
    cache.set(n.key, { node, deps });
    return node;
  });
}

function sameTargets(node: FlowNodeType, graph: FlowGraph): boolean {
  return node.data.exits.every((e) => describeNext(graph, e.next) === node.data.targets[e.handle]);
}

/** `labels` false draws bare edges: far zoomed out they cannot be read, and each label costs a measured SVG text. */
export function deriveEdges(graph: FlowGraph, selected: Set<string>, t: Translate, labels = true): Edge[] {
  return edgesOf(graph).map((e) => {
    const steps = summarizeSteps(e.steps);
    const label = exitLabel(t, { on: e.on, label: e.label } as Parameters<typeof exitLabel>[1]);
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle,
      targetHandle: 'in',
      label: !labels ? undefined : steps ? `${label} ▸ ${steps}` : label,
      selected: selected.has(e.id),
      markerEnd: { type: MarkerType.ArrowClosed },
      className: `edge-${e.on}`,
      type: e.source === e.target ? 'loop' : 'default',
      data: { on: e.on },
    };
  });
}

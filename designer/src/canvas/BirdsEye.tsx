// A big flow seen from very far: every node and edge painted into one <canvas> each frame, instead of a DOM
// element per node (React Flow then holds no nodes at all). Panning and zooming still go through React Flow's
// pane; a click on a box zooms in on that node (Canvas.tsx). This is the level of detail a 2 000-form flow
// needs to stay at 60 frames a second and to show up within a second of its import.
import { useStore } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { exitsOf } from '../graph/exits.ts';
import { nodeSize } from '../graph/layout.ts';
import { kindOf } from '../graph/kinds.ts';
import { edgesOf } from '../graph/mapping.ts';
import type { FlowEdge, FlowGraph, Position } from '../graph/types.ts';
import { useFlow } from '../store/flow.ts';
import { useOverlay } from '../store/overlay.ts';
import { exitHandleTop } from './geometry.ts';

export const KIND_COLOURS: Record<string, string> = {
  start: '#16a34a',
  play: '#0891b2',
  collect: '#2563eb',
  menu: '#7c3aed',
  transfer: '#ea580c',
  voicemail: '#db2777',
  hangup: '#dc2626',
  form: '#64748b',
};

interface Box {
  key: string;
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  kind: string;
  exits: string[];
}

const boxCache = new WeakMap<FlowGraph, Map<string, Omit<Box, 'x' | 'y'>>>();
const edgeCache = new WeakMap<FlowGraph, FlowEdge[]>();

function edgesOnce(graph: FlowGraph): FlowEdge[] {
  let edges = edgeCache.get(graph);
  if (!edges) edgeCache.set(graph, (edges = edgesOf(graph)));
  return edges;
}

/** What does not move with a drag, once per graph. */
function shapes(graph: FlowGraph): Map<string, Omit<Box, 'x' | 'y'>> {
  let out = boxCache.get(graph);
  if (!out) {
    out = new Map();
    for (const n of graph.nodes) {
      const exits = exitsOf(n.form).map((e) => e.handle);
      out.set(n.key, { key: n.key, id: n.form.id, kind: kindOf(n.form), exits, ...nodeSize(exits.length) });
    }
    boxCache.set(graph, out);
  }
  return out;
}

/** The boxes in flow coordinates (for painting and for hit-testing a click). */
export function boxesOf(graph: FlowGraph, positions: Record<string, Position>): Box[] {
  const s = shapes(graph);
  return graph.nodes.map((n) => ({ ...s.get(n.key)!, ...(positions[n.key] ?? { x: 0, y: 0 }) }));
}

interface Paint {
  graph: FlowGraph;
  positions: Record<string, Position>;
  selected: Set<string>;
  errors: Set<string>;
  running?: string;
  transform: [number, number, number];
}

function paint(ctx: CanvasRenderingContext2D, width: number, height: number, p: Paint): void {
  const [tx, ty, k] = p.transform;
  ctx.clearRect(0, 0, width, height);
  const boxes = new Map(boxesOf(p.graph, p.positions).map((b) => [b.key, b]));
  const visible = (x0: number, y0: number, x1: number, y1: number) =>
    x1 * k + tx >= 0 && x0 * k + tx <= width && y1 * k + ty >= 0 && y0 * k + ty <= height;
  ctx.strokeStyle = '#9ca3af';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const e of edgesOnce(p.graph)) {
    const [s, t] = [boxes.get(e.source)!, boxes.get(e.target)!];
    const sx = s.x + s.width;
    const sy = s.y + exitHandleTop(s.exits.indexOf(e.sourceHandle));
    const [txf, tyf] = [t.x, t.y + t.height / 2];
    if (!visible(Math.min(sx, txf), Math.min(sy, tyf), Math.max(sx, txf), Math.max(sy, tyf))) continue;
    ctx.moveTo(sx * k + tx, sy * k + ty);
    ctx.lineTo(txf * k + tx, tyf * k + ty);
  }
  ctx.stroke();
  for (const b of boxes.values()) {
    if (!visible(b.x, b.y, b.x + b.width, b.y + b.height)) continue;
    const [x, y, w, h] = [b.x * k + tx, b.y * k + ty, Math.max(2, b.width * k), Math.max(2, b.height * k)];
    ctx.fillStyle = '#fff';
    ctx.fillRect(x, y, w, h);
    ctx.fillStyle = KIND_COLOURS[b.kind] ?? '#64748b';
    ctx.fillRect(x, y, Math.max(1, 5 * k * 4), h);
    const ring = b.key === p.running ? '#22c55e' : p.selected.has(b.key) ? '#2563eb' : undefined;
    ctx.strokeStyle = ring ?? (p.errors.has(b.id) ? '#dc2626' : '#c5cbd3');
    ctx.lineWidth = ring ? 3 : 1;
    ctx.strokeRect(x, y, w, h);
  }
}

export function BirdsEye() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const graph = useFlow((s) => s.graph);
  const positions = useFlow((s) => s.positions);
  const selected = useFlow((s) => s.selected);
  const problems = useFlow((s) => s.problems);
  const runningForm = useOverlay((s) => s.runningForm);
  const transform = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const el = canvas.current;
      const ctx = el?.getContext('2d');
      if (!el || !ctx) return;
      const ratio = window.devicePixelRatio || 1;
      if (el.width !== Math.round(width * ratio)) el.width = Math.round(width * ratio);
      if (el.height !== Math.round(height * ratio)) el.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      const errors = new Set(problems.filter((q) => q.severity === 'error').map((q) => q.form ?? ''));
      const running =
        runningForm === undefined ? undefined : graph.nodes.find((n) => n.form.id === runningForm)?.key;
      paint(ctx, width, height, {
        graph,
        positions,
        selected: new Set(selected),
        errors,
        running,
        transform,
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [graph, positions, selected, problems, runningForm, transform, width, height]);
  return <canvas ref={canvas} className="birds-eye" data-testid="birds-eye" style={{ width, height }} />;
}

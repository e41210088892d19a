// The designer's state: the graph (source of truth), positions, selection, history and derived problems.
import { create } from 'zustand';
import type { Document, Form, Problem } from '../../../schema/ast.ts';
import { validate } from '../../../schema/validate.ts';
import {
  addNode,
  connect,
  fromDocument,
  insertForms,
  removeNodes,
  renameForm,
  setNext,
  toDocument,
  updateForm,
} from '../graph/index.ts';
import type { FlowGraph, NodeKind, Position } from '../graph/types.ts';
import { ELK_MAX_NODES, layoutGraph as layoutOn } from '../graph/layout.ts';
import { workerElk } from '../canvas/elk-worker.ts';
import { adoptVersion, treeLayoutOff, validateOff } from '../io/offload.ts';
import { emptyHistory, record, redo, undo, type History, type Snapshot } from './history.ts';
import { withProgress } from './progress.ts';

export interface FlowState {
  graph: FlowGraph;
  positions: Record<string, Position>;
  selected: string[];
  selectedEdges: string[];
  history: History;
  problems: Problem[];
  /** Bumped on every change of the graph or positions; autosave watches it. */
  revision: number;
  clipboard: { forms: Form[]; positions: Position[] } | null;
  /** Node the test call is executing (highlighted). */
  running?: string;
  /** Set by actions that want the canvas to fit the view (import, layout). */
  fitRequest: number;
  focusRequest?: { key: string; n: number };
}

const EMPTY: FlowGraph = {
  nodes: [{ key: 'n1', form: { type: 'form', kind: 'form', id: 'main', items: [] } }],
};

/** Past this many forms validation runs in the worker after a pause (it takes 50–200 ms each time). */
export const BIG_FLOW = 200;
/** Edits come in bursts (typing, several deletes): validate a big flow once they pause. */
const VALIDATE_DELAY = 150;

/** Layout off the main thread (elkjs or the tree layout in a worker), so a big flow never freezes the page. */
const layoutGraph = (graph: FlowGraph) =>
  withProgress(
    'progress.layout',
    graph.nodes.length > ELK_MAX_NODES ? treeLayoutOff(graph) : layoutOn(graph, workerElk()),
  );

let validation: ReturnType<typeof setTimeout> | undefined;

/** Validates the current graph in the worker after a pause; a result for a graph that changed since is dropped. */
function validateLater(): void {
  clearTimeout(validation);
  validation = setTimeout(() => {
    const graph = get().graph;
    void withProgress('progress.validate', validateOff(graph)).then((problems) => {
      if (get().graph === graph) set({ problems });
    });
  }, VALIDATE_DELAY);
}

/** The graph's problems now (small flows), or `stale` until the worker has validated it (big flows). */
function problemsOf(graph: FlowGraph, stale: Problem[] = []): Problem[] {
  if (graph.nodes.length <= BIG_FLOW) return validate(toDocument(graph));
  validateLater();
  return stale;
}

export const useFlow = create<FlowState>(() => ({
  graph: EMPTY,
  positions: { n1: { x: 0, y: 0 } },
  selected: [],
  selectedEdges: [],
  history: emptyHistory(),
  problems: problemsOf(EMPTY),
  revision: 0,
  clipboard: null,
  fitRequest: 0,
}));

const get = () => useFlow.getState();
const set = useFlow.setState;
const snapshot = (): Snapshot => ({ graph: get().graph, positions: get().positions });

/** Applies a structural or property edit as one undoable step. */
export function commit(graph: FlowGraph, positions: Record<string, Position> = get().positions): void {
  const s = get();
  if (graph === s.graph && positions === s.positions) return;
  set({
    history: record(s.history, snapshot()),
    graph,
    positions,
    problems: graph === s.graph ? s.problems : problemsOf(graph, s.problems),
    revision: s.revision + 1,
  });
}

function restore(result: { history: History; snapshot?: Snapshot }): void {
  if (!result.snapshot) return;
  const { graph, positions } = result.snapshot;
  const keys = new Set(graph.nodes.map((n) => n.key));
  set({
    history: result.history,
    graph,
    positions,
    problems: problemsOf(graph, get().problems),
    revision: get().revision + 1,
    selected: get().selected.filter((k) => keys.has(k)),
    selectedEdges: [],
  });
}

export const undoEdit = (): void => restore(undo(get().history, snapshot()));
export const redoEdit = (): void => restore(redo(get().history, snapshot()));

/**
 * Replaces the whole document (import, open): history starts over. Big flows are validated after drawing.
 * `version`: the worker parsed this document and holds its graph under that number (offload.ts).
 */
export async function loadDocument(
  doc: Document,
  positions?: Record<string, Position>,
  version?: number,
): Promise<void> {
  const graph = fromDocument(doc);
  if (version !== undefined) adoptVersion(graph, version);
  const laid = positions && graph.nodes.every((n) => positions[n.key]) ? positions : await layoutGraph(graph);
  set({
    graph,
    positions: laid,
    history: emptyHistory(),
    problems: problemsOf(graph),
    selected: [],
    selectedEdges: [],
    revision: get().revision + 1,
    fitRequest: get().fitRequest + 1,
  });
}

/** Replaces the document as one undoable edit; forms keep their place by id, new ones are laid out. */
export async function replaceDocument(doc: Document): Promise<void> {
  const s = get();
  const graph = fromDocument(doc);
  const old = new Map(s.graph.nodes.map((n) => [n.form.id, s.positions[n.key]]));
  const kept = Object.fromEntries(graph.nodes.map((n) => [n.key, old.get(n.form.id)]));
  const complete = graph.nodes.every((n) => kept[n.key]);
  commit(graph, complete ? (kept as Record<string, Position>) : await layoutGraph(graph));
  set({ selected: [], selectedEdges: [], fitRequest: get().fitRequest + 1 });
}

/** Restores a saved working copy (graph and positions) without layout. */
export function loadSnapshot(s: Snapshot): void {
  set({
    ...s,
    history: emptyHistory(),
    problems: problemsOf(s.graph),
    selected: [],
    selectedEdges: [],
    revision: get().revision + 1,
    fitRequest: get().fitRequest + 1,
  });
}

export async function autoLayout(): Promise<void> {
  const positions = await layoutGraph(get().graph);
  commit(get().graph, positions);
  set({ fitRequest: get().fitRequest + 1 });
}

/** The first spot at or below/right of `at` where a new node does not cover another one. */
function freeSpot(positions: Record<string, Position>, at: Position): Position {
  const taken = Object.values(positions);
  const clear = (p: Position) => taken.every((q) => Math.abs(q.x - p.x) > 250 || Math.abs(q.y - p.y) > 120);
  for (let i = 0; i < 200; i++) {
    const p = { x: at.x + Math.floor(i / 8) * 280, y: at.y + (i % 8) * 130 };
    if (clear(p)) return p;
  }
  return at;
}

/** Adds a node at `at` (a drop: exactly there), or near it where it covers no other node (`avoid`). */
export function insertNode(kind: NodeKind, at: Position, avoid = false): string {
  const { graph, key } = addNode(get().graph, kind);
  commit(graph, { ...get().positions, [key]: avoid ? freeSpot(get().positions, at) : at });
  set({ selected: [key], selectedEdges: [] });
  return key;
}

export function editForm(key: string, update: (form: Form) => Form): void {
  commit(updateForm(get().graph, key, update));
}

export function renameNode(key: string, id: string): void {
  commit(renameForm(get().graph, key, id));
}

export function connectExit(source: string, handle: string, target: string): void {
  commit(connect(get().graph, source, handle, target));
}

export function setExitNext(source: string, handle: string, next: string | undefined): void {
  commit(setNext(get().graph, source, handle, next));
}

/** Deletes the selected nodes and cuts the selected edges, as one step. */
export function deleteSelection(): void {
  const s = get();
  let graph = s.graph;
  // Cut edges from the last handle to the first: cutting removes a goto and shifts the paths after it.
  const edges = [...s.selectedEdges].sort().reverse();
  for (const id of edges) {
    const [source, handle] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
    graph = setNext(graph, source, handle, undefined);
  }
  graph = removeNodes(graph, new Set(s.selected));
  const positions = { ...s.positions };
  for (const k of s.selected) delete positions[k];
  commit(graph, positions);
  set({ selected: [], selectedEdges: [] });
}

export function copySelection(): void {
  const s = get();
  const nodes = s.graph.nodes.filter((n) => s.selected.includes(n.key));
  if (nodes.length === 0) return;
  set({
    clipboard: {
      forms: structuredClone(nodes.map((n) => n.form)),
      positions: nodes.map((n) => s.positions[n.key] ?? { x: 0, y: 0 }),
    },
  });
}

export function paste(offset = 40): void {
  const clip = get().clipboard;
  if (!clip) return;
  const { graph, keys } = insertForms(get().graph, structuredClone(clip.forms));
  const positions = { ...get().positions };
  keys.forEach(
    (k, i) => (positions[k] = { x: clip.positions[i].x + offset, y: clip.positions[i].y + offset }),
  );
  commit(graph, positions);
  set({ selected: keys, selectedEdges: [] });
}

export function duplicateSelection(): void {
  copySelection();
  paste();
}

export function select(keys: string[], edges: string[] = []): void {
  set({ selected: keys, selectedEdges: edges });
}

export function focusNode(key: string): void {
  const n = (get().focusRequest?.n ?? 0) + 1;
  set({ selected: [key], selectedEdges: [], focusRequest: { key, n } });
}

/** Moves nodes while dragging: not an undo step by itself (the drag start recorded one). */
export function moveNodes(moves: Record<string, Position>): void {
  set({ positions: { ...get().positions, ...moves }, revision: get().revision + 1 });
}

export function beginMove(): void {
  set({ history: record(get().history, snapshot()) });
}

export function setRunning(key: string | undefined): void {
  set({ running: key });
}

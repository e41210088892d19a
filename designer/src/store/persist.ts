// Never lose work: a localStorage copy on every change, and a debounced draft save to the runtime.
import { draftOff, serializeOff } from '../io/offload.ts';
import type { FlowGraph, Position } from '../graph/types.ts';
import { api } from '../runtime/api.ts';
import { loadSnapshot, useFlow } from './flow.ts';
import { useSession } from './session.ts';

const KEY = 'ivr-designer.draft';
/** Positions apart from the graph: a drag rewrites only them (a 2 000-form graph is megabytes of JSON). */
const POSITIONS_KEY = 'ivr-designer.positions';
const SERVER_DELAY = 1500;
const LOCAL_DELAY = 200;

interface LocalDraft {
  flowId?: string;
  name: string;
  graph: FlowGraph;
  /** Only in drafts written before positions had a key of their own. */
  positions?: Record<string, Position>;
  savedAt: string;
}

/** Layout as the runtime stores it: positions by form id (node keys are not stable across sessions). */
export function layoutOf(
  graph: FlowGraph,
  positions: Record<string, Position>,
): { positions: Record<string, Position> } {
  const out: Record<string, Position> = {};
  for (const n of graph.nodes) if (positions[n.key]) out[n.form.id] = positions[n.key];
  return { positions: out };
}

export function positionsFromLayout(graph: FlowGraph, layout: unknown): Record<string, Position> | undefined {
  const byId = (layout as { positions?: Record<string, Position> } | null)?.positions;
  if (!byId) return undefined;
  const out: Record<string, Position> = {};
  for (const n of graph.nodes) if (byId[n.form.id]) out[n.key] = byId[n.form.id];
  return out;
}

let written: { graph?: FlowGraph; name?: string; flowId?: string; positions?: object } = {};

function draftOf(): { draft: LocalDraft; changed: boolean } {
  const { graph } = useFlow.getState();
  const { flowId, name } = useSession.getState();
  const changed = graph !== written.graph || name !== written.name || flowId !== written.flowId;
  return { draft: { flowId, name, graph, savedAt: new Date().toISOString() }, changed };
}

/** Writes the browser copy now (the page is being left). */
function writeLocalNow(): void {
  const { draft, changed } = draftOf();
  const { positions } = useFlow.getState();
  if (changed) localStorage.setItem(KEY, JSON.stringify(draft));
  if (positions !== written.positions) localStorage.setItem(POSITIONS_KEY, JSON.stringify(positions));
  written = { graph: draft.graph, name: draft.name, flowId: draft.flowId, positions };
}

/** Writes the browser copy, the graph's JSON made in the worker: a big graph would hold the page 100+ ms. */
async function writeLocal(): Promise<void> {
  const { draft, changed } = draftOf();
  const { positions } = useFlow.getState();
  if (positions !== written.positions) localStorage.setItem(POSITIONS_KEY, JSON.stringify(positions));
  written = { ...written, positions };
  if (!changed) return;
  const { graph, ...meta } = draft;
  const text = await draftOff(graph, meta);
  // Only if nothing changed meanwhile (a newer write is on its way otherwise).
  if (useFlow.getState().graph !== draft.graph) return;
  localStorage.setItem(KEY, text);
  written = { ...written, graph: draft.graph, name: draft.name, flowId: draft.flowId };
}

/** Restores the browser's copy, if any; returns whether there was one. */
export function restoreLocal(): boolean {
  const text = localStorage.getItem(KEY);
  if (!text) return false;
  try {
    const draft = JSON.parse(text) as LocalDraft;
    if (!Array.isArray(draft.graph?.nodes)) return false;
    const positions = JSON.parse(localStorage.getItem(POSITIONS_KEY) ?? 'null') as LocalDraft['positions'];
    useSession.setState({ flowId: draft.flowId, name: draft.name });
    loadSnapshot({ graph: draft.graph, positions: positions ?? draft.positions ?? {} });
    written = { graph: useFlow.getState().graph, name: draft.name, flowId: draft.flowId };
    return true;
  } catch {
    return false;
  }
}

export async function saveToServer(): Promise<boolean> {
  const { graph, positions } = useFlow.getState();
  const { flowId, name } = useSession.getState();
  if (!flowId) {
    useSession.setState({ save: 'local' });
    return false;
  }
  useSession.setState({ save: 'saving' });
  const xml = await serializeOff(graph);
  // The runtime refuses an empty name: leave the stored one alone then.
  const r = await api.saveFlow(flowId, {
    ...(name.trim() ? { name } : {}),
    xml,
    layout: layoutOf(graph, positions),
  });
  useSession.setState(
    r.ok
      ? { save: 'saved', saveError: undefined, online: true }
      : { save: 'failed', saveError: r.message, online: r.status !== 0 },
  );
  return r.ok;
}

/** Starts watching the store: local copy at once, server draft after a pause in editing. */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let local: ReturnType<typeof setTimeout> | undefined;
  const onChange = () => {
    // Dragging changes the store on every frame: write the local copy once movement pauses.
    clearTimeout(local);
    local = setTimeout(() => void writeLocal(), LOCAL_DELAY);
    useSession.setState({ save: 'local' });
    clearTimeout(timer);
    timer = setTimeout(() => void saveToServer(), SERVER_DELAY);
  };
  window.addEventListener('beforeunload', writeLocalNow);
  const stopFlow = useFlow.subscribe((s, prev) => s.revision !== prev.revision && onChange());
  const stopName = useSession.subscribe((s, prev) => s.name !== prev.name && onChange());
  return () => {
    clearTimeout(timer);
    clearTimeout(local);
    window.removeEventListener('beforeunload', writeLocalNow);
    stopFlow();
    stopName();
  };
}

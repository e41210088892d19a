// Heavy jobs off the main thread: one Web Worker for the page (here, synchronously, where there is no Worker).
// Each version of the graph is copied to the worker once (`put`) and the jobs name it.
import type { Form, Problem } from '../../../schema/ast.ts';
import type { FlowGraph, Position } from '../graph/types.ts';
import { runJob, type Parsed, type SchemaJob } from './jobs.ts';

type Settle = { resolve: (value: unknown) => void; reject: (err: Error) => void };

let worker: Worker | undefined;
let seq = 0;
const pending = new Map<number, Settle>();
const slices = new Map<number, Form[]>();

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
  forms?: Form[];
}

function formsOf(id: number): Form[] {
  let forms = slices.get(id);
  if (!forms) slices.set(id, (forms = []));
  return forms;
}

function schemaWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./schema-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<Reply>) => {
    const { id } = event.data;
    // A big parsed document comes in slices of forms first (schema-worker.ts), then the rest of the result.
    if (event.data.forms) return void formsOf(id).push(...event.data.forms);
    const settle = pending.get(id);
    pending.delete(id);
    const forms = slices.get(id);
    slices.delete(id);
    if (event.data.error !== undefined) settle?.reject(new Error(event.data.error));
    else if (forms) {
      const parsed = event.data.result as Parsed;
      settle?.resolve({ ...parsed, document: { ...parsed.document!, forms } });
    } else settle?.resolve(event.data.result);
  };
  return worker;
}

const hasWorker = () => typeof Worker !== 'undefined';

function run<T>(job: SchemaJob): Promise<T> {
  if (!hasWorker()) return Promise.resolve(runJob(job) as T);
  const id = ++seq;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    schemaWorker().postMessage({ id, job });
  });
}

let lastVersion = 0;
const versions = new WeakMap<FlowGraph, number>();

/** The worker's number for this graph, copying the graph there the first time (a `put` has no answer). */
function versionOf(graph: FlowGraph): number {
  let version = versions.get(graph);
  if (version === undefined) {
    version = ++lastVersion;
    versions.set(graph, version);
    if (hasWorker()) schemaWorker().postMessage({ id: 0, job: { type: 'put', version, graph } });
    else runJob({ type: 'put', version, graph });
  }
  return version;
}

/** Starts the worker and loads its code while the page is idle: the first import should not wait for that. */
export function warmUp(): void {
  if (hasWorker()) void parseOff('<x/>').catch(() => undefined);
}

/** Parses a document's text in the worker (and lays a big one out); `version` names its graph there. */
export async function parseOff(text: string): Promise<Parsed & { version: number }> {
  const version = ++lastVersion;
  return { ...(await run<Parsed>({ type: 'parse', text, version })), version };
}

/** Tells that `graph` is the graph the worker made of the parse numbered `version` (no copy needed). */
export function adoptVersion(graph: FlowGraph, version: number): void {
  versions.set(graph, version);
}

export const validateOff = (graph: FlowGraph): Promise<Problem[]> =>
  run<Problem[]>({ type: 'validate', version: versionOf(graph) });

/** The linear tree layout of a big flow (elkjs has its own worker: canvas/elk-worker.ts). */
export const treeLayoutOff = (graph: FlowGraph): Promise<Record<string, Position>> =>
  run<Record<string, Position>>({ type: 'layout', version: versionOf(graph) });

/** The browser copy's JSON: `meta` and the graph (megabytes for a big flow: made off the page's thread). */
export const draftOff = (graph: FlowGraph, meta: Record<string, unknown>): Promise<string> =>
  run<string>({ type: 'draft', version: versionOf(graph), meta });

const serialized = new WeakMap<FlowGraph, Promise<string>>();

/** The XML of a graph, made once per version (autosave asks again after every drag). */
export function serializeOff(graph: FlowGraph): Promise<string> {
  let xml = serialized.get(graph);
  if (!xml) {
    xml = run<string>({ type: 'serialize', version: versionOf(graph) });
    serialized.set(graph, xml);
  }
  return xml;
}

// Schema jobs off the main thread: one Web Worker for the page (here, synchronously, where there is no Worker).
import type { Document, Problem } from '../../../schema/ast.ts';
import type { FlowGraph, Position } from '../graph/types.ts';
import { runJob, type Parsed, type SchemaJob } from './jobs.ts';

type Settle = { resolve: (value: unknown) => void; reject: (err: Error) => void };

let worker: Worker | undefined;
let seq = 0;
const pending = new Map<number, Settle>();

function schemaWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./schema-worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
    const settle = pending.get(event.data.id);
    pending.delete(event.data.id);
    if (event.data.error !== undefined) settle?.reject(new Error(event.data.error));
    else settle?.resolve(event.data.result);
  };
  return worker;
}

function run<T>(job: SchemaJob): Promise<T> {
  if (typeof Worker === 'undefined') return Promise.resolve(runJob(job) as T);
  const id = ++seq;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    schemaWorker().postMessage({ id, job });
  });
}

/** Starts the worker and loads its code while the page is idle: the first import should not wait for that. */
export function warmUp(): void {
  if (typeof Worker !== 'undefined') void parseOff('<x/>').catch(() => undefined);
}

/** Parses a document's text in the worker (and lays a big one out). */
export const parseOff = (text: string): Promise<Parsed> => run<Parsed>({ type: 'parse', text });

export const validateOff = (document: Document): Promise<Problem[]> =>
  run<Problem[]>({ type: 'validate', document });

/** The linear tree layout of a big flow (elkjs has its own worker: canvas/elk-worker.ts). */
export const treeLayoutOff = (graph: FlowGraph): Promise<Record<string, Position>> =>
  run<Record<string, Position>>({ type: 'layout', graph });

/** JSON text of a value (the browser copy of a big graph is megabytes: stringified off the page's thread). */
export const stringifyOff = (value: unknown): Promise<string> => run<string>({ type: 'json', value });

const serialized = new WeakMap<object, Promise<string>>();

/** The XML of a document, computed once per `key` (the graph: autosave asks again after every drag). */
export function serializeOff(document: Document, key: object = document): Promise<string> {
  let xml = serialized.get(key);
  if (!xml) {
    xml = run<string>({ type: 'serialize', document });
    serialized.set(key, xml);
  }
  return xml;
}

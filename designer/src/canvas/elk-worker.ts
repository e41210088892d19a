// elkjs in a Web Worker for the browser: laying out a thousand nodes takes seconds, the canvas must stay live.
import type { ELK } from 'elkjs/lib/elk-api.js';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';

let engine: Promise<ELK> | undefined;

/** One worker-backed ELK for the page, created on the first layout. */
export function workerElk(): Promise<ELK> {
  engine ??= import('elkjs/lib/elk-api.js').then((m) => {
    const outer = (m as unknown as { default: unknown }).default as { default?: unknown };
    const Ctor = (outer.default ?? outer) as new (args: { workerFactory: () => Worker }) => ELK;
    return new Ctor({ workerFactory: () => new Worker(workerUrl) });
  });
  return engine;
}

// The heavy work on big flows as plain jobs (parse, validate, serialize, tree layout, the browser copy's JSON):
// run in a Web Worker by offload.ts, or here. The worker keeps the last versions of the graph it was given
// (`put`, or the graph of a parse): copying a 2 000-form graph to it costs as much as the work itself, so each
// version crosses once and the jobs name it.
import type { Problem } from '../../../schema/ast.ts';
import { parseDocument } from '../../../schema/parse.ts';
import { serialize } from '../../../schema/serialize.ts';
import { validate } from '../../../schema/validate.ts';
import { ELK_MAX_NODES, nodeSize } from '../graph/layout.ts';
import { fromDocument, toDocument } from '../graph/mapping.ts';
import { treeLayout } from '../graph/tree-layout.ts';
import type { FlowGraph, Position } from '../graph/types.ts';
import type { Document } from '../../../schema/ast.ts';

export type SchemaJob =
  | { type: 'put'; version: number; graph: FlowGraph }
  | { type: 'parse'; text: string; version: number }
  | { type: 'validate'; version: number }
  | { type: 'serialize'; version: number }
  | { type: 'layout'; version: number }
  | { type: 'draft'; version: number; meta: Record<string, unknown> };

export interface Parsed {
  document?: Document;
  /** Problems of parsing (validation comes after the flow is on screen). */
  problems: Problem[];
  /** A big flow's tree layout, by node key, done here to spare the page a second trip to the worker. */
  positions?: Record<string, Position>;
}

export type JobResult = Parsed | Problem[] | string | Record<string, Position> | undefined;

/** The last versions of the graph, by number (a job may name the previous one while the next arrives). */
const versions = new Map<number, FlowGraph>();
const KEPT = 4;

function keep(version: number, graph: FlowGraph): void {
  versions.set(version, graph);
  for (const old of versions.keys()) if (versions.size > KEPT) versions.delete(old);
}

function graphOf(version: number): FlowGraph {
  const graph = versions.get(version);
  if (!graph) throw new Error(`graph version ${version} is gone`);
  return graph;
}

/** Parses and, for a big flow that parsed, lays it out (elkjs for small flows runs in its own worker). */
function parseAndLayout(text: string, version: number): Parsed {
  const { document, problems } = parseDocument(text);
  if (!document || problems.some((p) => p.severity === 'error')) return { document, problems };
  // The page makes the same graph of the same document (fromDocument is deterministic): keep it as `version`.
  const graph = fromDocument(document);
  keep(version, graph);
  if (document.forms.length <= ELK_MAX_NODES) return { document, problems };
  return { document, problems, positions: treeLayout(graph, nodeSize) };
}

export function runJob(job: SchemaJob): JobResult {
  switch (job.type) {
    case 'put':
      return void keep(job.version, job.graph);
    case 'parse':
      return parseAndLayout(job.text, job.version);
    case 'validate':
      return validate(toDocument(graphOf(job.version)));
    case 'serialize':
      return serialize(toDocument(graphOf(job.version)));
    case 'layout':
      return treeLayout(graphOf(job.version), nodeSize);
    case 'draft':
      return JSON.stringify({ ...job.meta, graph: graphOf(job.version) });
  }
}

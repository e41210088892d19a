// The heavy work on big flows as plain jobs (parse, validate, serialize, tree layout, JSON): run in a Web Worker by offload.ts, or here.
import type { Document, Problem } from '../../../schema/ast.ts';
import { parseDocument } from '../../../schema/parse.ts';
import { serialize } from '../../../schema/serialize.ts';
import { validate } from '../../../schema/validate.ts';
import { ELK_MAX_NODES, nodeSize } from '../graph/layout.ts';
import { fromDocument } from '../graph/mapping.ts';
import { treeLayout } from '../graph/tree-layout.ts';
import type { FlowGraph, Position } from '../graph/types.ts';

export type SchemaJob =
  | { type: 'parse'; text: string }
  | { type: 'validate'; document: Document }
  | { type: 'serialize'; document: Document }
  | { type: 'layout'; graph: FlowGraph }
  | { type: 'json'; value: unknown };

export interface Parsed {
  document?: Document;
  /** Problems of parsing (validation comes after the flow is on screen). */
  problems: Problem[];
  /** A big flow's tree layout, by node key, done here to spare the page a second trip to the worker. */
  positions?: Record<string, Position>;
}

export type JobResult<J extends SchemaJob> = J extends { type: 'parse' }
  ? Parsed
  : J extends { type: 'validate' }
    ? Problem[]
    : J extends { type: 'serialize' | 'json' }
      ? string
      : Record<string, Position>;

/** Parses and, for a big flow that parsed, lays it out (elkjs for small flows runs in its own worker). */
function parseAndLayout(text: string): Parsed {
  const { document, problems } = parseDocument(text);
  if (!document || problems.some((p) => p.severity === 'error')) return { document, problems };
  if (document.forms.length <= ELK_MAX_NODES) return { document, problems };
  return { document, problems, positions: treeLayout(fromDocument(document), nodeSize) };
}

export function runJob(job: SchemaJob): Parsed | Problem[] | string | Record<string, Position> {
  if (job.type === 'parse') return parseAndLayout(job.text);
  if (job.type === 'validate') return validate(job.document);
  if (job.type === 'layout') return treeLayout(job.graph, nodeSize);
  if (job.type === 'json') return JSON.stringify(job.value);
  return serialize(job.document);
}

// Parse + validate in one call: every problem of a document, sorted by position.
import type { Document, Problem } from './ast.ts';
import { parseDocument, type ParseOptions } from './parse.ts';
import { validate, type ValidateOptions } from './validate.ts';

export type CheckOptions = ParseOptions & ValidateOptions;

export interface CheckResult {
  document?: Document;
  problems: Problem[];
}

/** Sorts problems by line, then column (problems without a position first), keeping the order of ties. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** Parses and validates a document; the semantic checks run on the best-effort tree even after structural errors. */
export function checkDocument(input: string | Uint8Array, opts: CheckOptions = {}): CheckResult {
  const { document, problems } = parseDocument(input, opts);
  if (!document) return { problems };
  return { document, problems: sortProblems([...problems, ...validate(document, opts)]) };
}

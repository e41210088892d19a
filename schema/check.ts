// Parse + validate in one call: every problem of a document, sorted by position.
import type { Document, Problem } from './ast.ts';
import { parseDocument, type ParseOptions } from './parse.ts';
import { validate, type ValidateOptions } from './validate.ts';

/** Problems listed per document; the rest are counted in one last entry (a hostile document can have 100 000). */
export const DEFAULT_MAX_PROBLEMS = 100;

export type CheckOptions = ParseOptions &
  ValidateOptions & {
    /** Problems listed before the rest are only counted ({@link DEFAULT_MAX_PROBLEMS}; `Infinity` for all). */
    maxProblems?: number;
  };

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

/**
 * The first `max` problems, then one entry counting the rest: `E_MORE_PROBLEMS` (an error, so that a capped list
 * still has errors when the full one did) or `W_MORE_PROBLEMS` when all of the rest are warnings.
 */
export function capProblems(problems: Problem[], max = DEFAULT_MAX_PROBLEMS): Problem[] {
  if (problems.length <= max) return problems;
  const omitted = problems.length - max;
  let errors = 0;
  for (let i = max; i < problems.length; i++) if (problems[i].severity === 'error') errors++;
  const more: Problem = {
    code: errors > 0 ? 'E_MORE_PROBLEMS' : 'W_MORE_PROBLEMS',
    severity: errors > 0 ? 'error' : 'warning',
    message: `${omitted} more problems not listed (${errors} errors, ${omitted - errors} warnings)`,
    omitted,
  };
  return [...problems.slice(0, max), more];
}

/**
 * Parses and validates a document; the semantic checks run on the best-effort tree even after structural errors.
 * The problems are sorted, then capped at `opts.maxProblems`.
 */
export function checkDocument(input: string | Uint8Array, opts: CheckOptions = {}): CheckResult {
  const { document, problems } = parseDocument(input, opts);
  const max = opts.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  if (!document) return { problems: capProblems(problems, max) };
  return { document, problems: capProblems(sortProblems([...problems, ...validate(document, opts)]), max) };
}

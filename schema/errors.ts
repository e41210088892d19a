// The exception thrown by `parse` when a document has errors: it carries every problem found.
import type { Problem } from './ast.ts';

/** Formats a problem as `LINE:COL CODE message` (position omitted when unknown). */
export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? '' : `${problem.line}:${problem.column ?? 1} `;
  return `${where}${problem.code} ${problem.message}`;
}

export class DialectError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const first = problems.find((p) => p.severity === 'error') ?? problems[0];
    super(first ? formatProblem(first) : 'invalid document');
    this.name = 'DialectError';
    this.problems = problems;
  }
}

// checkDocument's report: sorted, and capped at 100 problems with one last entry counting the rest.
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../schema/ast.ts';
import { capProblems, checkDocument, DEFAULT_MAX_PROBLEMS } from '../../schema/check.ts';
import { PROBLEM_CODES } from '../../schema/codes.ts';
import { missingTargets, unknownAttributes } from './many-problems.ts';

const problem = (severity: 'error' | 'warning', line: number): Problem => ({
  code: severity === 'error' ? 'E_GOTO_TARGET' : 'W_UNREACHABLE',
  severity,
  message: `at ${line}`,
  line,
  column: 1,
});

describe('capProblems', () => {
  it('keeps a list that fits as it is', () => {
    const list = [problem('error', 1), problem('warning', 2)];
    expect(capProblems(list, 2)).toBe(list);
  });

  it('keeps the first ones and counts the rest, as an error when any of the rest is one', () => {
    const list = [problem('warning', 1), problem('warning', 2), problem('warning', 3), problem('error', 4)];
    const capped = capProblems(list, 2);
    expect(capped.slice(0, 2)).toEqual(list.slice(0, 2));
    expect(capped[2]).toEqual({
      code: 'E_MORE_PROBLEMS',
      severity: 'error',
      message: '2 more problems not listed (1 errors, 1 warnings)',
      omitted: 2,
    });
    expect(capProblems(list.slice(0, 3), 2)[2]).toMatchObject({
      code: 'W_MORE_PROBLEMS',
      severity: 'warning',
      omitted: 1,
    });
    expect(PROBLEM_CODES.E_MORE_PROBLEMS).toBeTypeOf('string');
    expect(PROBLEM_CODES.W_MORE_PROBLEMS).toBeTypeOf('string');
  });
});

describe('checkDocument', () => {
  it('lists 100 of 30 000 unknown attributes and counts the rest', () => {
    const text = unknownAttributes(30_000);
    const started = performance.now();
    const { problems } = checkDocument(text);
    const ms = performance.now() - started;
    console.log(`checkDocument: ${text.length} bytes, 30000 problems, ${ms.toFixed(0)} ms`);
    expect(problems).toHaveLength(DEFAULT_MAX_PROBLEMS + 1);
    expect(problems.slice(0, -1).every((p) => p.code === 'E_UNKNOWN_ATTR')).toBe(true);
    expect(problems.at(-1)).toMatchObject({ code: 'E_MORE_PROBLEMS', severity: 'error', omitted: 29_900 });
    expect(problems.at(-1)?.message).toMatch(/^29900 more problems/);
  });

  it('caps the semantic problems of a document that parses, in position order', () => {
    const { problems } = checkDocument(missingTargets(150));
    expect(problems).toHaveLength(101);
    expect(problems[99].message).toContain("'#f99'");
    expect(problems[100]).toMatchObject({ code: 'E_MORE_PROBLEMS', omitted: 50 });
    expect(checkDocument(missingTargets(150), { maxProblems: Infinity }).problems).toHaveLength(150);
  });
});

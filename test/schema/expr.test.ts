import { describe, expect, it } from 'vitest';
import {
  evaluate,
  ExprError,
  interpolate,
  malformedTemplateOffsets,
  parseExpr,
  templateVariables,
  truthy,
  variablesOf,
  type Value,
} from '../../schema/expr.ts';

const run = (src: string, vars: Record<string, Value> = {}): Value =>
  evaluate(parseExpr(src), (n) => vars[n]);

describe('parseExpr', () => {
  it('parses the manual conditions', () => {
    expect(parseExpr("input_checked == 'LOGIN_SUCCESS'")).toEqual({
      type: 'compare',
      op: '==',
      left: { type: 'variable', name: 'input_checked' },
      right: { type: 'literal', value: 'LOGIN_SUCCESS' },
    });
  });

  it('gives && a higher precedence than || and honours parentheses', () => {
    expect(run('a || b && c', { a: true, b: false, c: false })).toBe(true);
    expect(run('(a || b) && c', { a: true, b: false, c: false })).toBe(false);
    expect(run("!(x == '1')", { x: '1' })).toBe(false);
  });

  it.each([
    ['a.b', 1, 'unexpected'],
    ['f(1)', 1, 'function calls'],
    ['a + 1', 2, 'unexpected'],
    ["input = '1'", 6, 'unexpected'],
    ['a[0]', 1, 'unexpected'],
    ['a ? b : c', 2, 'unexpected'],
    ['a b', 2, 'missing operator'],
    ["'abc", 0, 'unterminated'],
    ['a ==', 4, ''],
    ['', 0, 'empty'],
    ['$x', 0, 'unexpected'],
    ['x = 1', 2, 'unexpected'],
    ['a - 1', 2, 'unexpected'],
    ['-a', 0, 'unexpected'],
  ])('refuses %j at offset %i', (src, offset, words) => {
    let error: unknown;
    try {
      parseExpr(src);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ExprError);
    expect((error as ExprError).offset).toBe(offset);
    expect((error as ExprError).message).toContain(words);
  });
});

describe('evaluate', () => {
  it('compares == as strings unless a side is a number', () => {
    expect(run("input == '0101'", { input: '101' })).toBe(false);
    expect(run("input == '0101'", { input: '0101' })).toBe(true);
    expect(run('input == 101', { input: '0101' })).toBe(true);
    expect(run('input != 5', { input: '5.0' })).toBe(false);
    expect(run('input == 5', { input: 'five' })).toBe(false);
    expect(run("flag == 'true'", { flag: true })).toBe(true);
  });

  it('orders numerically when both sides are numeric, else lexicographically', () => {
    expect(run("a < '10'", { a: '9' })).toBe(true);
    expect(run("a < '10'", { a: 'b' })).toBe(false);
    expect(run("a >= 'a'", { a: 'b' })).toBe(true);
    expect(run('a <= 2.5', { a: '2.5' })).toBe(true);
    expect(run('a > -1', { a: '0' })).toBe(true);
  });

  it("treats unknown variables as ''", () => {
    expect(run("missing == ''")).toBe(true);
    expect(run('missing')).toBe('');
    expect(run('!missing')).toBe(true);
  });

  it('short-circuits and returns booleans from logic', () => {
    expect(run("a && 'x'", { a: 'y' })).toBe(true);
    expect(run('a || 0', { a: '' })).toBe(false);
  });

  it('knows what is truthy', () => {
    expect([false, 0, NaN, ''].map(truthy)).toEqual([false, false, false, false]);
    expect([true, 1, '0', 'false', ' '].map(truthy)).toEqual([true, true, true, true, true]);
  });

  it('lists variables once, in order', () => {
    expect(variablesOf(parseExpr("b == 'x' && a == b || !c"))).toEqual(['b', 'a', 'c']);
  });
});

describe('TTS templates', () => {
  it('interpolates known variables and blanks unknown ones', () => {
    const vars: Record<string, Value> = { ttsabc: '你好世界!', n: 3 };
    expect(interpolate('Hi ${ttsabc}, ${n} items${none}.', (k) => vars[k])).toBe('Hi 你好世界!, 3 items.');
  });

  it('leaves malformed placeholders as they are and reports them', () => {
    expect(interpolate('a ${b c ${1x} ${d', () => 'X')).toBe('a ${b c ${1x} ${d');
    expect(malformedTemplateOffsets('a ${b c ${ok} ${1x} ${d')).toEqual([2, 14, 20]);
    expect(templateVariables('${a}${b}${a}')).toEqual(['a', 'b']);
  });
});

// The `cond` language of `if`/`elseif` (and `assign`): parsed with jsep into a small AST, evaluated without eval.
import jsep from 'jsep';

export type Value = string | number | boolean;

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  | { type: 'literal'; value: Value }
  | { type: 'variable'; name: string }
  | { type: 'not'; operand: Expr }
  | { type: 'logical'; op: '&&' | '||'; left: Expr; right: Expr }
  | { type: 'compare'; op: ComparisonOp; left: Expr; right: Expr };

/** A syntax error in an expression; `offset` is the 0-based index in the source where it was found. */
export class ExprError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'ExprError';
    this.offset = offset;
  }
}

// jsep is configured once with only our operators; its other syntax (members, calls, arrays, ternary) is
// refused by `lex` below before jsep sees it, so every refusal carries an offset.
jsep.removeAllBinaryOps();
jsep.removeAllUnaryOps();
jsep.addBinaryOp('||', 1);
jsep.addBinaryOp('&&', 2);
for (const op of ['==', '!=']) jsep.addBinaryOp(op, 6);
for (const op of ['<', '<=', '>', '>=']) jsep.addBinaryOp(op, 7);
jsep.addUnaryOp('!');
jsep.addUnaryOp('-'); // only for negative number literals (checked by lex)
jsep.removeLiteral('null');
jsep.removeIdentifierChar('$');

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[0-9]+(\.[0-9]+)?/y;
const NEGATIVE_NUMBER = /-[0-9]+(\.[0-9]+)?/y;
const OPERATOR = /==|!=|<=|>=|&&|\|\||<|>|!/y;
const SPACE = /\s+/y;

type TokenKind = 'operand' | 'operator' | 'open' | 'close';

function stringEnd(src: string, start: number): number {
  const quote = src[start];
  for (let i = start + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === quote) return i + 1;
  }
  throw new ExprError('unterminated string', start);
}

function match(re: RegExp, src: string, at: number): number {
  re.lastIndex = at;
  return re.test(src) ? re.lastIndex : -1;
}

/** Checks the token stream: only our tokens, and no call or missing operator (which jsep would accept). */
function lex(src: string): void {
  let i = 0;
  let previous: TokenKind | undefined;
  while (i < src.length) {
    const spaceEnd = match(SPACE, src, i);
    if (spaceEnd > 0) {
      i = spaceEnd;
      continue;
    }
    const c = src[i];
    let kind: TokenKind;
    let end: number;
    if (c === "'" || c === '"') [kind, end] = ['operand', stringEnd(src, i)];
    else if ((end = match(IDENTIFIER, src, i)) > 0) kind = 'operand';
    else if ((end = match(NUMBER, src, i)) > 0) kind = 'operand';
    else if (previous !== 'operand' && previous !== 'close' && (end = match(NEGATIVE_NUMBER, src, i)) > 0) {
      kind = 'operand';
    } else if ((end = match(OPERATOR, src, i)) > 0) kind = 'operator';
    else if (c === '(') [kind, end] = ['open', i + 1];
    else if (c === ')') [kind, end] = ['close', i + 1];
    else throw new ExprError(`unexpected '${c}'`, i);
    const afterValue = previous === 'operand' || previous === 'close';
    if (afterValue && kind === 'open') throw new ExprError('function calls are not allowed', i);
    if (afterValue && (kind === 'operand' || (src[i] === '!' && end === i + 1))) {
      throw new ExprError('missing operator', i);
    }
    previous = kind;
    i = end;
  }
}

function convert(node: jsep.Expression): Expr {
  switch (node.type) {
    case 'Literal': {
      const value = (node as jsep.Literal).value;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return { type: 'literal', value };
      }
      break;
    }
    case 'Identifier':
      return { type: 'variable', name: (node as jsep.Identifier).name };
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (u.operator === '!') return { type: 'not', operand: convert(u.argument) };
      const value = (u.argument as jsep.Literal).value;
      if (typeof value === 'number') return { type: 'literal', value: -value };
      break;
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      const [left, right] = [convert(b.left), convert(b.right)];
      if (b.operator === '&&' || b.operator === '||') return { type: 'logical', op: b.operator, left, right };
      return { type: 'compare', op: b.operator as ComparisonOp, left, right };
    }
  }
  throw new ExprError(`unsupported expression (${node.type})`, 0);
}

/** Parses a `cond` expression; throws ExprError with the offset of the first error. */
export function parseExpr(src: string): Expr {
  if (src.trim() === '') throw new ExprError('empty expression', 0);
  lex(src);
  let node: jsep.Expression;
  try {
    node = jsep(src);
  } catch (err) {
    const index = (err as { index?: number }).index ?? 0;
    const description = (err as { description?: string }).description ?? String(err);
    throw new ExprError(description, index);
  }
  return convert(node);
}

const NUMERIC = /^-?[0-9]+(\.[0-9]+)?$/;

function isNumeric(v: Value): boolean {
  return typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && NUMERIC.test(v);
}

/** Truthiness: false, 0, NaN and '' are false; everything else (including '0' and 'false') is true. */
export function truthy(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  return v !== '';
}

function compare(op: ComparisonOp, a: Value, b: Value): boolean {
  if (op === '==' || op === '!=') {
    // Strings the caller typed ('0101') must stay strings: numbers only when a side is really a number.
    const numeric = isNumeric(a) && isNumeric(b) && (typeof a === 'number' || typeof b === 'number');
    const equal = numeric ? Number(a) === Number(b) : String(a) === String(b);
    return op === '==' ? equal : !equal;
  }
  const numeric = isNumeric(a) && isNumeric(b);
  const [x, y] = numeric ? [Number(a), Number(b)] : [String(a), String(b)];
  if (op === '<') return x < y;
  if (op === '<=') return x <= y;
  if (op === '>') return x > y;
  return x >= y;
}

/** Evaluates an expression; an unknown variable is ''. */
export function evaluate(expr: Expr, lookup: (name: string) => Value | undefined): Value {
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'variable':
      return lookup(expr.name) ?? '';
    case 'not':
      return !truthy(evaluate(expr.operand, lookup));
    case 'logical': {
      const left = truthy(evaluate(expr.left, lookup));
      if (expr.op === '&&') return left && truthy(evaluate(expr.right, lookup));
      return left || truthy(evaluate(expr.right, lookup));
    }
    case 'compare':
      return compare(expr.op, evaluate(expr.left, lookup), evaluate(expr.right, lookup));
  }
}

/** The variables an expression reads, each once, in order of appearance. */
export function variablesOf(expr: Expr): string[] {
  const names = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.type === 'variable') names.add(e.name);
    else if (e.type === 'not') walk(e.operand);
    else if (e.type === 'logical' || e.type === 'compare') {
      walk(e.left);
      walk(e.right);
    }
  };
  walk(expr);
  return [...names];
}

const TEMPLATE_VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${name}` in TTS text with the variable's value ('' when unknown); malformed `${` stays as is. */
export function interpolate(template: string, lookup: (name: string) => Value | undefined): string {
  return template.replace(TEMPLATE_VAR, (_, name: string) => String(lookup(name) ?? ''));
}

/** The variables a TTS template reads, each once, in order. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(TEMPLATE_VAR)].map((m) => m[1]))];
}

/** Offsets of `${` that do not start a well-formed `${name}` (reported as E_TTS_VAR). */
export function malformedTemplateOffsets(template: string): number[] {
  const offsets: number[] = [];
  for (let i = template.indexOf('${'); i >= 0; i = template.indexOf('${', i + 2)) {
    const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}/.exec(template.slice(i));
    if (!m) offsets.push(i);
  }
  return offsets;
}

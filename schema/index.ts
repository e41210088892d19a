// The browser-safe API of the dialect: AST, parse, serialize, validate, check and the cond language.
export * from './ast.ts';
export { DialectError, formatProblem } from './errors.ts';
export { parse, parseDocument, type ParseOptions, type ParseResult } from './parse.ts';
export { serialize, commentText } from './serialize.ts';
export { validate, reachableIds, type ValidateOptions } from './validate.ts';
export { PROBLEM_CODES, LIMITS } from './codes.ts';
export {
  checkDocument,
  capProblems,
  sortProblems,
  DEFAULT_MAX_PROBLEMS,
  type CheckOptions,
  type CheckResult,
} from './check.ts';
export {
  parseExpr,
  evaluate,
  truthy,
  variablesOf,
  interpolate,
  templateVariables,
  malformedTemplateOffsets,
  ExprError,
  type Expr,
  type Value,
  type ComparisonOp,
} from './expr.ts';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './xml-scan.ts';
export { ELEMENT_ATTRS, ITEM_ELEMENTS, type AttrSpec, type AttrType } from './elements.ts';

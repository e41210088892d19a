// Parsed `cond`/`expr` expressions kept per AST node, so a loop does not parse the same text every step.
import { parseExpr, type Expr } from '../../schema/expr.ts';

const cache = new WeakMap<object, { src: string; expr: Expr }>();

/** The parsed expression `src` of AST node `owner`; throws ExprError like parseExpr (errors are not cached). */
export function compiled(owner: object, src: string): Expr {
  const hit = cache.get(owner);
  if (hit && hit.src === src) return hit.expr;
  const expr = parseExpr(src);
  cache.set(owner, { src, expr });
  return expr;
}

// <tns:assign name expr/> (extension): sets a variable from a cond-language expression.
import type { Assign } from '../../../schema/ast.ts';
import { evaluate } from '../../../schema/expr.ts';
import { compiled } from '../expr-cache.ts';
import { CONTINUE, lookup, type ElementHandler } from '../context.ts';

/** A bad expression leaves the variable unchanged and is traced as E_ASSIGN; the call goes on. */
export const assign: ElementHandler<Assign> = async (ctx, item, path) => {
  let value: string;
  try {
    value = String(evaluate(compiled(item, item.expr), lookup(ctx)));
  } catch (err) {
    const message = `${item.name} = ${item.expr}: ${err instanceof Error ? err.message : String(err)}`;
    ctx.emit({ type: 'error', code: 'E_ASSIGN', message }, path);
    return CONTINUE;
  }
  ctx.vars[item.name] = value;
  ctx.emit({ type: 'assign', name: item.name, value }, path);
  return CONTINUE;
};

// <tns:if cond> with nested <tns:elseif cond> and <tns:else>: runs the first branch whose condition holds.
import type { If, Item } from '../../../schema/ast.ts';
import { evaluate, truthy } from '../../../schema/expr.ts';
import { compiled } from '../expr-cache.ts';
import { CONTINUE, lookup, type ElementHandler, type SessionContext } from '../context.ts';

/** A condition that does not parse counts as false and is traced as E_COND (the validator reports it first). */
function holds(ctx: SessionContext, owner: object, cond: string, path: string): boolean {
  try {
    return truthy(evaluate(compiled(owner, cond), lookup(ctx)));
  } catch (err) {
    ctx.emit(
      {
        type: 'error',
        code: 'E_COND',
        message: `${cond}: ${err instanceof Error ? err.message : String(err)}`,
      },
      path,
    );
    return false;
  }
}

export const ifElement: ElementHandler<If> = async (ctx, item, path) => {
  const branches: { owner: object; cond: string; items: Item[]; path: string }[] = [
    { owner: item, cond: item.cond, items: item.then, path: `${path}/then` },
    ...item.elseifs.map((e, i) => ({ owner: e, cond: e.cond, items: e.items, path: `${path}/elseif/${i}` })),
  ];
  for (const [index, b] of branches.entries()) {
    if (!holds(ctx, b.owner, b.cond, path)) continue;
    ctx.emit({ type: 'branch', cond: b.cond, index }, path);
    return ctx.runItems(b.items, b.path);
  }
  if (item.else) {
    ctx.emit({ type: 'branch', index: branches.length }, path);
    return ctx.runItems(item.else, `${path}/else`);
  }
  ctx.emit({ type: 'branch', index: -1 }, path);
  return CONTINUE;
};

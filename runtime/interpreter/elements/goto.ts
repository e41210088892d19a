// <tns:goto next="#id"/> and next="hungup".
import type { Goto } from '../../../schema/ast.ts';
import { nextOf, type ElementHandler } from '../context.ts';

export const goto: ElementHandler<Goto> = async (ctx, item, path) => {
  ctx.emit({ type: 'goto', next: item.next }, path);
  return nextOf(ctx, item.next, path);
};

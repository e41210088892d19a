// The element table: item type -> handler. The session loop looks handlers up here and nowhere else.
import type { Item, ItemType } from '../../../schema/ast.ts';
import { CONTINUE, type ElementHandler } from '../context.ts';
import { assign } from './assign.ts';
import { field } from './field.ts';
import { goto } from './goto.ts';
import { hangup } from './hangup.ts';
import { ifElement } from './if.ts';
import { choice } from './menu.ts';
import { prompt } from './prompt.ts';
import { record } from './record.ts';
import { transfer } from './transfer.ts';

type Table = { [T in ItemType]: ElementHandler<Extract<Item, { type: T }>> };

export const ELEMENTS: Table = {
  goto,
  field,
  prompt,
  if: ifElement,
  choice,
  transfer,
  record,
  hangup,
  assign,
  comment: async () => CONTINUE,
};

/** The handler of an item, typed for any item. */
export function handlerOf(item: Item): ElementHandler {
  return ELEMENTS[item.type] as ElementHandler;
}

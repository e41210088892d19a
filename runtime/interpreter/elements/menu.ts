// <tns:menu> and its <tns:choice>s: play the menu's prompts, wait for one key, follow the matching choice.
import type { Choice, Comment, Field, Form, Item, ItemType, Prompt } from '../../../schema/ast.ts';
import { collect } from '../collector.ts';
import {
  countInputTurn,
  nextOf,
  recordCollected,
  stopped,
  type ElementHandler,
  type Next,
  type SessionContext,
} from '../context.ts';
import { DEFAULT_INPUTEXPIRES_MS, promptsOf } from './field.ts';
import { playOnly } from '../playback.ts';

export const OTHER = 'other';

interface MenuParts {
  /** Items run as in a form before the announcement (choices masked), or empty. */
  leading: Item[];
  prompts: { prompt: Prompt; path: string }[];
  fields: Field[];
  choices: Choice[];
}

const ANNOUNCEMENT = new Set<ItemType>(['field', 'prompt', 'choice', 'comment']);

/**
 * Splits a menu: the fields and prompts after its last other item (assign, if, goto…) are the announcement
 * played while waiting for the key; the items up to that last other item run first, as in a form.
 */
function partsOf(form: Form): MenuParts {
  let split = 0;
  form.items.forEach((item, i) => {
    if (!ANNOUNCEMENT.has(item.type)) split = i + 1;
  });
  const masked: Comment = { type: 'comment', text: 'choice' };
  // Choices keep their index (so trace paths stay form indices) but do nothing in the leading part.
  const leading = form.items.slice(0, split).map((item) => (item.type === 'choice' ? masked : item));
  const parts: MenuParts = { leading, prompts: [], fields: [], choices: [] };
  form.items.forEach((item, i) => {
    if (item.type === 'choice') parts.choices.push(item);
    else if (i < split) return;
    else if (item.type === 'field') {
      parts.fields.push(item);
      parts.prompts.push(...promptsOf(item, String(i)));
    } else if (item.type === 'prompt') parts.prompts.push({ prompt: item, path: String(i) });
  });
  return parts;
}

function choicePath(form: Form, choice: Choice): string {
  return String(form.items.indexOf(choice));
}

/** Follows a choice, tracing it. */
function follow(ctx: SessionContext, form: Form, choice: Choice, key: string): Next {
  const path = choicePath(form, choice);
  ctx.emit({ type: 'choice', dtmf: key, next: choice.next }, path);
  return nextOf(ctx, choice.next, path);
}

/**
 * Runs a whole menu. Items before the announcement run as in a form (a goto there leaves the menu). The
 * announcement (its fields' prompts and its prompts; field `value` presets apply, `length` is ignored) plays
 * while the menu waits for one key (the last field's `inputexpires`, default 5000 ms; prompts replayed per
 * `repeat` while no key comes). The choice with that `dtmf` is followed, else `other`; with no match and no
 * `other`, the menu starts again (a no-input turn when no key came). A menu whose only choice is `other`
 * does not wait: every outcome goes to the same place. A menu without choices ends the call after its
 * announcement.
 */
export async function runMenu(ctx: SessionContext, form: Form): Promise<Next> {
  const { leading, prompts, fields, choices } = partsOf(form);
  if (leading.length > 0) {
    const next = await ctx.runItems(leading, '');
    if (next.kind !== 'continue') return next;
  }
  for (const f of fields) if (f.name && f.value !== undefined) ctx.vars[f.name] = f.value;
  const other = choices.find((c) => c.dtmf === OTHER);
  if (choices.length === 0 || choices.every((c) => c.dtmf === OTHER)) {
    const played = await playOnly(ctx, prompts);
    if (played.kind !== 'continue') return played;
    return other ? follow(ctx, form, other, '') : { kind: 'continue' };
  }
  const named = fields.find((f) => f.name);
  const timeoutMs = fields.at(-1)?.inputexpires ?? DEFAULT_INPUTEXPIRES_MS;
  // Trace the wait at the named field (else the first field); a menu of bare prompts has no item path.
  const at = named ?? fields[0];
  const path = at ? String(form.items.indexOf(at)) : undefined;
  const outcome = await collect(ctx, {
    prompts,
    max: 1,
    timeoutMs,
    terminators: '',
    field: named?.name,
    path,
  });
  const stop = stopped(ctx);
  if (stop) return stop;
  const key = outcome.digits;
  ctx.vars.input = key;
  recordCollected(ctx, named?.name, key);
  const turn = countInputTurn(ctx, key !== '', path);
  if (turn.kind !== 'continue') return turn;
  const match = (key !== '' && choices.find((c) => c.dtmf === key)) || other;
  if (match) return follow(ctx, form, match, key);
  ctx.emit({ type: 'choice', dtmf: key, next: `#${form.id}` }, path);
  return { kind: 'goto', form: form.id };
}

/** A `<tns:choice>` outside a menu does nothing (the validator reports it). */
export const choice: ElementHandler<Choice> = async (ctx, _item, path) => {
  ctx.emit(
    { type: 'error', code: 'E_CHOICE_OUTSIDE_MENU', message: 'choice outside a menu is ignored' },
    path,
  );
  return { kind: 'continue' };
};

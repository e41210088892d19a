// Edits of a form's branches: add/remove conditions, else and menu keys; where a branch's steps live.
import type { Form, If, Item } from '../../../schema/ast.ts';
import { getAt, removeAt, updateAt } from './paths.ts';
import type { Exit, ItemPath } from './types.ts';

/** Index of the first top-level `if` (the branching of a Collect node). */
function firstIf(form: Form): number {
  return form.items.findIndex((i) => i.type === 'if');
}

/** Adds a condition: an `elseif` of the form's `if`, or a new `if` after its field. */
export function addCondition(form: Form, cond: string): Form {
  const at = firstIf(form);
  if (at >= 0)
    return updateAt(form, [at], (i) => ({
      ...(i as If),
      elseifs: [...(i as If).elseifs, { cond, items: [] }],
    }));
  const field = form.items.findIndex((i) => i.type === 'field');
  const items = form.items.slice();
  const iff: If = { type: 'if', cond, then: [], elseifs: [] };
  // Before a plain trailing goto, so the goto stays the fallback after the branches.
  const goto = items.findIndex((i, n) => n > field && i.type === 'goto');
  items.splice(goto >= 0 ? goto : items.length, 0, iff);
  return { ...form, items };
}

/** Adds an empty `else` to the form's first `if` (no-op when it has one). */
export function addElse(form: Form): Form {
  const at = firstIf(form);
  if (at < 0 || (form.items[at] as If).else) return form;
  return updateAt(form, [at], (i) => ({ ...(i as If), else: [] }));
}

/** Adds a menu key (`choice`) with no target yet: before the `other` catch-all, else after the last choice. */
export function addChoice(form: Form, dtmf: string): Form {
  const items = form.items.slice();
  const other = items.findIndex((i) => i.type === 'choice' && i.dtmf === 'other');
  let last = -1;
  items.forEach((i, n) => i.type === 'choice' && (last = n));
  const at = other >= 0 ? other : last >= 0 ? last + 1 : items.length;
  items.splice(at, 0, { type: 'choice', dtmf, next: '' });
  return { ...form, items };
}

/** The first key from 1..9, 0, *, # not used by a choice of the form. */
export function freeKey(form: Form): string {
  const used = new Set(form.items.map((i) => (i.type === 'choice' ? i.dtmf : '')));
  return ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'].find((k) => !used.has(k)) ?? 'other';
}

/** Where the branch of an exit keeps its steps (the container array of its goto). */
export function branchPath(exit: Exit): ItemPath {
  return exit.open ? exit.path : exit.path.slice(0, -1);
}

/** Path of the object carrying the condition of a `cond` exit (the `if` or the `elseif`). */
export function condOwnerPath(exit: Exit): ItemPath | undefined {
  if (exit.on !== 'cond') return undefined;
  const branch = branchPath(exit);
  const last = branch[branch.length - 1];
  if (last === 'then') return branch.slice(0, -1);
  if (last === 'items') return branch.slice(0, -1);
  return undefined;
}

export function setCondition(form: Form, exit: Exit, cond: string): Form {
  const owner = condOwnerPath(exit);
  return owner ? updateAt(form, owner, (o) => ({ ...(o as object), cond })) : form;
}

export function setChoiceKey(form: Form, exit: Exit, dtmf: string): Form {
  return exit.on === 'choice' ? updateAt(form, exit.path, (c) => ({ ...(c as Item), dtmf })) : form;
}

/** Removes an exit with its branch: a choice, an elseif, an else, the then-branch (the first elseif takes its place). */
export function removeExit(form: Form, exit: Exit): Form {
  if (exit.on === 'choice') return removeAt(form, exit.path);
  const branch = branchPath(exit);
  const last = branch[branch.length - 1];
  if (exit.on === 'else' && last === 'else') return updateAt(form, branch, () => undefined);
  if (last === 'items') {
    const elseifs = branch.slice(0, -2);
    const index = branch[branch.length - 2] as number;
    return updateAt(form, elseifs, (list) => (list as unknown[]).filter((_, i) => i !== index));
  }
  if (last === 'then') {
    const ifPath = branch.slice(0, -1);
    const iff = getAt(form, ifPath) as If;
    const [first, ...rest] = iff.elseifs;
    if (!first) return removeAt(form, ifPath);
    return updateAt(form, ifPath, () => ({ ...iff, cond: first.cond, then: first.items, elseifs: rest }));
  }
  return form;
}

/** Adds a play step (a prompt) to the exit's branch, before its goto. */
export function addBranchPrompt(form: Form, exit: Exit, prompt: Item): Form {
  const branch = branchPath(exit);
  return updateAt(form, branch, (list) => {
    const items = ((list as Item[] | undefined) ?? []).slice();
    const goto = items.findIndex((i) => i.type === 'goto');
    items.splice(goto >= 0 ? goto : items.length, 0, prompt);
    return items;
  });
}

// The exits of a form: every goto and choice (wherever it is), plus branches that do not jump anywhere yet.
import type { Form, If, Item } from '../../../schema/ast.ts';
import { appendAt, getAt, pathKey, removeAt, updateAt } from './paths.ts';
import type { Exit, ItemPath } from './types.ts';

interface Branch {
  on: Exit['on'];
  label: string;
}

const TOP: Branch = { on: 'next', label: 'next' };

function ends(items: Item[]): boolean {
  return items.some((i) => i.type === 'goto' || i.type === 'hangup');
}

function ifExits(item: If, path: ItemPath, out: Exit[]): void {
  branchExits(item.then, [...path, 'then'], { on: 'cond', label: item.cond }, out);
  item.elseifs.forEach((e, j) => {
    branchExits(e.items, [...path, 'elseifs', j, 'items'], { on: 'cond', label: e.cond }, out);
  });
  const elsePath = [...path, 'else'];
  if (item.else) branchExits(item.else, elsePath, { on: 'else', label: 'else' }, out);
  else
    out.push({ handle: pathKey(elsePath), path: elsePath, label: 'else', on: 'else', steps: [], open: true });
}

function branchExits(items: Item[], path: ItemPath, branch: Branch, out: Exit[]): void {
  items.forEach((item, i) => {
    const at = [...path, i];
    if (item.type === 'goto') {
      // Outside any branch, the other items are the node's own content, not steps of this exit.
      const steps = branch === TOP ? [] : items.filter((s) => s.type !== 'goto' && s.type !== 'comment');
      out.push({ handle: pathKey(at), path: at, ...branch, next: item.next, steps, open: false });
    } else if (item.type === 'choice') {
      const next = item.next === '' ? undefined : item.next;
      out.push({
        handle: pathKey(at),
        path: at,
        on: 'choice',
        label: item.dtmf,
        next,
        steps: [],
        open: !next,
      });
    } else if (item.type === 'if') {
      ifExits(item, at, out);
    }
  });
  if (branch !== TOP && !ends(items)) {
    const steps = items.filter((s) => s.type !== 'comment' && s.type !== 'if');
    out.push({ handle: pathKey(path), path, ...branch, steps, open: true });
  }
}

/** Every exit of the form, in document order; a plain form with no goto yet gets an open `next` exit. */
export function exitsOf(form: Form): Exit[] {
  const out: Exit[] = [];
  branchExits(form.items, [], TOP, out);
  const top = form.items;
  const hasIf = top.some((i) => i.type === 'if');
  if (form.kind === 'form' && !ends(top) && !hasIf) {
    out.push({ handle: 'next', path: [], label: 'next', on: 'next', steps: [], open: true });
  }
  return out;
}

/** A copy of the form whose exit leads to `next` (`#id` / `hungup`), or nowhere when `next` is undefined. */
export function setExitTarget(form: Form, exit: Exit, next: string | undefined): Form {
  const at = getAt(form, exit.path) as Item | Item[] | undefined;
  if (exit.open && exit.on !== 'choice') {
    return next === undefined ? form : appendAt(form, exit.path, { type: 'goto', next });
  }
  if (at && !Array.isArray(at) && at.type === 'choice') {
    return updateAt(form, exit.path, (c) => ({ ...(c as Item), next: next ?? '' }));
  }
  if (next === undefined) return removeAt(form, exit.path);
  return updateAt(form, exit.path, (g) => ({ ...(g as Item), next }));
}

/** The exit of the form with this handle id, if the form still has it. */
export function exitByHandle(form: Form, handle: string): Exit | undefined {
  return exitsOf(form).find((e) => e.handle === handle);
}

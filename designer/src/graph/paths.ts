// Immutable reading and writing of a form's items by path (indexes and `If` container keys).
import type { Form, Item } from '../../../schema/ast.ts';
import type { ItemPath } from './types.ts';

type Container = Record<string | number, unknown>;

/** The value at `path` under the form's items (an item, or a container array), or undefined. */
export function getAt(form: Form, path: ItemPath): unknown {
  let here: unknown = form.items;
  for (const step of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Container)[step];
  }
  return here;
}

function setIn(here: unknown, path: ItemPath, update: (old: unknown) => unknown): unknown {
  if (path.length === 0) return update(here);
  const [step, ...rest] = path;
  if (Array.isArray(here)) {
    const copy = here.slice();
    copy[step as number] = setIn(here[step as number], rest, update);
    return copy;
  }
  const obj = (here ?? {}) as Container;
  return { ...obj, [step]: setIn(obj[step], rest, update) };
}

/** A copy of the form with the value at `path` replaced by `update(old)`; `undefined` deletes an object key. */
export function updateAt(form: Form, path: ItemPath, update: (old: unknown) => unknown): Form {
  if (path.length > 0 && typeof path[path.length - 1] === 'string') {
    // Deleting an optional container (e.g. `else`) must remove the key, not leave `else: undefined`.
    const parent = path.slice(0, -1);
    const key = path[path.length - 1] as string;
    const items = setIn(form.items, parent, (obj) => {
      const next = { ...(obj as Container) };
      const value = update(next[key]);
      if (value === undefined) delete next[key];
      else next[key] = value;
      return next;
    });
    return { ...form, items: items as Item[] };
  }
  return { ...form, items: setIn(form.items, path, update) as Item[] };
}

/** A copy of the form without the item at `path` (the last step must be an index). */
export function removeAt(form: Form, path: ItemPath): Form {
  const index = path[path.length - 1] as number;
  return updateAt(form, path.slice(0, -1), (list) => (list as Item[]).filter((_, i) => i !== index));
}

/** A copy of the form with `item` appended to the container array at `path` (created when missing). */
export function appendAt(form: Form, path: ItemPath, item: Item): Form {
  return updateAt(form, path, (list) => [...((list as Item[] | undefined) ?? []), item]);
}

export function pathKey(path: ItemPath): string {
  return path.length === 0 ? 'next' : path.join('.');
}

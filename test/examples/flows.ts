// Test helper: the example flows on disk and a walk over every item of a parsed document.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document, Form, Item, PromptSource } from '../../schema/ast.ts';

export const REPO = resolve(fileURLToPath(import.meta.url), '../../..');
export const EXAMPLES_DIR = join(REPO, 'examples');
export const SOUND_ROOT = join(REPO, 'sounds');

/** Names of the folders under examples/ that hold a flow.xml. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(EXAMPLES_DIR, entry.name, 'flow.xml')))
    .map((entry) => entry.name)
    .sort();
}

export interface Visit {
  form: Form;
  item: Item | PromptSource;
}

function* walkItems(form: Form, items: readonly (Item | PromptSource)[]): Generator<Visit> {
  for (const item of items) {
    yield { form, item };
    if (item.type === 'field') yield* walkItems(form, item.prompts);
    else if (item.type === 'prompt') yield* walkItems(form, item.sources);
    else if (item.type === 'if') {
      yield* walkItems(form, item.then);
      for (const branch of item.elseifs) yield* walkItems(form, branch.items);
      if (item.else) yield* walkItems(form, item.else);
    }
  }
}

/** Every item, prompt and prompt source of the document, depth first, with its form. */
export function* walk(document: Document): Generator<Visit> {
  for (const form of document.forms) yield* walkItems(form, form.items);
}

/** Items of one type anywhere in the document. */
export function itemsOf<T extends (Item | PromptSource)['type']>(
  document: Document,
  type: T,
): Extract<Item | PromptSource, { type: T }>[] {
  return [...walk(document)].map((visit) => visit.item).filter((item) => item.type === type) as Extract<
    Item | PromptSource,
    { type: T }
  >[];
}

// Document -> canonical tns:vxml text (xmlbuilder2): stable attribute order, two-space indent, UTF-8, final newline.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import {
  TNS_NAMESPACE,
  XSI_NAMESPACE,
  type Document,
  type Form,
  type Item,
  type PromptSource,
} from './ast.ts';
import { ELEMENT_ATTRS } from './elements.ts';

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/**
 * XML forbids `--` inside a comment: each `--` is written `- -` (so such a comment does not round-trip
 * exactly). The text is written with one space on each side, which the parser trims away.
 */
export function commentText(text: string): string {
  return ` ${text.replace(/-(?=-)/g, '- ')} `;
}

function element(parent: XMLBuilder, local: string, node: object): XMLBuilder {
  const el = parent.ele(TNS_NAMESPACE, `tns:${local}`);
  const values = node as Record<string, unknown>;
  for (const spec of ELEMENT_ATTRS[local] ?? []) {
    const value = values[spec.name];
    if (value !== undefined) el.att(spec.name, String(value));
  }
  return el;
}

function writeSource(parent: XMLBuilder, source: PromptSource): void {
  if (source.type === 'comment') parent.com(commentText(source.text));
  else if (source.type === 'audio') element(parent, 'audio', source);
  else {
    const tts = element(parent, 'tts', source);
    if (source.text !== '') tts.txt(source.text);
  }
}

function writeItems(parent: XMLBuilder, items: Item[]): void {
  for (const item of items) writeItem(parent, item);
}

function writeItem(parent: XMLBuilder, item: Item): void {
  switch (item.type) {
    case 'comment':
      parent.com(commentText(item.text));
      return;
    case 'field': {
      const field = element(parent, 'field', item);
      for (const p of item.prompts) writeItem(field, p);
      return;
    }
    case 'prompt': {
      const prompt = element(parent, 'prompt', item);
      for (const source of item.sources) writeSource(prompt, source);
      return;
    }
    case 'if': {
      const node = element(parent, 'if', item);
      writeItems(node, item.then);
      for (const branch of item.elseifs) writeItems(element(node, 'elseif', branch), branch.items);
      if (item.else) writeItems(element(node, 'else', {}), item.else);
      return;
    }
    default:
      element(parent, item.type, item);
  }
}

function writeForm(root: XMLBuilder, form: Form): void {
  for (const text of form.comments ?? []) root.com(commentText(text));
  writeItems(element(root, form.kind, form), form.items);
}

/** The canonical text of a document; `parse(serialize(doc))` deep-equals `doc` (see README for the limits). */
export function serialize(doc: Document): string {
  const xml = create({ version: '1.0', encoding: 'UTF-8' });
  const root = xml.ele(TNS_NAMESPACE, 'tns:vxml').att(XMLNS, 'xmlns:tns', TNS_NAMESPACE);
  if (doc.schemaLocation !== undefined) {
    root.att(XMLNS, 'xmlns:xsi', XSI_NAMESPACE).att(XSI_NAMESPACE, 'xsi:schemaLocation', doc.schemaLocation);
  }
  for (const form of doc.forms) writeForm(root, form);
  for (const text of doc.trailingComments ?? []) root.com(commentText(text));
  return `${xml.end({ prettyPrint: true, indent: '  ' })}\n`;
}

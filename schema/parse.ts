// tns:vxml text -> Document: refuses hostile XML, then collects every structural problem with its position.
import {
  setLocation,
  TNS_NAMESPACE,
  XSI_NAMESPACE,
  type Comment,
  type Document,
  type ElseIf,
  type Field,
  type Form,
  type If,
  type Item,
  type Problem,
  type Prompt,
  type PromptSource,
} from './ast.ts';
import { ELEMENT_ATTRS, ITEM_ELEMENTS, isKnownElement } from './elements.ts';
import { DialectError } from './errors.ts';
import { scan, type ScanLimits } from './xml-scan.ts';
import { buildTree, type XmlComment, type XmlElement, type XmlNode } from './xml-tree.ts';

export type ParseOptions = ScanLimits;

export interface ParseResult {
  document?: Document;
  problems: Problem[];
}

type AttrValue = string | number | boolean;

/** Per-parse state: the problems found so far and the form being read. */
class Reader {
  readonly problems: Problem[] = [];
  form: string | undefined;

  report(code: string, message: string, at: { line: number; column: number }): void {
    const problem: Problem = { code, severity: 'error', message, line: at.line, column: at.column };
    if (this.form !== undefined) problem.form = this.form;
    this.problems.push(problem);
  }

  /** Reads an element's attributes by the element table; bad ones are reported and left out. */
  attrs(el: XmlElement): Record<string, AttrValue> {
    const specs = ELEMENT_ATTRS[el.local] ?? [];
    const out: Record<string, AttrValue> = {};
    for (const [name, raw] of el.attrs) {
      const spec = specs.find((a) => a.name === name);
      if (!spec) {
        this.report('E_UNKNOWN_ATTR', `<${el.local}> has no attribute '${name}'`, el);
        continue;
      }
      const value = convertAttr(spec.type, raw);
      if (value === undefined) {
        this.report(
          'E_ATTR_VALUE',
          `${el.local}@${name} must be ${describeType(spec.type)}, not '${raw}'`,
          el,
        );
      } else out[name] = value;
    }
    for (const spec of specs) {
      if (spec.required && !el.attrs.has(spec.name)) {
        this.report('E_MISSING_ATTR', `<${el.local}> needs the attribute '${spec.name}'`, el);
        out[spec.name] = '';
      }
    }
    return out;
  }

  /** Reports an element that may not appear where it is. */
  misplaced(el: XmlElement, where: string): void {
    if (el.ns !== TNS_NAMESPACE) {
      this.report('E_NAMESPACE', `<${qualified(el)}> is not in the namespace ${TNS_NAMESPACE}`, el);
    } else if (!isKnownElement(el.local)) {
      this.report('E_UNKNOWN_ELEMENT', `unknown element <${el.local}>`, el);
    } else this.report('E_PLACEMENT', `<${el.local}> is not allowed in ${where}`, el);
  }

  /** Reports non-blank text where only elements may appear. */
  text(node: XmlNode, parent: XmlElement): void {
    if (node.kind === 'text' && node.text.trim() !== '') {
      this.report(
        'E_TEXT',
        `text is not allowed in <${parent.local}>: '${node.text.trim().slice(0, 40)}'`,
        parent,
      );
    }
  }
}

function qualified(el: XmlElement): string {
  return el.prefix ? `${el.prefix}:${el.local}` : el.local;
}

function describeType(type: string): string {
  return type === 'integer' ? 'an integer' : type === 'boolean' ? "'true' or 'false'" : 'text';
}

function convertAttr(type: string, raw: string): AttrValue | undefined {
  if (type === 'string') return raw;
  const trimmed = raw.trim();
  if (type === 'boolean') return trimmed === 'true' ? true : trimmed === 'false' ? false : undefined;
  if (!/^-?[0-9]+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : undefined;
}

function located<T extends object>(node: T, at: { line: number; column: number }): T {
  setLocation(node, { line: at.line, column: at.column });
  return node;
}

function comment(node: XmlComment): Comment {
  return located({ type: 'comment', text: node.text.trim() }, node);
}

/** The dialect element a node is, or undefined (text, comment, or a foreign element). */
function dialect(node: XmlNode, name?: string): XmlElement | undefined {
  if (node.kind !== 'element' || node.ns !== TNS_NAMESPACE || !isKnownElement(node.local)) return undefined;
  return name === undefined || node.local === name ? node : undefined;
}

function readPrompt(el: XmlElement, r: Reader): Prompt {
  const prompt: Prompt = { type: 'prompt', ...r.attrs(el), sources: [] } as Prompt;
  for (const child of el.children) {
    if (child.kind === 'comment') prompt.sources.push(comment(child));
    else if (child.kind === 'text') r.text(child, el);
    else if (dialect(child, 'audio')) prompt.sources.push(readLeaf(child, r) as PromptSource);
    else if (dialect(child, 'tts')) prompt.sources.push(readTts(child, r));
    else r.misplaced(child, '<prompt>');
  }
  return located(prompt, el);
}

function readTts(el: XmlElement, r: Reader): PromptSource {
  let text = '';
  for (const child of el.children) {
    if (child.kind === 'text') text += child.text;
    else if (child.kind === 'element') r.misplaced(child, '<tts> (text only)');
  }
  return located({ type: 'tts', text, ...r.attrs(el) } as PromptSource, el);
}

/** Elements without content (goto, audio, choice, transfer, record, hangup, assign). */
function readLeaf(el: XmlElement, r: Reader): Item | PromptSource {
  for (const child of el.children) {
    if (child.kind === 'text') r.text(child, el);
    else if (child.kind === 'element') r.misplaced(child, `<${el.local}> (empty element)`);
  }
  return located({ type: el.local, ...r.attrs(el) } as Item | PromptSource, el);
}

function readField(el: XmlElement, r: Reader): Field {
  const field = { type: 'field', ...r.attrs(el), prompts: [] } as unknown as Field;
  for (const child of el.children) {
    if (child.kind === 'comment') field.prompts.push(comment(child));
    else if (child.kind === 'text') r.text(child, el);
    else if (dialect(child, 'prompt')) field.prompts.push(readPrompt(child, r));
    else r.misplaced(child, '<field>');
  }
  return located(field, el);
}

function readIf(el: XmlElement, r: Reader): If {
  const node: If = { type: 'if', cond: String(r.attrs(el).cond ?? ''), then: [], elseifs: [] };
  let current = node.then;
  let state: 'then' | 'elseif' | 'else' = 'then';
  for (const child of el.children) {
    if (child.kind === 'comment') current.push(comment(child));
    else if (child.kind === 'text') r.text(child, el);
    else if (dialect(child, 'elseif') || dialect(child, 'else')) {
      if (state === 'else') {
        r.report('E_IF_ORDER', `<${child.local}> after <else> in the same <if>`, child);
        continue;
      }
      const attrs = r.attrs(child);
      current = readItems(child, r, `<${child.local}>`);
      if (child.local === 'elseif') {
        node.elseifs.push(located<ElseIf>({ cond: String(attrs.cond ?? ''), items: current }, child));
      } else node.else = located(current, child);
      state = child.local === 'else' ? 'else' : 'elseif';
    } else if (state !== 'then' && dialect(child) && ITEM_ELEMENTS.has(child.local)) {
      r.report('E_IF_ORDER', `<${child.local}> after <${state}>: the then-branch comes first`, child);
    } else {
      const item = readItem(child, r, '<if>');
      if (item) node.then.push(item);
    }
  }
  return located(node, el);
}

function readItem(el: XmlElement, r: Reader, where: string): Item | undefined {
  if (!dialect(el) || !ITEM_ELEMENTS.has(el.local)) {
    r.misplaced(el, where);
    return undefined;
  }
  if (el.local === 'field') return readField(el, r);
  if (el.local === 'prompt') return readPrompt(el, r);
  if (el.local === 'if') return readIf(el, r);
  return readLeaf(el, r) as Item;
}

/** The items of a form, a menu, an elseif or an else. */
function readItems(el: XmlElement, r: Reader, where: string): Item[] {
  const items: Item[] = [];
  for (const child of el.children) {
    if (child.kind === 'comment') items.push(comment(child));
    else if (child.kind === 'text') r.text(child, el);
    else {
      const item = readItem(child, r, where);
      if (item) items.push(item);
    }
  }
  return items;
}

function readForm(el: XmlElement, r: Reader, comments: string[]): Form {
  const id = String(r.attrs(el).id ?? '');
  r.form = id;
  const form: Form = { type: 'form', kind: el.local as 'form' | 'menu', id, items: [] };
  if (comments.length > 0) form.comments = comments;
  form.items = readItems(el, r, `<${el.local}>`);
  r.form = undefined;
  return located(form, el);
}

function readRootAttrs(root: XmlElement, r: Reader, doc: Document): void {
  for (const [name, value] of root.attrs) {
    const colon = name.indexOf(':');
    const ns = colon < 0 ? '' : (root.scope.get(name.slice(0, colon)) ?? '');
    if (ns === XSI_NAMESPACE && name.slice(colon + 1) === 'schemaLocation') doc.schemaLocation = value;
    else r.report('E_UNKNOWN_ATTR', `<vxml> has no attribute '${name}'`, root);
  }
}

function readDocument(root: XmlElement, r: Reader): Document {
  if (root.ns !== TNS_NAMESPACE) {
    r.report('E_NAMESPACE', `the root <${qualified(root)}> is not in the namespace ${TNS_NAMESPACE}`, root);
  } else if (root.local !== 'vxml') {
    r.report('E_ROOT', `the root element must be <vxml>, not <${root.local}>`, root);
  }
  const doc: Document = { type: 'document', forms: [] };
  readRootAttrs(root, r, doc);
  let pending: string[] = [];
  for (const child of root.children) {
    if (child.kind === 'comment') pending.push(comment(child).text);
    else if (child.kind === 'text') r.text(child, root);
    else if (dialect(child, 'form') || dialect(child, 'menu')) {
      doc.forms.push(readForm(child, r, pending));
      pending = [];
    } else r.misplaced(child, '<vxml>');
  }
  if (pending.length > 0) doc.trailingComments = pending;
  return located(doc, root);
}

/** Parses a document, collecting every problem; `document` is undefined only when the XML itself is refused. */
export function parseDocument(input: string | Uint8Array, opts: ParseOptions = {}): ParseResult {
  const scanned = scan(input, opts);
  if ('code' in scanned) return { problems: [scanned] };
  const nodes = buildTree(scanned);
  if (!Array.isArray(nodes)) return { problems: [nodes] };
  // Comments outside the root are dropped: there is no place for them in the tree.
  const root = nodes.find((n): n is XmlElement => n.kind === 'element');
  if (!root) {
    return {
      problems: [{ code: 'E_XML_SYNTAX', severity: 'error', message: 'no root element', line: 1, column: 1 }],
    };
  }
  const reader = new Reader();
  const document = readDocument(root, reader);
  return { document, problems: reader.problems };
}

/** Parses a document; throws DialectError listing every problem when there is any error. */
export function parse(input: string | Uint8Array, opts: ParseOptions = {}): Document {
  const { document, problems } = parseDocument(input, opts);
  if (!document || problems.some((p) => p.severity === 'error')) throw new DialectError(problems);
  return document;
}

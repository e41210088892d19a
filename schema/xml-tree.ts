// fast-xml-parser's ordered output seen as typed nodes: elements with resolved namespaces, text, comments.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Problem } from './ast.ts';
import { LineTable, type Scanned } from './xml-scan.ts';

type RawNode = Record<string, unknown>;

export interface XmlElement {
  kind: 'element';
  prefix: string;
  local: string;
  /** Namespace URI the prefix resolves to ('' when unbound). */
  ns: string;
  /** Attributes other than namespace declarations, by qualified name, entity-decoded. */
  attrs: Map<string, string>;
  /** In-scope namespace bindings (prefix -> URI, '' = default namespace). */
  scope: Map<string, string>;
  children: XmlNode[];
  line: number;
  column: number;
}

export interface XmlText {
  kind: 'text';
  text: string;
}

export interface XmlComment {
  kind: 'comment';
  text: string;
  line: number;
  column: number;
}

export type XmlNode = XmlElement | XmlText | XmlComment;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Decodes the five predefined entities and character references (the scan refused any other `&`). */
export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  captureMetaData: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

interface Builder {
  lines: LineTable;
  commentStarts: number[];
  commentCount: number;
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  return children.map((c: RawNode) => (typeof c['#text'] === 'string' ? c['#text'] : '')).join('');
}

function buildElement(raw: RawNode, qname: string, parentScope: Map<string, string>, b: Builder): XmlElement {
  const rawAttrs = (raw[':@'] ?? {}) as Record<string, string>;
  const scope = new Map(parentScope);
  const attrs = new Map<string, string>();
  for (const [name, value] of Object.entries(rawAttrs)) {
    // XML attribute-value normalization: literal tabs and newlines are spaces.
    const decoded = decodeEntities(String(value).replace(/[\t\n]/g, ' '));
    if (name === 'xmlns') scope.set('', decoded);
    else if (name.startsWith('xmlns:')) scope.set(name.slice(6), decoded);
    else attrs.set(name, decoded);
  }
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const meta = (raw as Record<symbol, { startIndex?: number } | undefined>)[META];
  const { line, column } = b.lines.at(meta?.startIndex ?? 0);
  const children = buildNodes(raw[qname] as RawNode[], scope, b);
  return {
    kind: 'element',
    prefix,
    local: qname.slice(colon + 1),
    ns: scope.get(prefix) ?? '',
    attrs,
    scope,
    children,
    line,
    column,
  };
}

function buildNodes(raws: RawNode[] | undefined, scope: Map<string, string>, b: Builder): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const raw of raws ?? []) {
    if (typeof raw['#text'] === 'string') nodes.push({ kind: 'text', text: decodeEntities(raw['#text']) });
    else if ('#cdata' in raw) nodes.push({ kind: 'text', text: textOf(raw['#cdata']) });
    else if ('#comment' in raw) {
      const { line, column } = b.lines.at(b.commentStarts[b.commentCount++] ?? 0);
      nodes.push({ kind: 'comment', text: textOf(raw['#comment']), line, column });
    } else {
      const qname = Object.keys(raw).find((k) => k !== ':@');
      if (qname) nodes.push(buildElement(raw, qname, scope, b));
    }
  }
  return nodes;
}

/** Parses scanned text into nodes, or returns the E_XML_SYNTAX problem for text that is not well-formed. */
export function buildTree(scanned: Scanned): XmlNode[] | Problem {
  const verdict = XMLValidator.validate(scanned.text, { allowBooleanAttributes: false });
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    return { code: 'E_XML_SYNTAX', severity: 'error', message: msg, line, column: col };
  }
  const raws = parser.parse(scanned.text) as RawNode[];
  const builder: Builder = {
    lines: new LineTable(scanned.text),
    commentStarts: scanned.commentStarts,
    commentCount: 0,
  };
  return buildNodes(raws, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), builder);
}

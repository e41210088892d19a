// SOAP envelopes in and out: a request read safely (size cap, no DOCTYPE or entities, well-formed, SOAP 1.1 or 1.2),
// its operation and parameters found by local name; answers and faults written in the request's SOAP version.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SoapFault } from './spec.ts';
import { escapeXml } from './xml.ts';

export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
/** Largest envelope read: the manual's operations take a few short parameters. */
export const MAX_ENVELOPE_BYTES = 64 * 1024;

export type SoapVersion = '1.1' | '1.2';

export interface SoapRequest {
  version: SoapVersion;
  /** Namespace and local name of the Body's first element (the operation). */
  namespace: string | undefined;
  operation: string;
  /** Child elements by local name: their text, or undefined for `xsi:nil` (first occurrence wins). */
  params: Map<string, string | undefined>;
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (_name: string, _path: unknown, _leaf: unknown, isAttribute: boolean) => !isAttribute,
});

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const prefix = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');

/** The namespace bound to `pre` on this element or an ancestor. */
function namespaceFor(pre: string, chain: Node[]): string | undefined {
  const attr = pre ? `@_xmlns:${pre}` : '@_xmlns';
  for (let i = chain.length - 1; i >= 0; i--) {
    const v = chain[i][attr];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** The child elements of a node (attributes and text left out), each with its tag name. */
function children(node: Node): [string, Node][] {
  const out: [string, Node][] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@_') || k === '#text' || k.startsWith('?')) continue;
    for (const item of v as unknown[])
      out.push([k, typeof item === 'object' && item !== null ? (item as Node) : { '#text': item }]);
  }
  return out;
}

function textOf(node: Node): string | undefined {
  const nil = Object.entries(node).find(([k]) => k.startsWith('@_') && local(k.slice(2)) === 'nil');
  if (nil && (nil[1] === 'true' || nil[1] === '1')) return undefined;
  if (children(node).length > 0) throw new SoapFault(400, 'a parameter holds elements, not a value');
  const t = node['#text'];
  return t === undefined ? '' : String(t);
}

const fault = (reason: string) => new SoapFault(400, reason);

/** Reads an envelope; throws a SoapFault (400) for anything that is not a well-formed, safe SOAP request. */
export function parseEnvelope(xml: string): SoapRequest {
  if (Buffer.byteLength(xml) > MAX_ENVELOPE_BYTES)
    throw new SoapFault(413, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`);
  // No DTDs: no entity expansion (billion laughs), no external entities (XXE).
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw fault('DOCTYPE and entity declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw fault(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Node;
  const roots = children(doc);
  const [rootName, root] = roots[0] ?? [];
  if (!root || roots.length !== 1 || local(rootName!) !== 'Envelope') throw fault('not a SOAP envelope');
  const envNs = namespaceFor(prefix(rootName!), [root]);
  if (envNs !== SOAP11 && envNs !== SOAP12)
    throw new SoapFault(400, `unknown SOAP envelope namespace ${envNs ?? '(none)'}`);
  const version: SoapVersion = envNs === SOAP11 ? '1.1' : '1.2';
  const body = children(root).find(([n]) => local(n) === 'Body')?.[1];
  if (!body) throw fault('the envelope has no Body');
  const [opName, op] = children(body)[0] ?? [];
  if (!op) throw fault('the Body names no operation');
  const params = new Map<string, string | undefined>();
  for (const [name, node] of children(op))
    if (!params.has(local(name))) params.set(local(name), textOf(node));
  return {
    version,
    namespace: namespaceFor(prefix(opName!), [root, body, op]),
    operation: local(opName!),
    params,
  };
}

const envelopeNs = (v: SoapVersion) => (v === '1.1' ? SOAP11 : SOAP12);

export const contentType = (v: SoapVersion) =>
  v === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8';

function envelope(v: SoapVersion, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soap:Envelope xmlns:soap="${envelopeNs(v)}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

/** The answer of `operation`: `<tns:<operation>Response>` holding `inner`. */
export function responseEnvelope(v: SoapVersion, ns: string, operation: string, inner: string): string {
  return envelope(
    v,
    `<tns:${operation}Response xmlns:tns="${escapeXml(ns)}">${inner}</tns:${operation}Response>`,
  );
}

/** A fault carrying the manual's code and reason (faultstring `<code> <reason>`, and both in the detail). */
export function faultEnvelope(v: SoapVersion, f: SoapFault): string {
  const text = escapeXml(`${f.code} ${f.reason}`);
  const detail = `<bridgeFault><code>${f.code}</code><reason>${escapeXml(f.reason)}</reason></bridgeFault>`;
  if (v === '1.1')
    return envelope(
      v,
      `<soap:Fault><faultcode>soap:${f.side}</faultcode><faultstring>${text}</faultstring><detail>${detail}</detail></soap:Fault>`,
    );
  const code = f.side === 'Client' ? 'Sender' : 'Receiver';
  return envelope(
    v,
    `<soap:Fault><soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code>` +
      `<soap:Reason><soap:Text xml:lang="en">${text}</soap:Text></soap:Reason><soap:Detail>${detail}</soap:Detail></soap:Fault>`,
  );
}

// The hostile-input gate run before any XML parsing: size, encoding, DOCTYPE/entities, PIs and nesting depth.
import type { Problem } from './ast.ts';

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

export interface ScanLimits {
  maxBytes?: number;
  maxDepth?: number;
}

/** What the scan learned: the decoded text, and where each comment starts (document order). */
export interface Scanned {
  text: string;
  commentStarts: number[];
}

/** Converts a 0-based index into 1-based line/column, with a precomputed table of line starts. */
export class LineTable {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(index: number): { line: number; column: number } {
    let [lo, hi] = [0, this.starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - this.starts[lo] + 1 };
  }
}

class ScanError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

function decode(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === 'string') {
    // A UTF-16 string is at most 3 UTF-8 bytes per code unit: measure exactly only when it could matter.
    if (
      input.length > maxBytes ||
      (input.length * 3 > maxBytes && new TextEncoder().encode(input).length > maxBytes)
    ) {
      throw new ScanError('E_TOO_LARGE', `document is larger than ${maxBytes} bytes`, 0);
    }
    return input;
  }
  if (input.length > maxBytes)
    throw new ScanError('E_TOO_LARGE', `document is larger than ${maxBytes} bytes`, 0);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
  } catch {
    throw new ScanError('E_ENCODING', 'document is not valid UTF-8', 0);
  }
}

const ENTITY_REF = /&(?:lt|gt|amp|apos|quot|#[0-9]+|#x[0-9a-fA-F]+);/y;

/**
 * Checks every `&` in [from, to) starts an allowed reference. `cursor.next` remembers where the next `&` is, so a
 * document is searched once in all (searching from `from` each time is quadratic when `&` is rare or absent).
 */
function checkAmpersands(text: string, from: number, to: number, cursor: { next: number }): void {
  if (cursor.next >= 0 && cursor.next < from) cursor.next = text.indexOf('&', from);
  for (let i = cursor.next; i >= 0 && i < to; i = cursor.next) {
    ENTITY_REF.lastIndex = i;
    if (!ENTITY_REF.test(text)) {
      const named = /^&[A-Za-z_][\w.-]*;/.exec(text.slice(i, i + 64));
      if (named) throw new ScanError('E_ENTITY', `undeclared entity reference ${named[0]}`, i);
      throw new ScanError('E_XML_SYNTAX', "'&' must be written as &amp;", i);
    }
    cursor.next = text.indexOf('&', i + 1);
  }
}

function skipTo(text: string, from: number, end: string, what: string): number {
  const i = text.indexOf(end, from);
  if (i < 0) throw new ScanError('E_XML_SYNTAX', `unterminated ${what}`, from);
  return i + end.length;
}

/** Index just after the `>` closing the tag starting at `start`, skipping quoted attribute values. */
function tagEnd(text: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
    else if (c === '<') break;
  }
  throw new ScanError('E_XML_SYNTAX', 'unterminated tag', start);
}

function scanMarkup(text: string, maxDepth: number): number[] {
  const commentStarts: number[] = [];
  let depth = 0;
  let i = text.indexOf('<');
  let textFrom = 0;
  const amp = { next: text.indexOf('&') };
  while (i >= 0) {
    checkAmpersands(text, textFrom, i, amp);
    let next: number;
    if (text.startsWith('<!--', i)) {
      commentStarts.push(i);
      next = skipTo(text, i + 4, '-->', 'comment');
    } else if (text.startsWith('<![CDATA[', i)) next = skipTo(text, i + 9, ']]>', 'CDATA section');
    else if (text[i + 1] === '!' && /^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
      throw new ScanError('E_DOCTYPE', 'DOCTYPE declarations are not allowed', i);
    } else if (text[i + 1] === '!' && /^<!ENTITY/i.test(text.slice(i, i + 8))) {
      throw new ScanError('E_ENTITY', 'entity declarations are not allowed', i);
    } else if (text.startsWith('<?', i)) {
      if (i !== 0 || !/^<\?xml[\s?]/.test(text.slice(0, 6))) {
        throw new ScanError('E_PI', 'processing instructions are not allowed (only the XML declaration)', i);
      }
      next = skipTo(text, i + 2, '?>', 'XML declaration');
    } else {
      next = tagEnd(text, i);
      checkAmpersands(text, i, next, amp);
      if (text[i + 1] === '/') depth--;
      else {
        if (depth + 1 > maxDepth) {
          throw new ScanError('E_TOO_DEEP', `elements are nested deeper than ${maxDepth} levels`, i);
        }
        if (text[next - 2] !== '/') depth++;
      }
    }
    textFrom = next;
    i = text.indexOf('<', next);
  }
  checkAmpersands(text, textFrom, text.length, amp);
  return commentStarts;
}

/**
 * Refuses hostile or non-XML-conforming input cheaply and linearly (no recursion, no tree):
 * returns the text to parse, or the one problem that refuses it.
 */
export function scan(input: string | Uint8Array, limits: ScanLimits = {}): Scanned | Problem {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  let text = '';
  try {
    text = decode(input, maxBytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // XML end-of-line handling: CRLF and lone CR become LF before anything else.
    text = text.replace(/\r\n?/g, '\n');
    return { text, commentStarts: scanMarkup(text, maxDepth) };
  } catch (err) {
    if (!(err instanceof ScanError)) throw err;
    const { line, column } = new LineTable(text).at(err.index);
    return { code: err.code, severity: 'error', message: err.message, line, column };
  }
}

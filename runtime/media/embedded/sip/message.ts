// SIP message model, tolerant parser (RFC 3261 §7, RFC 4475 torture cases) and serializer.

export interface Header {
  /** Canonical long name, lower case (`via`, `call-id`); compact forms are expanded. */
  name: string;
  value: string;
}

interface MessageBase {
  headers: Header[];
  body: Buffer;
}
export interface SipRequest extends MessageBase {
  kind: 'request';
  method: string;
  uri: string;
}
export interface SipResponse extends MessageBase {
  kind: 'response';
  status: number;
  reason: string;
}
export type SipMessage = SipRequest | SipResponse;

export type ParseResult =
  | { ok: true; message: SipMessage; rest: Buffer }
  | { ok: false; error: string; partial?: SipMessage; incomplete?: boolean };

export const MAX_MESSAGE_BYTES = 65_535;
const MAX_HEADERS = 256;

const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
  u: 'allow-events',
};

/** Display spelling of header names on the wire. */
const CANONICAL: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
};

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const HEADERS_REQUIRED = ['via', 'from', 'to', 'call-id', 'cseq'];

export function headerName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT[lower] ?? lower;
}

function wireName(name: string): string {
  return CANONICAL[name] ?? name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

/** Parses one message from the start of `data` (a datagram or a stream buffer). */
export function parseMessage(data: Buffer, opts: { stream?: boolean } = {}): ParseResult {
  const headEnd = findHeadEnd(data);
  if (!headEnd) {
    if (data.length > MAX_MESSAGE_BYTES) return { ok: false, error: 'message too large' };
    return { ok: false, error: 'no end of headers', incomplete: true };
  }
  const head = data.subarray(0, headEnd.index).toString('latin1');
  const lines = unfold(head.replace(/^(\r?\n)+/, ''));
  const start = lines.shift() ?? '';
  const { start: first, error: startError } = parseStartLine(start);
  if (!first) return { ok: false, error: startError ?? 'bad start line' };
  const headers: Header[] = [];
  let headerError: string | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    const rawName = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!TOKEN.test(rawName)) {
      headerError ??= `bad header line: ${line.slice(0, 80)}`;
      continue;
    }
    if (headers.length >= MAX_HEADERS) return { ok: false, error: 'too many headers' };
    headers.push({ name: headerName(rawName), value: line.slice(colon + 1).trim() });
  }
  const partial = { ...first, headers, body: Buffer.alloc(0) } as SipMessage;
  if (startError || headerError) return { ok: false, error: startError ?? headerError ?? '', partial };
  const bodyStart = headEnd.index + headEnd.length;
  const lengths = headers.filter((h) => h.name === 'content-length');
  let length = data.length - bodyStart;
  if (lengths.length > 0) {
    const n = parseInteger(lengths[0].value);
    if (n === undefined || lengths.some((h) => h.value.trim() !== lengths[0].value.trim())) {
      return { ok: false, error: 'bad Content-Length', partial };
    }
    if (n > MAX_MESSAGE_BYTES) return { ok: false, error: 'Content-Length too large', partial };
    if (n > data.length - bodyStart) {
      if (opts.stream) return { ok: false, error: 'incomplete body', incomplete: true };
      return { ok: false, error: 'Content-Length exceeds body', partial };
    }
    length = n;
  } else if (opts.stream) {
    return { ok: false, error: 'missing Content-Length on stream', partial };
  }
  const message = { ...partial, body: Buffer.from(data.subarray(bodyStart, bodyStart + length)) };
  const invalid = validate(message);
  if (invalid) return { ok: false, error: invalid, partial: message };
  return { ok: true, message, rest: data.subarray(bodyStart + length) };
}

function findHeadEnd(data: Buffer): { index: number; length: number } | undefined {
  // Leading CRLFs (keep-alives) are skipped, as RFC 3261 §7.5 asks.
  let from = 0;
  while (from < data.length && (data[from] === 13 || data[from] === 10)) from++;
  const crlf = data.indexOf('\r\n\r\n', from);
  const lf = data.indexOf('\n\n', from);
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}

/** Splits header lines and joins continuation lines (leading SP/HTAB) into one, as §7.3.1 allows. */
function unfold(head: string): string[] {
  const out: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    // A continuation right after the start line has no header to join: it stays a (bad) line of its own.
    if (/^[ \t]/.test(line) && out.length > 1) out[out.length - 1] += ' ' + line.trim();
    else out.push(line);
  }
  return out;
}

type StartLine =
  Pick<SipRequest, 'kind' | 'method' | 'uri'> | Pick<SipResponse, 'kind' | 'status' | 'reason'>;

/** Parses the first line; a malformed request line still yields the method so that a 400 can be sent. */
function parseStartLine(line: string): { start?: StartLine; error?: string } {
  const res = /^SIP\/2\.0 (\d{3})(?: (.*))?$/i.exec(line);
  if (res) return { start: { kind: 'response', status: Number(res[1]), reason: res[2] ?? '' } };
  const req = /^(\S+) (\S+) SIP\/(\d+\.\d+)$/i.exec(line);
  if (req && TOKEN.test(req[1])) {
    const start: StartLine = { kind: 'request', method: req[1], uri: req[2] };
    return req[3] === '2.0' ? { start } : { start, error: `unsupported SIP version ${req[3]}` };
  }
  const loose = /^(\S+)\s.*\sSIP\/\d+\.\d+\s*$/i.exec(line);
  if (loose && TOKEN.test(loose[1])) {
    return { start: { kind: 'request', method: loose[1], uri: '' }, error: 'bad request line' };
  }
  return { error: `bad start line: ${line.slice(0, 80)}` };
}

function parseInteger(value: string): number | undefined {
  const v = value.trim();
  if (!/^\d{1,10}$/.test(v)) return undefined;
  return Number(v);
}

/** The checks without which we cannot answer sensibly; anything failing here gets a 400. */
function validate(m: SipMessage): string | undefined {
  for (const name of HEADERS_REQUIRED) if (!m.headers.some((h) => h.name === name)) return `missing ${name}`;
  for (const name of ['from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-length']) {
    if (m.headers.filter((h) => h.name === name).length > 1) return `duplicate ${name}`;
  }
  const cseq = parseCSeq(header(m, 'cseq') ?? '');
  if (!cseq) return 'bad CSeq';
  if (m.kind === 'request') {
    if (cseq.method !== m.method) return 'CSeq method does not match';
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]+$/.test(m.uri) || !wellFormedSipUri(m.uri))
      return 'bad Request-URI';
    const mf = header(m, 'max-forwards');
    if (mf !== undefined && !((parseInteger(mf) ?? 256) <= 255)) return 'bad Max-Forwards';
  } else if (m.status < 100 || m.status > 699) return 'bad status code';
  for (const name of ['from', 'to']) {
    if (!parseNameAddr(header(m, name) ?? '')) return `bad ${name}`;
  }
  if (!parseVia(header(m, 'via') ?? '')) return 'bad Via';
  return undefined;
}

/** host [":" port] [params] [headers] of RFC 3261 §19.1.1, with a user part before an `@` if any. */
const SIP_URI =
  /^sips?:(?:[^@\s<>"]+@)?(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*\.?)(?::(\d{1,5}))?((?:;[^;=?\s]+(?:=[^;?\s]*)?)*)(?:\?\S*)?$/i;

/** A sip: or sips: URI needs a real host, a port within range and named parameters; other schemes pass. */
function wellFormedSipUri(uri: string): boolean {
  if (!/^sips?:/i.test(uri)) return true;
  const m = SIP_URI.exec(uri);
  return m !== null && (m[2] === undefined || Number(m[2]) <= 65535);
}

export function header(m: SipMessage, name: string): string | undefined {
  const n = headerName(name);
  return m.headers.find((h) => h.name === n)?.value;
}

/** All values of a header, with comma-separated lists split (outside quotes and angle brackets). */
export function headerValues(m: SipMessage, name: string): string[] {
  const n = headerName(name);
  return m.headers.filter((h) => h.name === n).flatMap((h) => splitList(h.value));
}

export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted && c === '\\') {
      cur += c + (value[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    if (c === ',' && !quoted && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function setHeader(m: SipMessage, name: string, value: string): void {
  const n = headerName(name);
  const i = m.headers.findIndex((h) => h.name === n);
  if (i >= 0) {
    m.headers[i] = { name: n, value };
    m.headers = m.headers.filter((h, j) => h.name !== n || j === i);
  } else m.headers.push({ name: n, value });
}

export function removeHeader(m: SipMessage, name: string): void {
  const n = headerName(name);
  m.headers = m.headers.filter((h) => h.name !== n);
}

export function serialize(m: SipMessage): Buffer {
  const start = m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  const lines = [start];
  for (const h of m.headers) if (h.name !== 'content-length') lines.push(`${wireName(h.name)}: ${h.value}`);
  lines.push(`Content-Length: ${m.body.length}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), m.body]);
}

export interface Params {
  [name: string]: string | true;
}

/** `;a=b;c` -> { a: 'b', c: true }; names lower-cased; quoted values unquoted. */
export function parseParams(text: string): Params {
  const params: Params = {};
  for (const part of splitOutsideQuotes(text, ';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq < 0) params[p.toLowerCase()] = true;
    else params[p.slice(0, eq).trim().toLowerCase()] = unquote(p.slice(eq + 1).trim());
  }
  return params;
}

function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') {
      cur += c + (text[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

export interface NameAddr {
  display?: string;
  uri: string;
  params: Params;
}

/** Parses name-addr (`"Bob" <sip:bob@h;lr>;tag=x`) or addr-spec (`sip:bob@h;tag=x`, params go to the header). */
export function parseNameAddr(text: string): NameAddr | undefined {
  const t = text.trim();
  const lt = indexOutsideQuotes(t, '<');
  if (lt >= 0) {
    const gt = t.indexOf('>', lt);
    if (gt < 0) return undefined;
    const display = t.slice(0, lt).trim();
    if (display && !/^("([^"\\]|\\.)*"|[^"<>]+)$/.test(display)) return undefined;
    const uri = t.slice(lt + 1, gt);
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(uri)) return undefined;
    const rest = t.slice(gt + 1).trim();
    if (rest && !rest.startsWith(';')) return undefined;
    return { display: display ? unquote(display) : undefined, uri, params: parseParams(rest) };
  }
  if (t.includes('"')) return undefined;
  const semi = t.indexOf(';');
  const uri = (semi < 0 ? t : t.slice(0, semi)).trim();
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(uri)) return undefined;
  return { uri, params: parseParams(semi < 0 ? '' : t.slice(semi)) };
}

function indexOutsideQuotes(t: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    if (quoted && t[i] === '\\') i++;
    else if (t[i] === '"') quoted = !quoted;
    else if (t[i] === ch && !quoted) return i;
  }
  return -1;
}

export interface Via {
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

export function parseVia(text: string): Via | undefined {
  const first = splitList(text)[0] ?? '';
  const m =
    /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[0-9a-fA-F:.]+\]|[^\s;:]+)(?:\s*:\s*(\d{1,5}))?\s*(;.*)?$/i.exec(
      first.trim(),
    );
  if (!m) return undefined;
  return {
    transport: m[1].toUpperCase(),
    host: m[2],
    port: m[3] ? Number(m[3]) : undefined,
    params: parseParams(m[4] ?? ''),
  };
}

export function parseCSeq(text: string): { seq: number; method: string } | undefined {
  const m = /^(\d{1,10})\s+(\S+)$/.exec(text.trim());
  if (!m || Number(m[1]) > 2 ** 31 - 1 || !TOKEN.test(m[2])) return undefined;
  return { seq: Number(m[1]), method: m[2] };
}

export interface SipUri {
  scheme: string;
  user?: string;
  host: string;
  port?: number;
  params: Params;
}

/** Parses `sip:user@host:port;params?headers` (headers are dropped). */
export function parseUri(uri: string): SipUri | undefined {
  const m = /^(sips?):(?:([^@;?]+)@)?(\[[0-9a-fA-F:.]+\]|[^;:?]+)(?::(\d{1,5}))?([^?]*)/i.exec(uri.trim());
  if (!m) return undefined;
  const user = m[2] ? decodeURIComponentSafe(m[2].split(':')[0]) : undefined;
  return {
    scheme: m[1].toLowerCase(),
    user,
    host: m[3],
    port: m[4] ? Number(m[4]) : undefined,
    params: parseParams(m[5]),
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

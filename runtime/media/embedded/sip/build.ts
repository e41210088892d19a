// Building SIP responses and fresh identifiers (branches, tags, Call-IDs).
import { randomBytes } from 'node:crypto';
import { header, type SipRequest, type SipResponse } from './message.ts';

export const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'Version Not Supported',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
};

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, MESSAGE, REGISTER';

export function newBranch(): string {
  return 'z9hG4bK' + randomBytes(8).toString('hex');
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

export function newCallId(host: string): string {
  return `${randomBytes(12).toString('hex')}@${host}`;
}

/** A response to `req` per RFC 3261 §8.2.6: Via, From, Call-ID, CSeq copied; To gets `toTag` unless it has one. */
export function makeResponse(
  req: SipRequest,
  status: number,
  opts: { reason?: string; toTag?: string; headers?: Record<string, string>; body?: Buffer } = {},
): SipResponse {
  const headers = req.headers
    .filter(
      (h) =>
        ['via', 'from', 'call-id', 'cseq'].includes(h.name) || (h.name === 'record-route' && status < 300),
    )
    .map((h) => ({ ...h }));
  let to = header(req, 'to') ?? '';
  if (opts.toTag && status > 100 && !/;\s*tag=/i.test(to)) to += `;tag=${opts.toTag}`;
  headers.splice(
    headers.findIndex((h) => h.name === 'call-id'),
    0,
    { name: 'to', value: to },
  );
  for (const [name, value] of Object.entries(opts.headers ?? {}))
    headers.push({ name: name.toLowerCase(), value });
  return {
    kind: 'response',
    status,
    reason: opts.reason ?? REASONS[status] ?? 'Unknown',
    headers,
    body: opts.body ?? Buffer.alloc(0),
  };
}

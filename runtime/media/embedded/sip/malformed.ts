// The answer to a request that could not be parsed: 505 for another SIP version, 400 naming the fault, or none.
import { makeResponse } from './build.ts';
import { header, type SipResponse } from './message.ts';
import { stampReceived } from './nat.ts';
import type { ParseFailure } from './transport.ts';

/** Undefined when there is nothing to answer: a response, an ACK, or too little read to address a reply. */
export function answerToMalformed(f: ParseFailure): SipResponse | undefined {
  const p = f.partial;
  if (p?.kind !== 'request' || p.method === 'ACK' || !header(p, 'via')) return undefined;
  const res = f.error.startsWith('unsupported SIP version')
    ? makeResponse(p, 505)
    : makeResponse(p, 400, { reason: `Bad Request (${f.error.replace(/[^\x20-\x7e]/g, '?').slice(0, 60)})` });
  stampReceived(res, f.peer);
  return res;
}

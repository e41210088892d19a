// Phones behind NAT: `received`/`rport` in the Via of our responses (RFC 3261 §18.2.1, RFC 3581), and whether
// requests to a peer go back to where it sent from rather than to the address it advertises.
import { header, parseVia, splitList, type SipRequest, type SipResponse } from './message.ts';
import type { Peer } from './transport.ts';

/**
 * Fills the top Via of a response with the source its request came from: `received` when the sent-by host is
 * not that address or the client asked with `rport`, and the `rport` value. Idempotent; changes `res` in place.
 */
export function stampReceived(res: SipResponse, peer: Peer): void {
  const i = res.headers.findIndex((h) => h.name === 'via');
  if (i < 0) return;
  const value = res.headers[i].value;
  const first = splitList(value)[0];
  const via = first ? parseVia(first) : undefined;
  if (!first || !via) return;
  const wantsRport = via.params.rport !== undefined;
  let top = first;
  if (wantsRport) top = top.replace(/;\s*rport(\s*=\s*\d*)?(?=\s*(;|$))/i, `;rport=${peer.port}`);
  if ((wantsRport || via.host.replace(/^\[|\]$/g, '') !== peer.address) && via.params.received === undefined)
    top += `;received=${peer.address}`;
  if (top === first) return;
  const at = value.indexOf(first);
  res.headers[i] = { name: 'via', value: value.slice(0, at) + top + value.slice(at + first.length) };
}

/**
 * True when requests to the sender of `req` must go to its observed source: over TCP (only that connection
 * reaches a phone behind NAT) or when its top Via asked for symmetric routing with `rport`.
 */
export function symmetric(req: SipRequest, peer: Peer): boolean {
  if (peer.transport === 'tcp') return true;
  const via = parseVia(header(req, 'via') ?? '');
  return via?.params.rport !== undefined;
}

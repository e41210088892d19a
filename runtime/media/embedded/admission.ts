// What the embedded engine decides about a new INVITE before it rings: blocked sources, credentials, the runtime's
// hook, then the SDP offer.
import type { Admission, IncomingRequest, RefusedCall } from '../contract.ts';
import { negotiate, parseSdp, type Negotiated } from './sdp.ts';
import type { ExtensionAuth } from './sip/auth.ts';
import { makeResponse, newTag } from './sip/build.ts';
import { header, type SipRequest, type SipResponse } from './sip/message.ts';
import type { Peer } from './sip/transport.ts';
import { callerOf } from './sip/uas.ts';

export type AdmissionHook = (req: IncomingRequest) => Admission;

/** Today's behaviour, until the runtime sets its policy: every INVITE rings. */
export const admitEveryone: AdmissionHook = () => ({ action: 'accept' });

/** `ok`: ring, as `authenticatedAs` if the caller proved an extension. Otherwise answer `response`; `refused`
 *  (why) is set when the answer is a refusal the call log should show (a challenge is not). */
export type InviteVerdict =
  { ok: true; authenticatedAs?: string } | { ok: false; response: SipResponse; refused?: string };

export function admitInvite(
  req: SipRequest,
  peer: Peer,
  hook: AdmissionHook,
  auth: ExtensionAuth,
  log: (obj: object, msg: string) => void,
): InviteVerdict {
  const toTag = newTag();
  const refuse = (status: number, reason: string): InviteVerdict => ({
    ok: false,
    response: rejection(req, status, reason, toTag),
    refused: reason,
  });
  if (auth.blocked(peer.address)) return refuse(403, 'source blocked after failed authentications');
  let authenticatedAs: string | undefined;
  if (header(req, 'proxy-authorization')) {
    const outcome = auth.check(req, peer, toTag);
    if (!outcome.ok) {
      if (outcome.response.status === 407) return { ok: false, response: outcome.response };
      const reason =
        outcome.reason === 'blocked'
          ? 'source blocked after failed authentications'
          : 'authentication failed';
      return { ok: false, response: outcome.response, refused: reason };
    }
    authenticatedAs = outcome.user;
  }
  const { from, to } = callerOf(req);
  let decision: Admission;
  try {
    decision = hook({ from, to, source: { address: peer.address, port: peer.port }, authenticatedAs });
  } catch (err) {
    log({ err }, 'admission hook failed');
    return refuse(500, 'admission failed');
  }
  switch (decision.action) {
    case 'accept':
      return { ok: true, authenticatedAs };
    case 'challenge':
      // Asked to challenge a caller who already proved an extension: that extension may not make this call.
      if (authenticatedAs) return refuse(403, `not allowed for extension ${authenticatedAs}`);
      return { ok: false, response: auth.challengeInvite(req, toTag) };
    case 'reject':
      return refuse(decision.status, decision.reason);
  }
}

/** The caller's SDP offer negotiated, or the refusal: offerless INVITEs (offer in the 200, answer in the ACK)
 *  are not supported (488), a body of another type is 415, an offer without a common codec 488. */
export function offerOf(
  req: SipRequest,
): { ok: true; negotiated: Negotiated } | { ok: false; response: SipResponse; refused: string } {
  const type = (header(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  const offer = type === 'application/sdp' ? parseSdp(req.body.toString('latin1')) : undefined;
  if (!offer) {
    const status = req.body.length && type !== 'application/sdp' ? 415 : 488;
    const response = makeResponse(req, status, { headers: { Accept: 'application/sdp' } });
    return { ok: false, response, refused: status === 415 ? 'offer is not SDP' : 'no SDP offer' };
  }
  const negotiated = negotiate(offer);
  if (!negotiated) return { ok: false, response: makeResponse(req, 488), refused: 'no common codec' };
  return { ok: true, negotiated };
}

/** A final error with the reason both as the phrase and as an RFC 3326 Reason header. */
export function rejection(req: SipRequest, status: number, reason: string, toTag = newTag()): SipResponse {
  const text = reason.replace(/[^\x20-\x7e]|"|\\/g, '').slice(0, 100);
  return makeResponse(req, status, {
    toTag,
    ...(text ? { reason: text, headers: { Reason: `SIP;cause=${status};text="${text}"` } } : {}),
  });
}

/** The `refused` event of an INVITE answered `status` before any leg existed. */
export function refusedCall(req: SipRequest, peer: Peer, status: number, reason: string): RefusedCall {
  const { from, to } = callerOf(req);
  return {
    from,
    to,
    sipCallId: header(req, 'call-id') ?? '',
    source: { address: peer.address, port: peer.port },
    status,
    reason,
  };
}

// A SIP MESSAGE sent outside a dialog (RFC 3428): the answer to an SMS goes back to its sender this way.
import { newBranch, newCallId, newTag } from './build.ts';
import type { CallContext } from './call.ts';
import { viaFor } from './dialog.ts';
import type { SipRequest } from './message.ts';
import type { Peer } from './transport.ts';

export interface OutgoingMessage {
  /** Request-URI and To (the sender of the message being answered). */
  uri: string;
  /** Where to send it (the address the message came from, as responses go). */
  peer: Peer;
  /** Our user in From (the number the message was sent to). */
  fromUser: string;
  /** The Call-ID of the message answered: the reply threads with it (RFC 3428 pager mode). */
  callId?: string;
  body: string;
}

/** Sends the MESSAGE; resolves with the final status (408 when no answer came). */
export function sendMessage(ctx: CallContext, m: OutgoingMessage): Promise<number> {
  const body = Buffer.from(m.body, 'utf8');
  const req: SipRequest = {
    kind: 'request',
    method: 'MESSAGE',
    uri: m.uri,
    headers: [
      { name: 'via', value: viaFor(ctx.local, m.peer.transport, newBranch()) },
      { name: 'max-forwards', value: '70' },
      { name: 'from', value: `<sip:${m.fromUser}@${ctx.local.host}>;tag=${newTag()}` },
      { name: 'to', value: `<${m.uri}>` },
      { name: 'call-id', value: m.callId ?? newCallId(ctx.local.host) },
      { name: 'cseq', value: '1 MESSAGE' },
      { name: 'user-agent', value: ctx.userAgent },
      { name: 'content-type', value: 'text/plain;charset=UTF-8' },
    ],
    body,
  };
  return new Promise((resolve) => {
    ctx.layer.request(req, m.peer, {
      onResponse: (res) => {
        if (res.status >= 200) resolve(res.status);
      },
      onTimeout: () => resolve(408),
    });
  });
}

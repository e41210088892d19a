// An outbound call (UAC): INVITE with an SDP offer, digest retry on 401/407, ringing timeout with CANCEL, outcomes.
import { OriginateError, type HangupCause, type OriginateFailure } from '../../contract.ts';
import { EmbeddedLeg, type LegMedia, type LegSignalling } from '../leg.ts';
import { buildSdp, negotiate, OFFER_CODECS, OFFER_TELEPHONE_EVENT, parseSdp } from '../sdp.ts';
import { newBranch, newCallId, newTag } from './build.ts';
import { SipCall, type CallContext } from './call.ts';
import { contactFor, Dialog, viaFor } from './dialog.ts';
import { answerChallenge } from './digest.ts';
import { header, parseCSeq, type SipRequest, type SipResponse } from './message.ts';
import type { Peer } from './transport.ts';

export interface OutboundRequest {
  /** Request-URI and To. */
  uri: string;
  peer: Peer;
  from: string;
  fromDomain: string;
  timeoutSec: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  onRinging?: () => void;
  credentials?: { username: string; password: string };
  /** The callee is reached at `peer` whatever its Contact says (a registered phone behind NAT, or over TCP). */
  symmetric?: boolean;
}

/** Decisions "Call outcome codes": the failure a final SIP status means. */
export function outcomeOf(status: number, hadProvisional: boolean): OriginateFailure {
  if ([404, 484, 604].includes(status)) return 'not-found';
  if ([486, 600].includes(status)) return 'busy';
  if (status === 480 || status === 503 || (status === 408 && !hadProvisional)) return 'unavailable';
  if (status === 487) return 'cancelled';
  return 'failed';
}

const CAUSE: Partial<Record<OriginateFailure, HangupCause>> = {
  busy: 'busy',
  'no-answer': 'no-answer',
  cancelled: 'normal',
};

export class OutboundCall extends SipCall implements LegSignalling {
  private invite!: SipRequest;
  private callId: string | undefined;
  private provisional = false;
  private ringing = false;
  private authTried = false;
  private settled = false;
  private cancelled?: OriginateFailure;
  private cancelSent = false;
  private timer?: ReturnType<typeof setTimeout>;
  private resolve!: (leg: EmbeddedLeg) => void;
  private reject!: (err: OriginateError) => void;
  readonly result = new Promise<EmbeddedLeg>((res, rej) => {
    this.resolve = res;
    this.reject = rej;
  });

  constructor(
    ctx: CallContext,
    media: LegMedia,
    private readonly req: OutboundRequest,
  ) {
    super(ctx, media);
  }

  get sipCallId(): string | undefined {
    return this.callId;
  }

  start(): Promise<EmbeddedLeg> {
    const local = this.ctx.local;
    this.callId = newCallId(local.host);
    const offer = buildSdp({
      address: this.media.localAddress,
      port: this.media.localPort,
      codecs: OFFER_CODECS,
      telephoneEvent: OFFER_TELEPHONE_EVENT,
      sessionId: this.sessionId,
      version: this.sdpVersion++,
    });
    const headers = [
      { name: 'via', value: viaFor(local, this.req.peer.transport) },
      { name: 'max-forwards', value: '70' },
      { name: 'from', value: `<sip:${this.req.from}@${this.req.fromDomain}>;tag=${newTag()}` },
      { name: 'to', value: `<${this.req.uri}>` },
      { name: 'call-id', value: this.callId },
      { name: 'cseq', value: '1 INVITE' },
      { name: 'contact', value: contactFor(local, this.req.peer.transport) },
      { name: 'allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, MESSAGE' },
      { name: 'user-agent', value: this.ctx.userAgent },
      ...Object.entries(this.req.headers ?? {}).map(([name, value]) => ({ name: name.toLowerCase(), value })),
      { name: 'content-type', value: 'application/sdp' },
    ];
    this.invite = { kind: 'request', method: 'INVITE', uri: this.req.uri, headers, body: Buffer.from(offer) };
    this.send();
    this.timer = setTimeout(() => this.cancel('no-answer'), this.req.timeoutSec * 1000);
    if (this.req.signal?.aborted) this.cancel('cancelled');
    else this.req.signal?.addEventListener('abort', () => this.cancel('cancelled'), { once: true });
    return this.result;
  }

  private send(): void {
    this.ctx.layer.request(this.invite, this.req.peer, {
      onResponse: (res) => this.onResponse(res),
      onTimeout: () => this.fail(this.cancelled ?? outcomeOf(408, this.provisional), 408),
    });
  }

  private onResponse(res: SipResponse): void {
    if (res.status < 200) {
      if (res.status > 100 && !this.ringing) {
        this.ringing = true;
        this.req.onRinging?.();
      }
      this.provisional = true;
      if (this.cancelled && !this.cancelSent) this.sendCancel();
      return;
    }
    if (res.status < 300) {
      this.onSuccess(res);
      return;
    }
    if (
      (res.status === 401 || res.status === 407) &&
      this.req.credentials &&
      !this.authTried &&
      !this.cancelled
    ) {
      this.authTried = true;
      if (this.retryWithAuth(res)) return;
    }
    this.fail(this.cancelled ?? outcomeOf(res.status, this.provisional), res.status);
  }

  private retryWithAuth(res: SipResponse): boolean {
    const challenge = header(res, res.status === 401 ? 'www-authenticate' : 'proxy-authenticate');
    const value = challenge
      ? answerChallenge(challenge, { ...this.req.credentials!, method: 'INVITE', uri: this.invite.uri })
      : undefined;
    if (!value) return false;
    const seq = (parseCSeq(header(this.invite, 'cseq') ?? '')?.seq ?? 1) + 1;
    const headers = this.invite.headers
      .filter((h) => h.name !== 'authorization' && h.name !== 'proxy-authorization')
      .map((h) => {
        if (h.name === 'cseq') return { ...h, value: `${seq} INVITE` };
        if (h.name === 'via') return { ...h, value: viaFor(this.ctx.local, this.req.peer.transport) };
        return h;
      });
    headers.push({ name: res.status === 401 ? 'authorization' : 'proxy-authorization', value });
    this.invite = { ...this.invite, headers };
    this.send();
    return true;
  }

  private onSuccess(res: SipResponse): void {
    const first = !this.dialog;
    if (!this.dialog) {
      this.dialog = Dialog.asClient(this.invite, res, this.ctx.local, this.req.peer.transport);
      if (this.req.symmetric) this.dialog.observed = this.req.peer;
    }
    const seq = parseCSeq(header(res, 'cseq') ?? '')?.seq;
    const peer = this.dialog.peer ?? this.req.peer;
    this.ctx.layer.send(this.dialog.request('ACK', { seq }), peer); // also for retransmitted 2xx
    if (!first) return;
    const answer = res.body.length ? parseSdp(res.body.toString('latin1')) : undefined;
    const n = answer ? negotiate(answer) : undefined;
    if (this.settled || this.cancelled || !n) {
      // Answered after we gave up (or without usable SDP): take the call down at once.
      void this.bye();
      if (!this.settled) this.fail(this.cancelled ?? 'failed', 488);
      return;
    }
    this.ctx.track(this.dialog.id, this);
    this.applyRemote(n);
    this.settled = true;
    clearTimeout(this.timer);
    this.leg.setState('answered');
    this.resolve(this.leg);
  }

  /** Gives up on the attempt; the CANCEL goes out now, or with the first provisional response (§9.1). */
  private cancel(outcome: OriginateFailure): void {
    if (this.settled || this.cancelled) return;
    this.cancelled = outcome;
    if (this.provisional) this.sendCancel();
    // Do not wait for the 487: the caller asked to stop ringing now.
    this.fail(outcome, undefined);
  }

  private sendCancel(): void {
    this.cancelSent = true;
    const via = this.invite.headers.find((h) => h.name === 'via');
    const keep = ['from', 'to', 'call-id', 'route', 'max-forwards'];
    const seq = parseCSeq(header(this.invite, 'cseq') ?? '')?.seq ?? 1;
    const cancel: SipRequest = {
      kind: 'request',
      method: 'CANCEL',
      uri: this.invite.uri,
      headers: [
        { name: 'via', value: via?.value ?? viaFor(this.ctx.local, this.req.peer.transport, newBranch()) },
        ...this.invite.headers.filter((h) => keep.includes(h.name)),
        { name: 'cseq', value: `${seq} CANCEL` },
      ],
      body: Buffer.alloc(0),
    };
    this.ctx.layer.request(cancel, this.req.peer, { onResponse: () => {}, onTimeout: () => {} });
  }

  private fail(outcome: OriginateFailure, status: number | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const cause = CAUSE[outcome] ?? 'rejected';
    void this.leg.ended(cause, this.cancelled ? 'local' : 'remote');
    this.reject(new OriginateError(outcome, status));
  }

  answer(): Promise<void> {
    return Promise.reject(new Error('an outbound leg is answered by the callee'));
  }

  end(cause: HangupCause): Promise<void> {
    if (!this.settled) {
      this.cancel('cancelled');
      return Promise.resolve();
    }
    void cause;
    return this.bye();
  }
}

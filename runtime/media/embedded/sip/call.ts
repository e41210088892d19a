// What inbound and outbound calls share once a dialog exists: BYE, re-INVITE (hold), INFO DTMF, ending.
import type { HangupCause } from '../../contract.ts';
import type { EmbeddedLeg, LegMedia } from '../leg.ts';
import { buildSdp, negotiate, parseSdp, type Negotiated } from '../sdp.ts';
import { makeResponse } from './build.ts';
import type { Dialog, LocalAddress } from './dialog.ts';
import { header, type SipRequest, type SipResponse } from './message.ts';
import type { ServerTransaction, TransactionLayer } from './transaction.ts';

/** What a call needs from the engine. */
export interface CallContext {
  layer: TransactionLayer;
  local: LocalAddress;
  userAgent: string;
  log: (msg: string, err?: unknown) => void;
  /** Makes in-dialog requests for `dialog` reach `call`, or stops doing so. */
  track(dialogId: string, call: SipCall | undefined): void;
}

export abstract class SipCall {
  dialog?: Dialog;
  leg!: EmbeddedLeg;
  negotiated?: Negotiated;
  protected readonly sessionId = Math.floor(Math.random() * 1e9);
  /** The dialog's Call-ID, once known. */
  abstract readonly sipCallId: string | undefined;
  protected sdpVersion = 0;

  constructor(
    protected readonly ctx: CallContext,
    readonly media: LegMedia,
  ) {}

  /** Our SDP for the negotiated stream (answer or re-INVITE answer). */
  protected answerSdp(): Buffer {
    const n = this.negotiated!;
    return Buffer.from(
      buildSdp({
        address: this.media.localAddress,
        port: this.media.localPort,
        codecs: [n.codec],
        telephoneEvent: n.telephoneEvent,
        direction: n.direction,
        sessionId: this.sessionId,
        version: this.sdpVersion++,
      }),
    );
  }

  protected applyRemote(n: Negotiated): void {
    this.negotiated = n;
    this.media.setRemote({ ...n.remote, codec: n.codec, telephoneEvent: n.telephoneEvent });
  }

  /** Called when the remote ends the dialog with BYE, before the leg ends. */
  protected onBye(): void {}

  /** An in-dialog request other than ACK/CANCEL; `tx` answers it. */
  onRequest(req: SipRequest, tx: ServerTransaction): void {
    const dialog = this.dialog;
    if (!dialog) {
      tx.respond(makeResponse(req, 481));
      return;
    }
    if (!dialog.acceptSeq(req)) {
      tx.respond(makeResponse(req, 500, { reason: 'CSeq Out Of Order' }));
      return;
    }
    switch (req.method) {
      case 'BYE':
        tx.respond(makeResponse(req, 200));
        this.ctx.track(dialog.id, undefined);
        this.onBye();
        void this.leg.ended(this.leg.direction === 'inbound' ? 'caller-hangup' : 'normal', 'remote');
        return;
      case 'INVITE':
        this.onReInvite(req, tx);
        return;
      case 'INFO':
        tx.respond(makeResponse(req, this.onInfo(req)));
        return;
      case 'OPTIONS':
      case 'MESSAGE':
      case 'UPDATE':
        tx.respond(makeResponse(req, 200));
        return;
      default:
        tx.respond(
          makeResponse(req, 405, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, MESSAGE' } }),
        );
    }
  }

  private onReInvite(req: SipRequest, tx: ServerTransaction): void {
    const offer = req.body.length ? parseSdp(req.body.toString('latin1')) : undefined;
    const n = offer ? negotiate(offer) : this.negotiated;
    if (!n) {
      tx.respond(makeResponse(req, 488));
      return;
    }
    this.applyRemote(n);
    this.leg.remoteHold(n.held);
    tx.respond(
      makeResponse(req, 200, {
        headers: this.contactHeaders(),
        body: this.answerSdp(),
      }),
    );
  }

  protected contactHeaders(): Record<string, string> {
    const d = this.dialog;
    const transport = d?.transport ?? 'udp';
    return {
      Contact: `<sip:ivr@${this.ctx.local.host}:${this.ctx.local.port}${transport === 'tcp' ? ';transport=tcp' : ''}>`,
      'Content-Type': 'application/sdp',
      'User-Agent': this.ctx.userAgent,
    };
  }

  /** SIP INFO DTMF: `application/dtmf-relay` (`Signal=5`) and `application/dtmf` (`5`). */
  private onInfo(req: SipRequest): number {
    const type = (header(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    const text = req.body.toString('latin1');
    let digit: string | undefined;
    if (type === 'application/dtmf-relay') digit = /^\s*signal\s*=\s*(\S)/im.exec(text)?.[1];
    else if (type === 'application/dtmf') digit = text.trim()[0];
    else if (!req.body.length)
      return 200; // keep-alive INFO
    else return 415;
    if (!digit || !/^[0-9*#A-Da-d]$/.test(digit)) return 400;
    this.media.injectDtmf(digit.toUpperCase(), 'sip-info');
    return 200;
  }

  /** Sends BYE and resolves on its final response (or the transaction timeout). */
  protected bye(): Promise<void> {
    const dialog = this.dialog;
    const peer = dialog?.peer;
    if (!dialog || !peer) return Promise.resolve();
    this.ctx.track(dialog.id, undefined);
    const req = dialog.request('BYE', { headers: { 'User-Agent': this.ctx.userAgent } });
    return new Promise((resolve) => {
      this.ctx.layer.request(req, peer, {
        onResponse: (res: SipResponse) => {
          if (res.status >= 200) resolve();
        },
        onTimeout: () => resolve(),
      });
    });
  }

  abstract end(cause: HangupCause): Promise<void>;
}

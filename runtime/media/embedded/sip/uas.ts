// An inbound call (UAS): 100/180 on arrival, 200 + SDP answer with 2xx retransmission until ACK, CANCEL, rejects.
import type { HangupCause } from '../../contract.ts';
import type { LegMedia, LegSignalling } from '../leg.ts';
import type { Negotiated } from '../sdp.ts';
import { makeResponse, newTag } from './build.ts';
import { SipCall, type CallContext } from './call.ts';
import { Dialog } from './dialog.ts';
import { header, parseNameAddr, type SipRequest } from './message.ts';
import { symmetric } from './nat.ts';
import type { ServerTransaction } from './transaction.ts';
import type { Peer } from './transport.ts';

/** The final response that refuses a ringing call, by hang-up cause. */
const REJECT: Partial<Record<HangupCause, number>> = { busy: 486, rejected: 603, shutdown: 503, error: 500 };

export class InboundCall extends SipCall implements LegSignalling {
  readonly toTag = newTag();
  private acked?: (err?: Error) => void;
  private ackTimer?: ReturnType<typeof setTimeout>;
  private finalSent = false;

  constructor(
    ctx: CallContext,
    media: LegMedia,
    readonly invite: SipRequest,
    readonly tx: ServerTransaction,
    readonly peer: Peer,
    offer: Negotiated,
  ) {
    super(ctx, media);
    this.negotiated = offer;
    this.dialog = Dialog.asServer(invite, this.toTag, ctx.local, peer.transport);
    if (symmetric(invite, peer)) this.dialog.observed = peer;
    ctx.track(this.dialog.id, this);
  }

  get sipCallId(): string | undefined {
    return header(this.invite, 'call-id');
  }

  /** Sends 180 Ringing (the engine already sent 100 Trying); the app answers or rejects later. */
  ring(): void {
    this.tx.respond(
      makeResponse(this.invite, 180, {
        toTag: this.toTag,
        headers: { Contact: this.contactHeaders().Contact },
      }),
    );
  }

  answer(): Promise<void> {
    if (this.finalSent) return Promise.reject(new Error('call already answered or ended'));
    this.finalSent = true;
    this.applyRemote(this.negotiated!);
    const ok = makeResponse(this.invite, 200, {
      toTag: this.toTag,
      headers: { ...this.contactHeaders(), Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, MESSAGE' },
      body: this.answerSdp(),
    });
    this.tx.respond(ok);
    const { t1, t2 } = this.ctx.layer.timers;
    return new Promise<void>((resolve, reject) => {
      let interval = t1;
      let waited = 0;
      this.acked = (err) => {
        clearTimeout(this.ackTimer);
        this.acked = undefined;
        if (err) reject(err);
        else resolve();
      };
      // §13.3.1.4: the UAS core retransmits the 2xx until the ACK arrives, and gives up after 64*T1 with a BYE.
      const tick = (): void => {
        if (waited >= 64 * t1) {
          this.acked?.(new Error('no ACK for 200 OK'));
          void this.leg.hangup('error');
          return;
        }
        if (this.peer.transport === 'udp') this.ctx.layer.send(ok, this.peer);
        waited += interval;
        interval = Math.min(interval * 2, t2);
        this.ackTimer = setTimeout(tick, interval);
      };
      this.ackTimer = setTimeout(tick, interval);
    });
  }

  onAck(req: SipRequest): void {
    if (this.dialog && header(req, 'cseq')) this.acked?.();
  }

  /** A BYE that overtakes the ACK (the caller gave up as we answered) confirms the 200 just as well: stop
   *  retransmitting it and let the leg end as a caller hang-up instead of waiting 64*T1 for an ACK. */
  protected override onBye(): void {
    this.acked?.();
  }

  /** CANCEL for the ringing INVITE: 487 to it; the CANCEL itself is answered by the engine. */
  onCancel(): boolean {
    if (this.finalSent) return false;
    this.finalSent = true;
    this.tx.respond(makeResponse(this.invite, 487, { toTag: this.toTag }));
    if (this.dialog) this.ctx.track(this.dialog.id, undefined);
    void this.leg.ended('caller-hangup', 'remote');
    return true;
  }

  end(cause: HangupCause): Promise<void> {
    this.acked?.(new Error(`call ended (${cause}) before the ACK`));
    if (!this.finalSent) {
      this.finalSent = true;
      this.tx.respond(makeResponse(this.invite, REJECT[cause] ?? 480, { toTag: this.toTag }));
      if (this.dialog) this.ctx.track(this.dialog.id, undefined);
      return Promise.resolve();
    }
    return this.bye();
  }
}

/** The caller as `from` shows it: the user part of the From URI, or the display name. */
export function callerOf(req: SipRequest): { from: string; to: string } {
  const from = parseNameAddr(header(req, 'from') ?? '');
  const to = parseNameAddr(header(req, 'to') ?? '');
  const user = (uri?: string): string => /^sips?:([^@;]+)@/.exec(uri ?? '')?.[1] ?? uri ?? '';
  return { from: user(from?.uri), to: user(to?.uri) };
}

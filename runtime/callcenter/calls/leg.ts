// One party of a call as the call center keeps it: role, number, status and the media leg once it exists.
import { randomBytes } from 'node:crypto';
import type { CallLeg } from '../../media/contract.ts';
import type { LegRole, LegStatus, LegView } from '../events.ts';

export interface LegInit {
  role: LegRole;
  number: string;
  extension?: string;
  direction: 'incoming' | 'outgoing';
  /** `maincall` for the customer's original leg; generated otherwise. */
  businessId?: string;
  status: LegStatus;
  media?: CallLeg;
  channel?: string;
  /** The SIP Call-ID, for a leg that never got a media leg (a refused INVITE). */
  sipCallId?: string;
}

let seq = 0;

/** A leg id in the manual's businessId shape (`<epoch ms><digits>-0@host`, section 4). */
export function businessIdFor(host: string, now = Date.now()): string {
  const n = (seq = (seq + 1) % 1_000_000);
  return `${now}${String(n).padStart(6, '0')}${randomBytes(2).readUInt16BE(0) % 10}-0@${host}`;
}

export class Leg {
  readonly legId: string;
  role: LegRole;
  readonly number: string;
  readonly extension?: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly businessId: string;
  readonly beganAt = Date.now();
  status: LegStatus;
  answered = false;
  answeredAt?: number;
  endedAt?: number;
  endCause?: string;
  channel?: string;
  private readonly sipCallId?: string;
  private mediaLeg?: CallLeg;

  constructor(init: LegInit, host: string) {
    this.role = init.role;
    this.number = init.number;
    this.extension = init.extension;
    this.direction = init.direction;
    this.businessId = init.businessId ?? businessIdFor(host);
    this.status = init.status;
    this.channel = init.channel;
    this.mediaLeg = init.media;
    this.sipCallId = init.sipCallId;
    this.legId = init.media?.id ?? `${this.businessId}#${this.role}`;
  }

  /** The media leg; undefined while an outbound leg is still being placed. */
  get media(): CallLeg | undefined {
    return this.mediaLeg;
  }

  set media(leg: CallLeg | undefined) {
    this.mediaLeg = leg;
  }

  get live(): boolean {
    return this.status !== 'ended';
  }

  view(): LegView {
    const v: LegView = {
      legId: this.legId,
      role: this.role,
      number: this.number,
      direction: this.direction,
      businessId: this.businessId,
      status: this.status,
      answered: this.answered,
      beganAt: this.beganAt,
    };
    if (this.extension !== undefined) v.extension = this.extension;
    const sip = this.mediaLeg?.sipCallId ?? this.sipCallId;
    if (sip !== undefined) v.sipCallId = sip;
    const channel = this.channel ?? this.mediaLeg?.peerAddress;
    if (channel !== undefined) v.channel = channel;
    if (this.answeredAt !== undefined) v.answeredAt = this.answeredAt;
    if (this.endedAt !== undefined) v.endedAt = this.endedAt;
    if (this.endCause !== undefined) v.endCause = this.endCause;
    return v;
  }
}

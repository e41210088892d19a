// EmbeddedLeg: the CallLeg of the embedded engine, a SIP dialog (behind LegSignalling) plus an RTP session.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type {
  CallLeg,
  DtmfEvent,
  DtmfSource,
  HangupCause,
  LegDirection,
  LegEvents,
  LegState,
  MediaSource,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../contract.ts';
import { conferenceOf } from '../conference-roster.ts';
import type { SdpCodec } from './sdp.ts';
import type { HoldParty } from './rtp/hold.ts';
import type { MixMode } from './rtp/mixer.ts';

/** One member's place in a conference mix (`rtp/mixer.ts`'s MixerPort, or the media worker's). */
export interface ConferencePort {
  mode: MixMode;
  /** For `whisper`: the one port that hears this one. */
  to: ConferencePort | undefined;
}

/**
 * What a leg needs of its RTP session: the shape of `rtp/session.ts`'s RtpSession, on the main thread or in
 * the media worker (`worker/remote-session.ts`).
 */
export interface LegMedia {
  readonly localAddress: string;
  readonly localPort: number;
  setRemote(remote: { address: string; port: number; codec: SdpCodec; telephoneEvent?: number }): void;
  play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult>;
  record(opts: RecordOptions): Promise<RecordResult>;
  sendDtmf(digits: string): Promise<void>;
  injectDtmf(digit: string, source: DtmfSource): void;
  bridge(other: LegMedia): void;
  unbridge(): void;
  hold(on: boolean, by?: HoldParty, music?: MediaSource): void;
  /** Takes part in a conference mix (undefined: leaves it); the port comes from the same side's mixer. */
  attach(port: ConferencePort | undefined): void;
  on(ev: 'dtmf', fn: (e: DtmfEvent) => void): void;
  on(ev: 'timeout', fn: () => void): void;
  close(): Promise<void>;
}

/** The SIP side of a leg, implemented by the engine's inbound and outbound calls. */
export interface LegSignalling {
  /** Sends the 200 OK with the SDP answer; resolves when the ACK arrived. */
  answer(): Promise<void>;
  /** Ends the dialog the way its state asks: final response, CANCEL or BYE. */
  end(cause: HangupCause): Promise<void>;
  /** The dialog's Call-ID (undefined before an outbound INVITE is built). */
  readonly sipCallId: string | undefined;
}

export interface LegInit {
  direction: LegDirection;
  from: string;
  to: string;
  callId: string;
  state: LegState;
  media: LegMedia;
  signalling: LegSignalling;
  authenticatedAs?: string;
  /** `ip:port` of the phone or trunk the dialog talks to. */
  peerAddress?: string;
}

export class EmbeddedLeg implements CallLeg {
  readonly id = randomUUID();
  callId: string;
  readonly from: string;
  readonly to: string;
  readonly direction: LegDirection;
  readonly authenticatedAs?: string;
  readonly peerAddress?: string;
  /** True while the peer holds the call (re-INVITE with sendonly/inactive). */
  held = false;
  /** True while the runtime holds the remote party (`hold()`). */
  heldByRuntime = false;
  private current: LegState;
  private readonly events = new EventEmitter();
  private readonly media: LegMedia;
  private readonly signalling: LegSignalling;
  private bridged?: EmbeddedLeg;
  private endedPromise?: Promise<void>;
  private resolveEnded!: () => void;
  private readonly whenEnded = new Promise<void>((resolve) => (this.resolveEnded = resolve));

  constructor(init: LegInit) {
    this.callId = init.callId;
    this.from = init.from;
    this.to = init.to;
    this.direction = init.direction;
    this.authenticatedAs = init.authenticatedAs;
    this.peerAddress = init.peerAddress;
    this.current = init.state;
    this.media = init.media;
    this.signalling = init.signalling;
    this.events.setMaxListeners(50);
    this.media.on('dtmf', (e) => this.events.emit('dtmf', e));
    this.media.on('timeout', () => void this.hangup('media-timeout'));
  }

  get state(): LegState {
    return this.current;
  }

  get sipCallId(): string | undefined {
    return this.signalling.sipCallId;
  }

  /** The RTP session, for bridging two embedded legs. */
  get rtp(): LegMedia {
    return this.media;
  }

  setState(state: LegState): void {
    if (this.current === state || this.current === 'ended') return;
    this.current = state;
    this.events.emit('state', state);
  }

  async answer(): Promise<void> {
    if (this.current === 'answered') return;
    if (this.current === 'ended') throw new Error('leg has ended');
    if (this.direction === 'outbound') throw new Error('an outbound leg is answered by the callee');
    await this.signalling.answer();
    this.setState('answered');
  }

  hangup(cause: HangupCause = 'normal'): Promise<void> {
    if (this.current === 'ended') return this.whenEnded;
    this.endedPromise ??= this.signalling
      .end(cause)
      .catch(() => undefined)
      .then(() => this.ended(cause, 'local'));
    this.finish(cause, 'local');
    return this.endedPromise;
  }

  /** Called by the engine when the dialog ended by the peer's doing (BYE, CANCEL) or by ours. */
  ended(cause: HangupCause, by: 'local' | 'remote'): Promise<void> {
    this.finish(cause, by);
    return this.whenEnded;
  }

  private finish(cause: HangupCause, by: 'local' | 'remote'): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    const other = this.bridged;
    this.bridged = undefined;
    if (other) void other.unbridge();
    this.events.emit('state', 'ended');
    this.events.emit('hangup', { cause, by });
    void this.media.close().finally(() => this.resolveEnded());
  }

  async play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult> {
    if (this.current === 'ended') return { reason: 'hungup', errors: [] };
    const result = await Promise.race([
      this.media.play(sources, opts),
      this.whenEnded.then((): PlayResult => ({ reason: 'hungup', errors: [] })),
    ]);
    return this.state === 'ended' && result.reason !== 'completed' ? { ...result, reason: 'hungup' } : result;
  }

  async record(opts: RecordOptions): Promise<RecordResult> {
    if (this.current === 'ended') return { reason: 'hungup', path: opts.path, durationMs: 0 };
    return this.media.record(opts);
  }

  async sendDtmf(digits: string): Promise<void> {
    if (this.current !== 'ended') await this.media.sendDtmf(digits);
  }

  async bridge(other: CallLeg): Promise<void> {
    if (!(other instanceof EmbeddedLeg)) throw new Error('the embedded engine bridges only its own legs');
    if (this.current === 'ended' || other.state === 'ended') throw new Error('cannot bridge an ended leg');
    await conferenceOf(this)?.leave(this);
    await conferenceOf(other)?.leave(other);
    this.media.bridge(other.media);
    this.bridged = other;
    other.bridged = this;
  }

  async unbridge(): Promise<void> {
    const other = this.bridged;
    this.bridged = undefined;
    this.media.unbridge();
    if (other && other.bridged === this) {
      other.bridged = undefined;
      other.media.unbridge();
    }
  }

  /** The phone holds the call, or takes it off hold (re-INVITE); independent of the runtime's `hold()`. */
  remoteHold(on: boolean): void {
    this.held = on;
    this.media.hold(on, 'remote');
  }

  async hold(music?: MediaSource): Promise<void> {
    if (this.current === 'ended') return;
    this.heldByRuntime = true;
    this.media.hold(true, 'runtime', music);
  }

  async unhold(): Promise<void> {
    if (!this.heldByRuntime) return;
    this.heldByRuntime = false;
    this.media.hold(false, 'runtime');
  }

  on<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    this.events.on(event, fn);
  }

  off<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    this.events.off(event, fn);
  }
}

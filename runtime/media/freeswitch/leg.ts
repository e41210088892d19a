// FreeswitchLeg: the CallLeg of the FreeSWITCH engine, a SIP dialog with the phone (through drachtio-server) and
// the FreeSWITCH endpoint (channel) that carries its media.
import { randomUUID } from 'node:crypto';
import type Mrf from 'drachtio-fsmrf';
import type Srf from 'drachtio-srf';
import type {
  CallLeg,
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
import { LegListeners } from '../leg-listeners.ts';
import { FreeswitchError, type FreeswitchLog } from './errors.ts';
import { holdMusicOf, startHold, stopHold, type HoldState } from './hold.ts';
import { playSources } from './playback.ts';
import { recordLeg } from './recording.ts';
import { infoDigit } from './sip-info.ts';
import type { SourceFiles } from './source-files.ts';

/** The media half of a leg: the FreeSWITCH channel, the phone's dialog, and the slot it takes on its server. */
export interface LegMedia {
  endpoint: Mrf.Endpoint;
  dialog: Srf.Dialog;
  release: () => void;
}

/** What the leg needs of its engine. */
export interface LegContext {
  files: SourceFiles;
  log: FreeswitchLog;
  /** Music for `hold()` without music of its own. */
  holdMusic: string;
}

export interface LegInit {
  direction: LegDirection;
  from: string;
  to: string;
  callId: string;
  sipCallId?: string;
  peerAddress?: string;
  /** The extension whose credentials admitted this inbound call. */
  authenticatedAs?: string;
  /** Inbound: connects the caller to a media server and sends the 200 OK. */
  connect?: () => Promise<LegMedia>;
  /** Inbound, before the answer: the final error to send (the INVITE's response). */
  reject?: (status: number) => void;
  /** Outbound legs start answered with their media. */
  media?: LegMedia;
}

const SOURCES: Record<string, DtmfSource> = { RTP: 'rfc4733', INBAND_AUDIO: 'inband', ENDPOINT: 'sip-info' };
const REJECT: Partial<Record<HangupCause, number>> = { busy: 486, rejected: 603, shutdown: 503, error: 500 };

export class FreeswitchLeg implements CallLeg {
  readonly id = randomUUID();
  callId: string;
  readonly from: string;
  readonly to: string;
  readonly direction: LegDirection;
  readonly peerAddress?: string;
  readonly authenticatedAs?: string;
  sipCallId?: string;
  /** The leg this one is bridged to (media through FreeSWITCH's uuid_bridge). */
  bridged?: FreeswitchLeg;
  /** Set while the runtime holds the party. */
  hold_?: HoldState;
  /** Prompts being played on the channel right now (hold music started meanwhile nests in them). */
  prompts = 0;
  private current: LegState;
  private media?: LegMedia;
  private readonly listeners = new LegListeners();
  private endedAt?: Promise<void>;
  private resolveEnded!: () => void;
  readonly whenEnded = new Promise<void>((resolve) => (this.resolveEnded = resolve));

  constructor(
    private readonly init: LegInit,
    readonly ctx: LegContext,
  ) {
    this.callId = init.callId;
    this.from = init.from;
    this.to = init.to;
    this.direction = init.direction;
    this.peerAddress = init.peerAddress;
    this.sipCallId = init.sipCallId;
    this.authenticatedAs = init.authenticatedAs;
    this.current = init.media ? 'answered' : 'ringing';
    if (init.media) this.attach(init.media);
  }

  get state(): LegState {
    return this.current;
  }

  /** The FreeSWITCH channel (throws before the answer: there is none yet). */
  get endpoint(): Mrf.Endpoint {
    if (!this.media) throw new Error(`leg ${this.id} has no media yet`);
    return this.media.endpoint;
  }

  get uuid(): string {
    return this.endpoint.uuid;
  }

  get prompting(): boolean {
    return this.prompts > 0;
  }

  get hasMedia(): boolean {
    return this.media !== undefined && this.current !== 'ended';
  }

  /** A FreeSWITCH API command on the leg's media server; rejects when it answers `-ERR`. */
  async api(command: string): Promise<string> {
    const body = await this.endpoint.mediaserver.api(command);
    if (body.startsWith('-ERR')) throw new Error(`${command.split(' ')[0]}: ${body.trim()}`);
    return body;
  }

  async answer(): Promise<void> {
    if (this.current === 'answered') return;
    if (this.current === 'ended') throw new Error('leg has ended');
    if (!this.init.connect) throw new Error('an outbound leg is answered by the callee');
    const media = await this.init.connect();
    if ((this.current as LegState) === 'ended') {
      // The caller gave up while the media server was answering.
      await this.close(media, 'caller-hangup');
      throw new Error('leg has ended');
    }
    this.attach(media);
    this.setState('answered');
  }

  /** Wires the channel's digits and both dialogs' ends to this leg. */
  private attach(media: LegMedia): void {
    this.media = media;
    const { endpoint, dialog } = media;
    endpoint.on('dtmf', (e) => this.digit(e.dtmf, SOURCES[e.source ?? ''] ?? 'rfc4733'));
    dialog.on('info', (req: Srf.SrfRequest, res: Srf.SrfResponse) => {
      const { status, digit } = infoDigit(req.get('Content-Type'), req.body ?? '');
      res.send(status);
      if (digit) this.digit(digit, 'sip-info');
    });
    dialog.on(
      'destroy',
      () => void this.ended(this.direction === 'inbound' ? 'caller-hangup' : 'normal', 'remote'),
    );
    endpoint.on('destroy', () => {
      if (this.current === 'ended') return;
      this.ctx.log.warn({ callId: this.callId, uuid: endpoint.uuid }, 'the media server ended the channel');
      void this.hangup('error');
    });
    // Digits reach us as events: FreeSWITCH must not end a prompt on `*` by itself (its default terminator). A
    // channel whose bridge ends (the other side hung up, or unbridge) stays, parked, for the runtime's next step.
    void this.api(
      `uuid_setvar_multi ${endpoint.uuid} playback_terminators=none;park_after_bridge=true`,
    ).catch(() => undefined);
    // A caller that offered no telephone-event sends its keys as tones: FreeSWITCH listens for them.
    if (!/telephone-event/i.test(dialog.remote?.sdp ?? ''))
      void endpoint.execute('start_dtmf').catch(() => undefined);
  }

  private digit(digit: string, source: DtmfSource): void {
    if (this.current === 'ended') return;
    this.listeners.emit('dtmf', { digit, source, at: Date.now() });
  }

  private setState(state: LegState): void {
    if (this.current === state || this.current === 'ended') return;
    this.current = state;
    this.listeners.emit('state', state);
  }

  hangup(cause: HangupCause = 'normal'): Promise<void> {
    if (this.current === 'ended') return this.endedAt ?? this.whenEnded;
    if (!this.media) this.init.reject?.(REJECT[cause] ?? 480);
    const media = this.media;
    this.finish(cause, 'local');
    this.endedAt = (media ? this.close(media, cause) : Promise.resolve()).finally(() => this.resolveEnded());
    return this.endedAt;
  }

  /** Called when the far end ended the leg (BYE, CANCEL). */
  ended(cause: HangupCause, by: 'local' | 'remote'): Promise<void> {
    if (this.current === 'ended') return this.whenEnded;
    const media = this.media;
    this.finish(cause, by);
    this.endedAt = (media ? this.close(media, cause, by === 'remote') : Promise.resolve()).finally(() =>
      this.resolveEnded(),
    );
    return this.endedAt;
  }

  private async close(media: LegMedia, cause: HangupCause, byeReceived = false): Promise<void> {
    media.release();
    const { endpoint, dialog } = media;
    const bye = byeReceived
      ? Promise.resolve()
      : new Promise<void>((r) => dialog.destroy(undefined, () => r()));
    await Promise.all([bye, endpoint.destroy().catch(() => undefined)]);
    this.ctx.log.debug({ callId: this.callId, cause }, 'leg closed');
  }

  private finish(cause: HangupCause, by: 'local' | 'remote'): void {
    this.current = 'ended';
    const other = this.bridged;
    this.bridged = undefined;
    if (other?.bridged === this) other.bridged = undefined;
    this.listeners.emit('state', 'ended');
    this.listeners.emit('hangup', { cause, by });
  }

  play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult> {
    return playSources(this, sources, opts);
  }

  record(opts: RecordOptions): Promise<RecordResult> {
    return recordLeg(this, opts);
  }

  async sendDtmf(digits: string): Promise<void> {
    if (this.hasMedia) await this.api(`uuid_send_dtmf ${this.uuid} ${digits}`);
  }

  async bridge(other: CallLeg): Promise<void> {
    if (!(other instanceof FreeswitchLeg)) throw new Error('the FreeSWITCH engine bridges only its own legs');
    if (!this.hasMedia || !other.hasMedia) throw new Error('cannot bridge an ended or unanswered leg');
    if (this.endpoint.mediaserver !== other.endpoint.mediaserver) {
      throw new FreeswitchError('E_OTHER_MEDIA_SERVER', 'the two legs are on different media servers');
    }
    await conferenceOf(this)?.leave(this);
    await conferenceOf(other)?.leave(other);
    if (this.bridged && this.bridged !== other) await this.unbridge();
    if (other.bridged && other.bridged !== this) await other.unbridge();
    this.bridged = other;
    other.bridged = this;
    // A held party stays apart until it is taken off hold (unhold bridges again).
    if (!this.hold_ && !other.hold_) await this.api(`uuid_bridge ${this.uuid} ${other.uuid}`);
  }

  async unbridge(): Promise<void> {
    const other = this.bridged;
    if (!other) return;
    this.bridged = undefined;
    if (other.bridged === this) other.bridged = undefined;
    if (this.hasMedia && !this.hold_ && !other.hold_) await this.park(true);
  }

  /** Takes the channel (and its bridged partner with `both`) out of whatever it runs: it idles, silent. */
  async park(both = false): Promise<void> {
    await this.api(`uuid_transfer ${this.uuid}${both ? ' -both' : ''} park inline`).catch((err: unknown) =>
      this.ctx.log.debug({ err, callId: this.callId }, 'park failed'),
    );
  }

  async hold(music?: MediaSource): Promise<void> {
    if (!this.hasMedia) return;
    await startHold(this, await holdMusicOf(this, music));
  }

  async unhold(): Promise<void> {
    if (!this.hold_ || !this.hasMedia) return;
    await stopHold(this);
  }

  on<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    this.listeners.on(event, fn);
  }

  off<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    this.listeners.off(event, fn);
  }
}

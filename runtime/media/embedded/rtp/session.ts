// One RTP media stream (G.711 + RFC 4733) on one UDP port, driven by the shared MediaClock.
import type { Socket, RemoteInfo } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { resolve as resolvePath } from 'node:path';
import type {
  DtmfEvent,
  DtmfSource,
  MediaSource,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../contract.ts';
import { decode, transcode, type G711Law } from '../../audio/g711.ts';
import { DtmfDetector } from '../../audio/goertzel.ts';
import { beep, concat, dtmfTone, silence } from '../../audio/tone.ts';
import type { TtsEngine } from '../../audio/tts.ts';
import { sharedMediaClock, type ClockParticipant, type MediaClock } from './clock.ts';
import { TelephoneEventReceiver, TelephoneEventSender, eventCode } from './dtmf4733.ts';
import { HoldMusic, type HoldParty } from './hold.ts';
import type { MixerPort } from './mixer.ts';
import { parseRtp } from './packet.ts';
import { RtpSender } from './sender.ts';
import { loadSource, OneShot, Playback } from './playback.ts';
import { Recording, type SentFrame } from './recording.ts';
import { bindEvenPort } from './socket.ts';
import { ReceiveStats, type RtpStats } from './stats.ts';

export type { RtpStats } from './stats.ts';

export interface Codec {
  name: 'PCMU' | 'PCMA';
  payloadType: number;
}

export const PCMU: Codec = { name: 'PCMU', payloadType: 0 };
export const PCMA: Codec = { name: 'PCMA', payloadType: 8 };

export interface RtpRemote {
  address: string;
  port: number;
  codec: Codec;
  /** Payload type of telephone-event, when the remote negotiated it. Without it, DTMF goes in-band both ways. */
  telephoneEvent?: number;
}

export interface RtpSessionOptions {
  host?: string;
  ports?: { min: number; max: number };
  clock?: MediaClock;
  tts?: TtsEngine;
  /** No RTP received for this long -> one 'timeout' event (re-armed when packets come back); 0 = off. */
  mediaTimeoutMs?: number;
  /** Music on hold (default `sounds/system/moh.wav` from the working directory; a generated tune if missing). */
  holdMusic?: string;
}

type Events = { dtmf: (e: DtmfEvent) => void; timeout: () => void };

/** SDP direction of this stream from our side (RFC 3264): what we may send and what we expect to receive. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const codecLaw = (c: Codec): G711Law => (c.name === 'PCMA' ? 'alaw' : 'ulaw');
const staticLaw = (pt: number): G711Law | undefined => (pt === 0 ? 'ulaw' : pt === 8 ? 'alaw' : undefined);
const BRIDGE_QUEUE_MAX = 6;
/** The same key from two different sources within this time is one press. */
const CROSS_SOURCE_DEDUP_MS = 300;

export class RtpSession implements ClockParticipant {
  readonly localAddress: string;
  readonly localPort: number;
  private remote: RtpRemote | undefined;
  private closed = false;
  private readonly out: RtpSender;
  private readonly eventPayload = Buffer.alloc(4);
  private playback: Playback | undefined;
  private oneShot: OneShot | undefined;
  private recording: Recording | undefined;
  private readonly music: HoldMusic;
  private peer: RtpSession | undefined;
  private port: MixerPort | undefined;
  /** What went out this tick, for a recording of both directions. */
  private sent: SentFrame;
  private readonly bridgeQueue: { payload: Uint8Array; law: G711Law }[] = [];
  private readonly dtmfOut = new TelephoneEventSender();
  private readonly dtmfIn = new TelephoneEventReceiver();
  private readonly inband = new DtmfDetector((d) => this.deliverDigit(d, 'inband'));
  private readonly scratch = new Int16Array(480);
  private readonly listeners: { [E in keyof Events]: Set<Events[E]> } = {
    dtmf: new Set(),
    timeout: new Set(),
  };
  private lastRxAt = performance.now();
  private timedOut = false;
  private direction: MediaDirection = 'sendrecv';
  private mediaTimeoutMs: number;
  private lastDigit: { digit: string; source: DtmfSource; at: number } | undefined;
  private readonly counters = new ReceiveStats();

  private constructor(
    private readonly socket: Socket,
    port: number,
    host: string,
    private readonly release: () => void,
    readonly clock: MediaClock,
    private readonly opts: RtpSessionOptions,
  ) {
    this.localAddress = host;
    this.localPort = port;
    this.out = new RtpSender(socket);
    this.mediaTimeoutMs = opts.mediaTimeoutMs ?? 0;
    const defaultMusic = {
      kind: 'file' as const,
      path: opts.holdMusic ?? resolvePath('sounds/system/moh.wav'),
    };
    this.music = new HoldMusic(defaultMusic, (s) => loadSource(s, opts.tts));
    socket.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    socket.on('error', () => undefined);
    clock.register(this);
  }

  static async open(opts: RtpSessionOptions = {}): Promise<RtpSession> {
    const host = opts.host ?? '127.0.0.1';
    const { socket, port, release } = await bindEvenPort(host, opts.ports ?? { min: 20000, max: 29999 });
    return new RtpSession(socket, port, host, release, opts.clock ?? sharedMediaClock(), opts);
  }

  /** Where to send and in which codec. Calling it again (re-INVITE) re-arms latching on the next packet. */
  setRemote(remote: RtpRemote): void {
    this.remote = { ...remote, codec: { ...remote.codec } };
    this.out.announce({ address: remote.address, port: remote.port });
    this.lastRxAt = performance.now();
  }

  /**
   * From the SDP answer/offer: 'recvonly'/'inactive' stop sending (media time still runs, prompts keep playing
   * silently); 'sendonly'/'inactive' mean the remote sends nothing, so the media timeout is suspended.
   */
  setDirection(direction: MediaDirection): void {
    this.direction = direction;
    this.out.enabled = direction === 'sendrecv' || direction === 'sendonly';
    this.lastRxAt = performance.now();
    this.timedOut = false;
  }

  /** Changes the no-RTP timeout (0 = off) and restarts its count. */
  setMediaTimeout(ms: number): void {
    this.mediaTimeoutMs = ms;
    this.lastRxAt = performance.now();
    this.timedOut = false;
  }

  get codec(): Codec | undefined {
    return this.remote?.codec;
  }

  /** Plays sources in order; a newer play() aborts this one. Resolves when it ends, never rejects. */
  play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult> {
    this.playback?.finish('aborted');
    const p = new Playback(sources, opts, (s) => loadSource(s, this.opts.tts));
    if (this.closed) p.finish('hungup');
    else this.playback = p;
    return p.result;
  }

  /**
   * Records received audio to a µ-law 8 kHz WAV; a newer record() aborts this one. Gaps in the received stream
   * are not filled, so `durationMs` is the audio actually received.
   */
  async record(opts: RecordOptions): Promise<RecordResult> {
    this.recording?.finish('aborted');
    const rec = new Recording(opts, this.clock.periodMs);
    this.recording = rec;
    if (this.closed) rec.finish('hungup');
    if (opts.beep && !rec.finished) await this.playInternal(beep());
    rec.start();
    return rec.result;
  }

  /**
   * Sends digits as RFC 4733 events, or as in-band tones when the remote has no telephone-event. Resolves once
   * sent (or at close); rejects when `digits` holds anything but 0-9 * # A-D.
   */
  async sendDtmf(digits: string): Promise<void> {
    for (const d of digits) eventCode(d);
    if (this.closed) return;
    if (this.remote?.telephoneEvent !== undefined) return this.dtmfOut.enqueue(digits);
    const parts: Int16Array[] = [];
    for (const d of digits) parts.push(dtmfTone(d, 100), silence(60));
    return this.playInternal(concat(parts));
  }

  /**
   * A digit from elsewhere (SIP INFO): same barge-in, terminator and bridge handling as RTP digits. The same key
   * from another source within 300 ms (a phone sending both INFO and RFC 4733) is reported once.
   */
  injectDtmf(digit: string, source: DtmfSource): void {
    eventCode(digit);
    this.deliverDigit(digit.toUpperCase(), source);
  }

  /**
   * Connects the media of both sessions, in both directions (one call is enough; the other side is linked too).
   * Audio is forwarded frame by frame, transcoded when the codecs differ; digits are re-sent as RFC 4733.
   */
  bridge(other: RtpSession): void {
    if (other === this) throw new Error('cannot bridge a session to itself');
    if (this.peer === other) return;
    this.unbridge();
    other.unbridge();
    this.peer = other;
    other.peer = this;
  }

  unbridge(): void {
    const peer = this.peer;
    this.peer = undefined;
    this.bridgeQueue.length = 0;
    if (peer && peer.peer === this) peer.unbridge();
  }

  /**
   * On hold, the remote hears music on hold instead of prompts, the bridge or the conference (a running play
   * pauses and resumes afterwards); digits and the record beep still go out. `by`: the phone asked for it
   * (re-INVITE) or the runtime did (then `music` may replace the default, and what the remote says, audio and
   * digits, is forwarded to no one). The two holds are independent.
   */
  hold(on: boolean, by: HoldParty = 'remote', music?: MediaSource): void {
    this.music.set(by, on, music);
    if (on && by === 'runtime') this.port?.input.clear();
  }

  get onHold(): boolean {
    return this.music.active;
  }

  /**
   * Takes part in a conference through `port` (undefined: leaves it): what the remote says goes into the mix,
   * and the mix is what it hears where a bridge would be. The mixer must run on this session's clock.
   */
  attach(port: MixerPort | undefined): void {
    if (port && port.mixer.clock !== this.clock) throw new Error('the mixer runs on another media clock');
    this.port?.input.clear();
    this.port = port;
  }

  on<E extends keyof Events>(ev: E, fn: Events[E]): void {
    (this.listeners[ev] as Set<Events[E]>).add(fn);
  }

  off<E extends keyof Events>(ev: E, fn: Events[E]): void {
    (this.listeners[ev] as Set<Events[E]>).delete(fn);
  }

  stats(): RtpStats {
    return this.counters.with(this.out);
  }

  /** Stops everything: a running play ends 'hungup', a recording is saved as 'hungup', the port is freed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.out.close();
    this.clock.unregister(this);
    this.unbridge();
    this.port = undefined;
    this.playback?.finish('hungup');
    this.oneShot?.cancel();
    this.dtmfOut.clear();
    const rec = this.recording;
    rec?.finish('hungup');
    this.listeners.dtmf.clear();
    this.listeners.timeout.clear();
    await new Promise<void>((r) => this.socket.close(() => r()));
    this.release();
    await rec?.result.catch(() => undefined);
  }

  /** The clock calls this every 20 ms: at most one packet goes out. */
  tick(): void {
    this.checkTimeout();
    // Without a remote (or while not sending) media time still runs: frames are consumed, nothing is sent.
    this.sent = undefined;
    this.sendNext(this.remote ? codecLaw(this.remote.codec) : 'ulaw');
    this.recording?.tick(this.sent);
    this.out.advance();
  }

  private sendNext(law: G711Law): void {
    const ev = this.dtmfOut.next(this.out.timestamp, this.eventPayload);
    if (ev)
      return this.out.event(this.remote?.telephoneEvent ?? 101, ev.marker, ev.timestamp, this.eventPayload);
    if (ev === null) return this.out.silent();
    if (this.oneShot) {
      const frame = this.oneShot.next(law);
      if (frame) return this.sendAudio(frame, law);
      this.oneShot = undefined;
    }
    // Music on hold replaces prompts, the conference and bridged audio (they resume after), not digits or the
    // record beep.
    if (this.music.active) {
      this.bridgeQueue.length = 0;
      return this.sendAudio(this.music.next(law), law);
    }
    if (this.playback) {
      const frame = this.playback.next(law);
      if (this.playback.finished) this.playback = undefined;
      return this.sendAudio(frame, law);
    }
    if (this.port) return this.sendAudio(this.port.frame(law), law);
    const bridged = this.bridgeQueue.shift();
    if (bridged) {
      const { payload, law: from } = bridged;
      return this.sendAudio(
        from === law ? payload : transcode(from, law, payload, Buffer.allocUnsafe(payload.length)),
        law,
      );
    }
    this.out.silent();
  }

  private sendAudio(payload: Uint8Array | undefined, law: G711Law): void {
    this.out.audio(this.remote?.codec.payloadType ?? 0, payload);
    if (payload) this.sent = { payload, law };
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    const remote = this.remote;
    const packet = remote ? parseRtp(msg) : undefined;
    if (!remote || !packet || this.closed) return void this.counters.packetsDropped++;
    if (!this.out.latched) {
      // Symmetric RTP (RFC 4961): answer where the media really comes from (NAT, or a port other than announced).
      this.out.latch({ address: rinfo.address, port: rinfo.port });
    } else if (rinfo.port !== this.out.to?.port || rinfo.address !== this.out.to.address) {
      return void this.counters.packetsDropped++;
    }
    this.counters.received(msg.length, packet.sequence);
    this.lastRxAt = performance.now();
    this.timedOut = false;
    if (remote.telephoneEvent !== undefined && packet.payloadType === remote.telephoneEvent) {
      const digit = this.dtmfIn.receive(packet, this.clock.timeMs);
      if (digit) this.deliverDigit(digit, 'rfc4733');
      return;
    }
    const law =
      packet.payloadType === remote.codec.payloadType
        ? codecLaw(remote.codec)
        : staticLaw(packet.payloadType);
    if (law) this.receiveAudio(packet.payload, law, remote);
  }

  private receiveAudio(payload: Uint8Array, law: G711Law, remote: RtpRemote): void {
    this.recording?.audio(payload, law);
    const peer = this.peer;
    // Held by the runtime: what the remote says stays here.
    const forward = !this.music.has('runtime');
    if (peer && forward) {
      peer.bridgeQueue.push({ payload, law });
      if (peer.bridgeQueue.length > BRIDGE_QUEUE_MAX) peer.bridgeQueue.shift();
    }
    if (this.port && forward) this.port.input.push(payload, law);
    // In-band detection only when the remote has no telephone-event: otherwise its digits come as RFC 4733 and
    // the audio may still carry the tones, which would report every digit twice.
    if (remote.telephoneEvent === undefined && payload.length <= this.scratch.length) {
      this.inband.frame(decode(law, payload, this.scratch.subarray(0, payload.length)));
    }
  }

  private deliverDigit(digit: string, source: DtmfSource): void {
    if (this.closed) return;
    // Some phones send one key press both as SIP INFO and as RFC 4733: the second report is the same press.
    const now = performance.now();
    const last = this.lastDigit;
    this.lastDigit = { digit, source, at: now };
    if (last && last.digit === digit && last.source !== source && now - last.at < CROSS_SOURCE_DEDUP_MS)
      return;
    this.counters.dtmfReceived++;
    if (this.playback?.bargein) {
      this.playback.finish('interrupted', digit);
      this.playback = undefined;
    }
    if (this.recording && !this.recording.finished && this.recording.terminators.includes(digit)) {
      this.recording.finish('terminator');
    }
    if (!this.music.has('runtime')) this.peer?.sendDtmf(digit).catch(() => undefined);
    const ev: DtmfEvent = { digit, source, at: Date.now() };
    for (const fn of this.listeners.dtmf) fn(ev);
  }

  private checkTimeout(): void {
    const limit = this.mediaTimeoutMs;
    // A phone that holds the call may send nothing; one the runtime holds still talks.
    if (limit <= 0 || this.timedOut || !this.remote || this.music.has('remote')) return;
    if (this.direction === 'sendonly' || this.direction === 'inactive') return;
    if (performance.now() - this.lastRxAt < limit) return;
    this.timedOut = true;
    for (const fn of this.listeners.timeout) fn();
  }

  private playInternal(pcm: Int16Array): Promise<void> {
    this.oneShot?.cancel();
    const shot = new OneShot(pcm);
    this.oneShot = shot;
    return shot.done;
  }
}

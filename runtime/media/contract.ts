// The media contract: what the rest of the runtime may ask of a telephony engine. Engines (embedded SIP/RTP,
// FreeSWITCH, the simulator and the browser channel) implement it; nothing here knows about VXML.

export type LegDirection = 'inbound' | 'outbound';
export type LegState = 'ringing' | 'early' | 'answered' | 'ended';

/** Why a leg ended. */
export type HangupCause =
  | 'normal'
  | 'caller-hangup'
  | 'busy'
  | 'no-answer'
  | 'rejected'
  | 'transferred'
  | 'shutdown'
  | 'media-timeout'
  | 'error';

/** Something a leg can play: an audio file (absolute path, already resolved) or text to synthesise. */
export type MediaSource = { kind: 'file'; path: string } | { kind: 'tts'; text: string; voice?: string };

export interface PlayOptions {
  /** Stop as soon as a DTMF digit arrives (the digit is still delivered as a `dtmf` event). */
  bargein: boolean;
  /** Aborting stops the playback (reason `aborted`). */
  signal?: AbortSignal;
}

export interface PlayResult {
  /** `completed`: every source played; `interrupted`: barge-in by `digit`; `aborted`: signal; `hungup`: leg ended. */
  reason: 'completed' | 'interrupted' | 'aborted' | 'hungup';
  digit?: string;
  /** Sources that could not be played (missing file, bad format, TTS failure); playback went on with the next. */
  errors: { source: MediaSource; message: string }[];
}

export interface RecordOptions {
  /** Absolute path of the WAV file to write (µ-law 8 kHz mono). */
  path: string;
  maxSeconds: number;
  /**
   * `in` (default): what the remote says (a voicemail). `both`: what the remote says mixed with what it hears
   * (prompts, the bridged party, the conference, music on hold): a call recording.
   */
  mix?: 'in' | 'both';
  /** Digits that stop the recording (default `#` for `mix: 'in'`, none for `mix: 'both'`). */
  terminators?: string;
  beep?: boolean;
  signal?: AbortSignal;
}

export interface RecordResult {
  reason: 'terminator' | 'max-time' | 'silence' | 'aborted' | 'hungup';
  path: string;
  durationMs: number;
}

export type DtmfSource = 'rfc4733' | 'sip-info' | 'inband' | 'simulated';

export interface DtmfEvent {
  digit: string;
  source: DtmfSource;
  /** Engine time (ms since epoch or the virtual clock) when the digit ended. */
  at: number;
}

export interface LegEvents {
  dtmf: (ev: DtmfEvent) => void;
  state: (state: LegState) => void;
  hangup: (ev: { cause: HangupCause; by: 'local' | 'remote' }) => void;
}

/** One call leg: a caller, an agent's phone, an outbound callee. */
export interface CallLeg {
  /** Unique id of this leg. */
  readonly id: string;
  /** The call id shared by every leg of one call (`<uuid>@<host>`), set by whoever owns the call. */
  callId: string;
  readonly from: string;
  readonly to: string;
  readonly direction: LegDirection;
  readonly state: LegState;
  /** Where the leg's signalling goes (`ip:port`: the phone, the trunk); undefined for legs without SIP. */
  readonly peerAddress?: string;
  /** The SIP Call-ID of the leg's dialog; undefined for legs without SIP (simulator, browser). */
  readonly sipCallId?: string;
  /** The extension whose digest credentials admitted this inbound call (see `Admission`); undefined otherwise. */
  readonly authenticatedAs?: string;
  answer(): Promise<void>;
  /** Idempotent; resolves once the leg has ended. */
  hangup(cause?: HangupCause): Promise<void>;
  play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult>;
  record(opts: RecordOptions): Promise<RecordResult>;
  sendDtmf(digits: string): Promise<void>;
  /**
   * Connects this leg's media to another's until either ends or `unbridge` is called. A leg in a conference
   * leaves it first.
   */
  bridge(other: CallLeg): Promise<void>;
  unbridge(): Promise<void>;
  /**
   * The runtime holds the remote party (not the SIP hold a phone asks for): it hears `music` (default: the
   * engine's music on hold) instead of prompts, the bridged party or the conference, and what it says (audio and
   * digits) reaches no one else; its own `dtmf` events still fire. A running prompt pauses. Holding a held leg
   * changes the music. Resolves at once on an ended leg. (A browser test-call leg, which is never bridged or
   * conferenced, ignores it; a simulated leg logs it and pauses its prompt.)
   */
  hold(music?: MediaSource): Promise<void>;
  /** Ends the runtime hold: what was there before (prompt, bridge, conference) is heard again. Idempotent. */
  unhold(): Promise<void>;
  on<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void;
  off<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void;
}

/** Where an outbound call goes. */
export type Target =
  { kind: 'extension'; number: string } | { kind: 'trunk'; number: string } | { kind: 'uri'; uri: string };

export interface OriginateOptions {
  from: string;
  callId?: string;
  /** Seconds to ring before giving up (`no-answer`). */
  timeoutSec?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Called once when the far end says it is ringing (SIP 180/183), before the answer. */
  onRinging?: () => void;
}

/** How an outbound attempt ended when it did not answer (see decisions: SIP code mapping). */
export type OriginateFailure = 'busy' | 'not-found' | 'unavailable' | 'no-answer' | 'failed' | 'cancelled';

export class OriginateError extends Error {
  constructor(
    readonly outcome: OriginateFailure,
    readonly sipStatus?: number,
    message?: string,
  ) {
    super(message ?? `originate failed: ${outcome}${sipStatus ? ` (${sipStatus})` : ''}`);
    this.name = 'OriginateError';
  }
}

export interface Registration {
  user: string;
  contact: string;
  /** Ms since epoch when the registration lapses. */
  expires: number;
  transport: 'udp' | 'tcp' | 'ws';
  userAgent?: string;
}

/** What the runtime decides about a new INVITE before the phone hears ringing. */
export interface IncomingRequest {
  from: string;
  to: string;
  source: { address: string; port: number };
  /** The extension that proved who it is with digest credentials (set on the second look, after a challenge). */
  authenticatedAs?: string;
}

export type Admission =
  /** Ring and emit `incoming`. */
  | { action: 'accept' }
  /** Digest-authenticate the caller as an extension (407), then ask again with `authenticatedAs`. */
  | { action: 'challenge' }
  /** Answer `status` at once (no ringing); `reason` goes into the Reason header and the call log. */
  | { action: 'reject'; status: 403 | 404 | 480 | 486 | 503 | 604; reason: string };

/** An INVITE the engine answered with a final error before any leg existed (one call-log row each). */
export interface RefusedCall {
  from: string;
  to: string;
  sipCallId: string;
  source: { address: string; port: number };
  status: number;
  reason: string;
}

/**
 * How a member takes part in a conference. `speak`: hears every other speaker (mixed) and is heard by every
 * member. `listen`: hears every speaker, is heard by no one (a supervisor monitoring). `whisper`: hears every
 * speaker, is heard only by `to` (a supervisor coaching the agent).
 */
export type ConferenceMode = 'speak' | 'listen' | 'whisper';

export interface ConferenceJoin {
  mode: ConferenceMode;
  /** For `whisper`: the member who hears the whisperer (a member already, not the whisperer). */
  to?: CallLeg;
}

export interface ConferenceMember {
  leg: CallLeg;
  mode: ConferenceMode;
  to?: CallLeg;
}

/** Why a conference refused a request (an `Error` whose `code` callers branch on). */
export type ConferenceErrorCode =
  /** The leg has ended (or ends while joining). */
  | 'E_LEG_ENDED'
  /** The leg belongs to another engine (or is not a telephony leg). */
  | 'E_FOREIGN_LEG'
  /** `setMode` or `leave` for a leg that is not a member. */
  | 'E_NOT_MEMBER'
  /** `whisper` without `to`, to itself, or to a leg that is not a member. */
  | 'E_WHISPER_TARGET'
  /** The conference was destroyed. */
  | 'E_DESTROYED';

export class ConferenceError extends Error {
  constructor(
    readonly code: ConferenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConferenceError';
  }
}

/**
 * N legs mixed together. A leg is in at most one conference and is unbridged when it joins; joining another
 * conference leaves this one. Digits are not forwarded between members (each leg's `dtmf` events still fire). A
 * member that hangs up leaves; a member that is held hears music and is heard by no one until unheld.
 */
export interface Conference {
  readonly id: string;
  /** Joins `leg` (or changes its mode when it is a member already). */
  join(leg: CallLeg, opts: ConferenceJoin): Promise<void>;
  setMode(leg: CallLeg, opts: ConferenceJoin): Promise<void>;
  /** Takes `leg` out (it hears nothing more from the conference); no-op for a leg that is not a member. */
  leave(leg: CallLeg): Promise<void>;
  members(): ConferenceMember[];
  /** Every member leaves (none is hung up); the conference takes no more members. */
  destroy(): Promise<void>;
}

export interface EngineEvents {
  incoming: (leg: CallLeg) => void;
  registration: (ev: { user: string; registered: boolean }) => void;
  refused: (ev: RefusedCall) => void;
}

export interface MediaEngine {
  readonly name: string;
  /** The port phones send SIP to, once started (for banners and tests); undefined if the engine has none. */
  readonly sipPort?: number;
  start(): Promise<void>;
  /** Hangs up every leg, stops taking calls and releases sockets and timers. */
  stop(): Promise<void>;
  /**
   * Graceful shutdown: from now on new calls are refused (SIP: 503 with Retry-After); resolves once the last leg
   * of the engine has ended. Never rejects; the caller races it with its own deadline, then calls `stop()`.
   */
  drain(): Promise<void>;
  on<E extends keyof EngineEvents>(event: E, fn: EngineEvents[E]): void;
  off<E extends keyof EngineEvents>(event: E, fn: EngineEvents[E]): void;
  /** Places a call; resolves when answered, rejects with OriginateError otherwise. */
  originate(to: Target, opts: OriginateOptions): Promise<CallLeg>;
  registrations(): Registration[];
  /** Decides on each new INVITE before it rings; the default accepts everything. */
  setAdmission(fn: (req: IncomingRequest) => Admission): void;
  /** A new, empty conference (`id`: the caller's own name for it, default a UUID). */
  conference(opts?: { id?: string }): Conference;
  /**
   * The SIP accounts phones register and authenticate with (extensions), replacing the previous list; bindings of
   * accounts no longer listed are dropped. Applies at once.
   */
  setAccounts(accounts: readonly SipAccount[]): void;
}

/** An extension's SIP credentials. */
export interface SipAccount {
  number: string;
  password: string;
}

/** A time source the interpreter and engines wait on, so that tests and `ivr simulate` can run on virtual time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

export type ClockTimer = { readonly __clockTimer: true } | ReturnType<typeof setTimeout>;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
};

// A simulated call leg on a Clock: plays files for their real WAV length and TTS for an estimate, takes keys
// and hang-ups from the test or the scripted caller, writes silent recordings, logs holds.
import type {
  CallLeg,
  Clock,
  ClockTimer,
  DtmfEvent,
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
import { wavDurationMs, writeSilentWav } from './wav.ts';

/** Estimated speaking time of TTS text per character (Chinese reads at ~4–7 characters a second). */
export const TTS_MS_PER_CHAR = 150;

export interface SimLegOptions {
  clock: Clock;
  id?: string;
  callId?: string;
  from?: string;
  to?: string;
  direction?: LegDirection;
  /** Initial state; default `answered`. */
  state?: LegState;
  ttsMsPerChar?: number;
}

/** One source as the simulator played it (tests and `ivr simulate` read this log). */
export interface PlayedSource {
  source: MediaSource;
  startedAt: number;
  durationMs: number;
  /** Virtual ms actually played (less than durationMs when interrupted). */
  playedMs: number;
}

type WaitEnd = { kind: 'done' } | { kind: 'digit'; digit: string } | { kind: 'aborted' } | { kind: 'hungup' };

type WaitOutcome = WaitEnd & {
  /** Clock time the wait actually ran (less than the time passed when it paused on hold). */
  ranMs: number;
};

/** One runtime hold or unhold, at clock time `at`. */
export interface HoldChange {
  at: number;
  on: boolean;
  music?: MediaSource;
}

let legSeq = 0;

export class SimLeg implements CallLeg {
  readonly id: string;
  callId: string;
  readonly from: string;
  readonly to: string;
  readonly direction: LegDirection;
  readonly played: PlayedSource[] = [];
  readonly recordings: { path: string; durationMs: number; beep: boolean }[] = [];
  sentDtmf = '';
  bridgedTo: CallLeg | undefined;
  hangupCause: HangupCause | undefined;
  /** Every runtime hold and unhold, in order. */
  readonly holds: HoldChange[] = [];
  heldByRuntime = false;
  private readonly holdWatchers = new Set<(held: boolean) => void>();
  private current: LegState;
  private readonly clock: Clock;
  private readonly ttsMsPerChar: number;
  private readonly listeners = new LegListeners();

  constructor(opts: SimLegOptions) {
    this.clock = opts.clock;
    this.id = opts.id ?? `sim-${++legSeq}`;
    this.callId = opts.callId ?? `${this.id}@sim`;
    this.from = opts.from ?? '13800000000';
    this.to = opts.to ?? '4000';
    this.direction = opts.direction ?? 'inbound';
    this.current = opts.state ?? 'answered';
    this.ttsMsPerChar = opts.ttsMsPerChar ?? TTS_MS_PER_CHAR;
  }

  get state(): LegState {
    return this.current;
  }

  /** Listeners currently subscribed (tests assert none are left after a session). */
  listenerCount(event?: keyof LegEvents): number {
    return this.listeners.count(event);
  }

  on<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    this.listeners.on(event, fn);
  }

  off<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    this.listeners.off(event, fn);
  }

  private setState(state: LegState): void {
    this.current = state;
    this.listeners.emit('state', state);
  }

  async answer(): Promise<void> {
    if (this.current !== 'ended' && this.current !== 'answered') this.setState('answered');
  }

  private end(cause: HangupCause, by: 'local' | 'remote'): void {
    if (this.current === 'ended') return;
    this.hangupCause = cause;
    this.setState('ended');
    this.listeners.emit('hangup', { cause, by });
  }

  async hangup(cause: HangupCause = 'normal'): Promise<void> {
    this.end(cause, 'local');
  }

  /** The caller hangs up. */
  hangupFromCaller(): void {
    this.end('caller-hangup', 'remote');
  }

  /** The caller presses keys, all at the current instant (space them with clock timers if needed). */
  pressKeys(digits: string): void {
    for (const digit of digits) {
      if (this.current === 'ended') return;
      const ev: DtmfEvent = { digit, source: 'simulated', at: this.clock.now() };
      this.listeners.emit('dtmf', ev);
    }
  }

  /**
   * Waits `ms` of clock time, ending early on a key accepted by `stopOn`, an abort or the hang-up. A `pausable`
   * wait (a prompt) stands still while the runtime holds the leg, as the prompt pauses under music on hold.
   */
  private waitFor(
    ms: number,
    stopOn: (digit: string) => boolean,
    signal?: AbortSignal,
    pausable = false,
  ): Promise<WaitOutcome> {
    if (this.current === 'ended') return Promise.resolve({ kind: 'hungup', ranMs: 0 });
    if (signal?.aborted) return Promise.resolve({ kind: 'aborted', ranMs: 0 });
    return new Promise((resolve) => {
      let ran = 0;
      let since = this.clock.now();
      let timer: ClockTimer | undefined;
      const run = (): void => {
        since = this.clock.now();
        timer = this.clock.setTimeout(() => finish({ kind: 'done' }), ms - ran);
      };
      const pause = (): void => {
        if (timer === undefined) return;
        this.clock.clearTimeout(timer);
        timer = undefined;
        ran += this.clock.now() - since;
      };
      const finish = (outcome: WaitEnd): void => {
        pause();
        this.holdWatchers.delete(onHold);
        this.off('dtmf', onDtmf);
        this.off('hangup', onHangup);
        signal?.removeEventListener('abort', onAbort);
        resolve({ ...outcome, ranMs: ran });
      };
      const onHold = (held: boolean): void => (held ? pause() : timer === undefined ? run() : undefined);
      const onDtmf = (ev: DtmfEvent): void => {
        if (stopOn(ev.digit)) finish({ kind: 'digit', digit: ev.digit });
      };
      const onHangup = (): void => finish({ kind: 'hungup' });
      // An abort caused by this leg's own hang-up (a listener aborting on it) is reported as the hang-up.
      const onAbort = (): void => finish(this.current === 'ended' ? { kind: 'hungup' } : { kind: 'aborted' });
      if (pausable) this.holdWatchers.add(onHold);
      if (!pausable || !this.heldByRuntime) run();
      this.on('dtmf', onDtmf);
      this.on('hangup', onHangup);
      signal?.addEventListener('abort', onAbort);
    });
  }

  private durationOf(source: MediaSource): number {
    if (source.kind === 'tts') return [...source.text].length * this.ttsMsPerChar;
    return wavDurationMs(source.path);
  }

  async play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult> {
    const errors: PlayResult['errors'] = [];
    for (const source of sources) {
      let durationMs: number;
      try {
        durationMs = this.durationOf(source);
      } catch (err) {
        errors.push({ source, message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const entry: PlayedSource = { source, startedAt: this.clock.now(), durationMs, playedMs: 0 };
      this.played.push(entry);
      const outcome = await this.waitFor(durationMs, () => opts.bargein, opts.signal, true);
      entry.playedMs = outcome.ranMs;
      if (outcome.kind === 'digit') return { reason: 'interrupted', digit: outcome.digit, errors };
      if (outcome.kind === 'aborted') return { reason: 'aborted', errors };
      if (outcome.kind === 'hungup') return { reason: 'hungup', errors };
    }
    if (this.current === 'ended') return { reason: 'hungup', errors };
    return { reason: 'completed', errors };
  }

  async record(opts: RecordOptions): Promise<RecordResult> {
    if (this.current === 'ended') return { reason: 'hungup', path: opts.path, durationMs: 0 };
    const terminators = opts.terminators ?? '#';
    const beep = opts.beep ?? true;
    const outcome = await this.waitFor(opts.maxSeconds * 1000, (d) => terminators.includes(d), opts.signal);
    const durationMs = outcome.ranMs;
    // A caller who hangs up after speaking still leaves a message, so the file is written in every case.
    writeSilentWav(opts.path, durationMs);
    this.recordings.push({ path: opts.path, durationMs, beep });
    const reason = { done: 'max-time', digit: 'terminator', aborted: 'aborted', hungup: 'hungup' } as const;
    return { reason: reason[outcome.kind], path: opts.path, durationMs };
  }

  async sendDtmf(digits: string): Promise<void> {
    this.sentDtmf += digits;
  }

  async bridge(other: CallLeg): Promise<void> {
    await conferenceOf(this)?.leave(this);
    await conferenceOf(other)?.leave(other);
    this.bridgedTo = other;
  }

  async unbridge(): Promise<void> {
    this.bridgedTo = undefined;
  }

  /** Logged in `holds`; a running prompt pauses until `unhold` (as it does under real music on hold). */
  async hold(music?: MediaSource): Promise<void> {
    if (this.current === 'ended') return;
    this.holds.push(music ? { at: this.clock.now(), on: true, music } : { at: this.clock.now(), on: true });
    if (this.heldByRuntime) return;
    this.heldByRuntime = true;
    for (const fn of [...this.holdWatchers]) fn(true);
  }

  async unhold(): Promise<void> {
    if (!this.heldByRuntime) return;
    this.heldByRuntime = false;
    this.holds.push({ at: this.clock.now(), on: false });
    for (const fn of [...this.holdWatchers]) fn(false);
  }
}

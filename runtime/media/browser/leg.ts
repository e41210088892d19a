// A call leg whose caller is a browser: prompts go out as URLs to play, keys and hang-up come back (protocol.ts).
import {
  realClock,
  type CallLeg,
  type Clock,
  type ClockTimer,
  type DtmfEvent,
  type HangupCause,
  type LegEvents,
  type LegState,
  type MediaSource,
  type PlayOptions,
  type PlayResult,
  type RecordOptions,
  type RecordResult,
} from '../contract.ts';
import { LegListeners } from '../leg-listeners.ts';
import { TTS_MS_PER_CHAR } from '../sim/sim-leg.ts';
import { wavDurationMs } from '../sim/wav.ts';
import type { PlayItem, ServerMessage } from './protocol.ts';

export interface BrowserLegOptions {
  id: string;
  from: string;
  to: string;
  send: (msg: ServerMessage) => void;
  /** The URL the browser fetches for a source; undefined when the browser cannot play it. */
  urlFor: (source: MediaSource) => string | undefined;
  /**
   * Extra time after a prompt's estimated length before it counts as played without the browser's `played`:
   * a silent or vanished browser can delay a call but never stall it.
   */
  slackMs?: number;
  clock?: Clock;
}

interface ActivePlay {
  playId: number;
  bargein: boolean;
  finish: (reason: PlayResult['reason'], digit?: string) => void;
}

export class BrowserLeg implements CallLeg {
  readonly id: string;
  callId = '';
  readonly from: string;
  readonly to: string;
  readonly direction = 'inbound' as const;
  private current: LegState = 'ringing';
  private nextPlayId = 1;
  private active: ActivePlay | undefined;
  private readonly listeners = new LegListeners();
  private readonly clock: Clock;

  constructor(private readonly opts: BrowserLegOptions) {
    this.id = opts.id;
    this.from = opts.from;
    this.to = opts.to;
    this.clock = opts.clock ?? realClock;
  }

  get state(): LegState {
    return this.current;
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
    this.setState('ended');
    this.active?.finish('hungup');
    this.listeners.emit('hangup', { cause, by });
  }

  async hangup(cause: HangupCause = 'normal'): Promise<void> {
    this.end(cause, 'local');
  }

  /** The browser hung up (or its socket closed). */
  remoteHangup(): void {
    this.end('caller-hangup', 'remote');
  }

  /** A key from the browser: delivered as a `dtmf` event, and it stops a barge-in prompt. */
  digit(digit: string): void {
    if (this.current === 'ended') return;
    const ev: DtmfEvent = { digit: digit.toUpperCase(), source: 'simulated', at: this.clock.now() };
    this.listeners.emit('dtmf', ev);
    if (this.active?.bargein) this.active.finish('interrupted', ev.digit);
  }

  /** The browser finished playing a prompt. */
  played(playId: number): void {
    if (this.active?.playId === playId) this.active.finish('completed');
  }

  private estimateMs(sources: MediaSource[]): number {
    let ms = 0;
    for (const s of sources) {
      try {
        ms += s.kind === 'tts' ? [...s.text].length * TTS_MS_PER_CHAR : wavDurationMs(s.path);
      } catch {
        ms += 1000;
      }
    }
    return ms;
  }

  async play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult> {
    const errors: PlayResult['errors'] = [];
    const items: PlayItem[] = [];
    const playable: MediaSource[] = [];
    for (const source of sources) {
      const url = this.opts.urlFor(source);
      if (url === undefined)
        errors.push({ source, message: 'not playable in the browser (outside the sound root)' });
      else {
        playable.push(source);
        items.push(source.kind === 'tts' ? { kind: 'tts', text: source.text, url } : { kind: 'audio', url });
      }
    }
    if (this.current === 'ended') return { reason: 'hungup', errors };
    if (opts.signal?.aborted) return { reason: 'aborted', errors };
    if (items.length === 0) return { reason: 'completed', errors };
    const playId = this.nextPlayId++;
    const deadline = this.estimateMs(playable) + (this.opts.slackMs ?? 3000);
    return new Promise((resolve) => {
      let timer: ClockTimer | undefined = undefined;
      const onAbort = () => play.finish('aborted');
      const play: ActivePlay = {
        playId,
        bargein: opts.bargein,
        finish: (reason, digit) => {
          if (this.active !== play) return;
          this.active = undefined;
          if (timer !== undefined) this.clock.clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          if (reason !== 'completed' && reason !== 'hungup') this.opts.send({ type: 'stop', playId });
          resolve(digit === undefined ? { reason, errors } : { reason, digit, errors });
        },
      };
      this.active = play;
      opts.signal?.addEventListener('abort', onAbort);
      timer = this.clock.setTimeout(() => play.finish('completed'), deadline);
      this.opts.send({ type: 'play', playId, bargein: opts.bargein, items });
    });
  }

  async record(_opts: RecordOptions): Promise<RecordResult> {
    throw new Error('recording is not supported in a browser test call');
  }

  async sendDtmf(_digits: string): Promise<void> {
    // The browser has no one to send keys to; transfers are not bridged in a test call.
  }

  async bridge(_other: CallLeg): Promise<void> {
    throw new Error('bridging is not supported in a browser test call');
  }

  async unbridge(): Promise<void> {}

  /**
   * A test call has no one to wait for: it is never bridged or conferenced, and the protocol has no music to
   * play. Holding it does nothing (a prompt goes on playing); documented in the contract's list of engines.
   */
  async hold(_music?: MediaSource): Promise<void> {}

  async unhold(): Promise<void> {}
}

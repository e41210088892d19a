// One record() request: received audio (or both directions mixed) kept as µ-law codes, ended by a terminator,
// max time, abort or hang-up.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordOptions, RecordResult } from '../../contract.ts';
import { decodeSample, encode, transcode, type G711Law } from '../../audio/g711.ts';
import { writeWavUlawCodes } from '../../audio/wav.ts';
import { SampleFifo } from './fifo.ts';
import { FRAME_SAMPLES } from './frames.ts';

/** How far media time may run past `maxSeconds` while waiting for received audio to fill it. */
const GRACE_MS = 200;

/** What was sent to the remote this tick (undefined: nothing, which is silence to the listener). */
export type SentFrame = { payload: Uint8Array; law: G711Law } | undefined;

export class Recording {
  readonly result: Promise<RecordResult>;
  readonly terminators: string;
  private readonly chunks: Uint8Array[] = [];
  /** `both`: what the remote says, waiting to be mixed with what it heard in the same tick. */
  private readonly heard: SampleFifo | undefined;
  private readonly mixed = new Int16Array(FRAME_SAMPLES);
  private bytes = 0;
  private ticks = 0;
  private capturing = false;
  private done = false;
  private resolve!: (r: RecordResult) => void;
  private reject!: (e: unknown) => void;
  private readonly onAbort = () => this.finish('aborted');

  constructor(
    private readonly opts: RecordOptions,
    private readonly tickMs: number,
  ) {
    const both = opts.mix === 'both';
    // A call recording is not a voicemail: the caller's keys do not stop it unless asked for.
    this.terminators = opts.terminators ?? (both ? '' : '#');
    this.heard = both ? new SampleFifo() : undefined;
    this.result = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    if (opts.signal?.aborted) this.finish('aborted');
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get finished(): boolean {
    return this.done;
  }

  /** Starts capturing (after the beep, when there is one). */
  start(): void {
    this.capturing = true;
  }

  /** One received payload in `law`; a `mix: 'in'` recording ends once it holds `maxSeconds` of audio. */
  audio(payload: Uint8Array, law: G711Law): void {
    if (!this.capturing || this.done) return;
    if (this.heard) return this.heard.push(payload, law);
    const room = this.maxBytes - this.bytes;
    const part = payload.length > room ? payload.subarray(0, room) : payload;
    this.append(law === 'ulaw' ? part : transcode(law, 'ulaw', part));
    if (this.bytes >= this.maxBytes) this.finish('max-time');
  }

  /**
   * One clock tick, after the session sent `sent`. `mix: 'in'`: the maximum time is normally reached through
   * received audio (exact length); when the remote sends less than real time (silence suppression, loss), media
   * time ends it GRACE_MS later. `mix: 'both'`: each tick adds one frame, the remote's audio (silence when none
   * arrived) plus what was sent, so the file runs in media time and ends exactly at `maxSeconds`.
   */
  tick(sent: SentFrame): void {
    if (!this.capturing || this.done) return;
    this.ticks++;
    if (this.heard) return this.mixTick(sent);
    if (this.ticks * this.tickMs >= this.opts.maxSeconds * 1000 + GRACE_MS) this.finish('max-time');
  }

  private mixTick(sent: SentFrame): void {
    const said = this.heard!.take();
    const out = this.mixed;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const v =
        (said ? said[i] : 0) +
        (sent && i < sent.payload.length ? decodeSample(sent.law, sent.payload[i]) : 0);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    const room = this.maxBytes - this.bytes;
    this.append(encode('ulaw', room < FRAME_SAMPLES ? out.subarray(0, room) : out));
    if (this.bytes >= this.maxBytes) this.finish('max-time');
  }

  private append(codes: Uint8Array): void {
    this.chunks.push(codes);
    this.bytes += codes.length;
  }

  private get maxBytes(): number {
    return Math.round(this.opts.maxSeconds * 8000);
  }

  finish(reason: RecordResult['reason']): void {
    if (this.done) return;
    this.done = true;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    const codes = Buffer.concat(this.chunks, this.bytes);
    const durationMs = Math.round(this.bytes / 8);
    mkdir(dirname(this.opts.path), { recursive: true })
      .then(() => writeFile(this.opts.path, writeWavUlawCodes(codes)))
      .then(() => this.resolve({ reason, path: this.opts.path, durationMs }), this.reject);
  }
}

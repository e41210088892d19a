// One record() request: received audio kept as µ-law codes, ended by a terminator, max time, abort or hang-up.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordOptions, RecordResult } from '../../contract.ts';
import { transcode, type G711Law } from '../../audio/g711.ts';
import { writeWavUlawCodes } from '../../audio/wav.ts';

/** How far media time may run past `maxSeconds` while waiting for received audio to fill it. */
const GRACE_MS = 200;

export class Recording {
  readonly result: Promise<RecordResult>;
  readonly terminators: string;
  private readonly chunks: Uint8Array[] = [];
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
    this.terminators = opts.terminators ?? '#';
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

  /** One received payload in `law`; the recording ends once it holds `maxSeconds` of audio. */
  audio(payload: Uint8Array, law: G711Law): void {
    if (!this.capturing || this.done) return;
    const room = this.maxBytes - this.bytes;
    const part = payload.length > room ? payload.subarray(0, room) : payload;
    this.chunks.push(law === 'ulaw' ? part : transcode(law, 'ulaw', part));
    this.bytes += part.length;
    if (this.bytes >= this.maxBytes) this.finish('max-time');
  }

  /**
   * One clock tick. The maximum time is normally reached through received audio (exact length); when the remote
   * sends less than real time (silence suppression, loss), media time ends it GRACE_MS later.
   */
  tick(): void {
    if (!this.capturing || this.done) return;
    this.ticks++;
    if (this.ticks * this.tickMs >= this.opts.maxSeconds * 1000 + GRACE_MS) this.finish('max-time');
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

// One play() request: its sources loaded in order (files and TTS, each converted once), fed frame by frame.
import type { MediaSource, PlayOptions, PlayResult } from '../../contract.ts';
import type { G711Law } from '../../audio/g711.ts';
import { loadPrompt } from '../../audio/prompt.ts';
import { EspeakTts, type TtsEngine } from '../../audio/tts.ts';
import { FrameCursor } from './frames.ts';

export type SourceLoader = (source: MediaSource) => Promise<Int16Array>;

let defaultTts: TtsEngine | undefined;

/** A source as 8 kHz PCM: a file through the prompt cache, text through `tts` (default: espeak-ng). */
export function loadSource(source: MediaSource, tts?: TtsEngine): Promise<Int16Array> {
  if (source.kind === 'file') return loadPrompt(source.path);
  defaultTts ??= new EspeakTts();
  return (tts ?? defaultTts).synthesize(source.text, source.voice);
}

type Loaded = { ok: true; pcm: Int16Array } | { ok: false; message: string };

export class Playback {
  readonly bargein: boolean;
  readonly result: Promise<PlayResult>;
  private readonly loads: (Loaded | undefined)[];
  private readonly errors: PlayResult['errors'] = [];
  private index = 0;
  private cursor: FrameCursor | undefined;
  private resolve!: (r: PlayResult) => void;
  private done = false;
  private readonly onAbort = () => this.finish('aborted');

  constructor(
    private readonly sources: MediaSource[],
    private readonly opts: PlayOptions,
    load: SourceLoader,
  ) {
    this.bargein = opts.bargein;
    this.result = new Promise((r) => (this.resolve = r));
    // Start every conversion now so the next source is ready when the current one ends.
    this.loads = sources.map(() => undefined);
    sources.forEach((s, i) => {
      // Through a promise so that a loader throwing synchronously counts as that source's error.
      Promise.resolve(s)
        .then(load)
        .then(
          (pcm) => (this.loads[i] = { ok: true, pcm }),
          (e: unknown) =>
            (this.loads[i] = { ok: false, message: e instanceof Error ? e.message : String(e) }),
        );
    });
    if (opts.signal?.aborted) this.finish('aborted');
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (sources.length === 0) this.finish('completed');
  }

  get finished(): boolean {
    return this.done;
  }

  /** The next payload, or undefined while the next source is still loading (or when finished). */
  next(law: G711Law): Buffer | undefined {
    while (!this.done) {
      if (this.cursor) {
        const frame = this.cursor.next(law);
        if (frame) return frame;
        this.cursor = undefined;
        this.index++;
      }
      if (this.index >= this.sources.length) {
        this.finish('completed');
        return undefined;
      }
      const loaded = this.loads[this.index];
      if (!loaded) return undefined;
      if (loaded.ok) this.cursor = new FrameCursor(loaded.pcm);
      else {
        this.errors.push({ source: this.sources[this.index], message: loaded.message });
        this.index++;
      }
    }
    return undefined;
  }

  finish(reason: PlayResult['reason'], digit?: string): void {
    if (this.done) return;
    this.done = true;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.resolve(
      digit === undefined ? { reason, errors: this.errors } : { reason, digit, errors: this.errors },
    );
  }
}

/** A short internal sound (record beep, in-band DTMF) that plays to its end and then resolves. */
export class OneShot {
  readonly done: Promise<void>;
  private readonly cursor: FrameCursor;
  private resolve!: () => void;

  constructor(pcm: Int16Array) {
    this.cursor = new FrameCursor(pcm);
    this.done = new Promise((r) => (this.resolve = r));
  }

  next(law: G711Law): Buffer | undefined {
    const frame = this.cursor.next(law);
    if (!frame) this.resolve();
    return frame;
  }

  cancel(): void {
    this.resolve();
  }
}

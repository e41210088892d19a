// Text to speech: the one engine interface, and the cache every synthesizer sits behind (memory, and 8 kHz µ-law
// WAVs on disk keyed by engine, voice and text). espeak-ng (tts-espeak.ts) is the default synthesizer; an HTTP
// provider (tts-http.ts) is the other. Text never passes through a shell.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode, encode } from './g711.ts';
import { ByteLru } from './lru.ts';
import { decodeToTelephone } from './prompt.ts';
import { readWav, writeWavUlawCodes } from './wav.ts';
import { EspeakSynthesizer, type EspeakSynthesizerOptions } from './tts-espeak.ts';
import { speakable } from './tts-text.ts';

export interface TtsEngine {
  /** Speech as 8 kHz mono PCM. Rejects on failure (the player reports it and goes on). */
  synthesize(text: string, voice?: string): Promise<Int16Array>;
}

/** Something that turns text into a WAV file's bytes (any rate and format `readWav` reads). */
export interface Synthesizer {
  /** Names the engine in cache keys, so two engines never share a cached file. */
  readonly id: string;
  render(text: string, voice: string): Promise<Uint8Array>;
}

export interface TtsCacheOptions {
  /** Default voice (`cmn`: Mandarin, which also reads Latin text). */
  voice?: string;
  /** In-memory cache bound in bytes (default 16 MiB). */
  cacheBytes?: number;
  /** When set, results are also kept here as 8 kHz µ-law WAVs, named by a hash of engine, voice and text. */
  cacheDir?: string;
  /** Longest text accepted (characters). */
  maxChars?: number;
}

const VOICE = /^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/;

/** µ-law is what the phone line carries: quantised once here, a result is the same from memory and from disk. */
const asLine = (pcm: Int16Array): Int16Array => decode('ulaw', encode('ulaw', pcm));

/** A synthesizer behind the caches: concurrent requests for one text share one synthesis. */
export class CachedTts implements TtsEngine {
  private readonly cache: ByteLru<Int16Array>;
  private readonly pending = new Map<string, Promise<Int16Array>>();

  constructor(
    private readonly synth: Synthesizer,
    private readonly opts: TtsCacheOptions = {},
  ) {
    this.cache = new ByteLru(opts.cacheBytes ?? 16 * 1024 * 1024);
  }

  async synthesize(text: string, voice = this.opts.voice ?? 'cmn'): Promise<Int16Array> {
    if (!VOICE.test(voice)) throw new Error(`bad TTS voice: ${JSON.stringify(voice)}`);
    if (text.length > (this.opts.maxChars ?? 4000)) throw new Error('TTS text too long');
    const spoken = speakable(text);
    const key = createHash('sha1')
      .update(this.synth.id)
      .update('\0')
      .update(voice)
      .update('\0')
      .update(spoken)
      .digest('hex');
    const hit = this.cache.get(key);
    if (hit) return hit;
    let job = this.pending.get(key);
    if (!job) {
      job = this.produce(key, spoken, voice).then((pcm) => {
        this.cache.set(key, pcm, pcm.byteLength);
        return pcm;
      });
      this.pending.set(key, job);
      const forget = () => this.pending.delete(key);
      job.then(forget, forget);
    }
    return job;
  }

  private async produce(key: string, text: string, voice: string): Promise<Int16Array> {
    const dir = this.opts.cacheDir;
    const file = dir ? join(dir, `${key}.wav`) : undefined;
    if (file) {
      const stored = await readFile(file).catch(() => undefined);
      if (stored) return readWav(stored).samples;
    }
    const pcm = asLine(decodeToTelephone(await this.synth.render(text, voice)));
    if (dir && file) {
      await mkdir(dir, { recursive: true });
      // Write then rename so a concurrent reader never sees half a file.
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, writeWavUlawCodes(encode('ulaw', pcm)));
      await rename(tmp, file);
    }
    return pcm;
  }
}

export interface EspeakOptions extends TtsCacheOptions, EspeakSynthesizerOptions {}

/** espeak-ng behind the caches: the default engine. */
export class EspeakTts extends CachedTts {
  constructor(opts: EspeakOptions = {}) {
    super(new EspeakSynthesizer(opts), opts);
  }
}

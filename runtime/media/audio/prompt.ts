// Prompt files as 8 kHz mono PCM, converted once and cached (keyed by path, mtime and size; LRU by bytes).
import { readFile, stat } from 'node:fs/promises';
import { ByteLru } from './lru.ts';
import { readWav, writeWavUlaw } from './wav.ts';
import { resample, TELEPHONE_RATE } from './resample.ts';

/** Decodes any supported WAV into 8 kHz mono PCM. */
export function decodeToTelephone(bytes: Uint8Array): Int16Array {
  const wav = readWav(bytes);
  return resample(wav.samples, wav.sampleRate, TELEPHONE_RATE);
}

/** The manual's upload format: µ-law, 8 kHz, mono WAV. Throws WavError on unreadable input. */
export function convertToManualFormat(input: Uint8Array): Buffer {
  return writeWavUlaw(decodeToTelephone(input));
}

export class PromptStore {
  private readonly cache: ByteLru<Int16Array>;
  private readonly loading = new Map<string, Promise<Int16Array>>();

  constructor(maxBytes = 64 * 1024 * 1024) {
    this.cache = new ByteLru(maxBytes);
  }

  /**
   * The file as 8 kHz PCM. The same Int16Array instance comes back while the file is unchanged and cached, so
   * callers may key their own derived caches (encoded frames) on it. Concurrent loads of one file share a read.
   */
  async load(path: string): Promise<Int16Array> {
    const st = await stat(path);
    if (!st.isFile()) throw new Error(`not a file: ${path}`);
    const key = `${path}\0${st.mtimeMs}\0${st.size}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = readFile(path).then((bytes) => {
        const pcm = decodeToTelephone(bytes);
        this.cache.set(key, pcm, pcm.byteLength);
        return pcm;
      });
      this.loading.set(key, pending);
      const forget = () => this.loading.delete(key);
      pending.then(forget, forget);
    }
    return pending;
  }

  get stats(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }

  clear(): void {
    this.cache.clear();
  }
}

export const defaultPromptStore = new PromptStore();

/** Loads a prompt through the process-wide store. */
export function loadPrompt(path: string): Promise<Int16Array> {
  return defaultPromptStore.load(path);
}

// Text to speech: the engine interface and espeak-ng behind it (spawned with an argument array, text on stdin).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteLru } from './lru.ts';
import { decodeToTelephone } from './prompt.ts';
import { readWav, writeWavPcm16 } from './wav.ts';

export interface TtsEngine {
  /** Speech as 8 kHz mono PCM. Rejects on failure (the player reports it and goes on). */
  synthesize(text: string, voice?: string): Promise<Int16Array>;
}

export interface EspeakOptions {
  /** Default voice (`cmn`: Mandarin, which also reads Latin text). */
  voice?: string;
  /** The executable (default `espeak-ng` from PATH). */
  command?: string;
  timeoutMs?: number;
  /** In-memory cache bound in bytes (default 16 MiB). */
  cacheBytes?: number;
  /** When set, results are also kept as 8 kHz PCM16 WAVs here, named by a hash of voice and text. */
  cacheDir?: string;
  /** Longest text accepted (characters). */
  maxChars?: number;
}

const VOICE = /^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/;

export class EspeakTts implements TtsEngine {
  private readonly cache: ByteLru<Int16Array>;
  private readonly pending = new Map<string, Promise<Int16Array>>();

  constructor(private readonly opts: EspeakOptions = {}) {
    this.cache = new ByteLru(opts.cacheBytes ?? 16 * 1024 * 1024);
  }

  async synthesize(text: string, voice = this.opts.voice ?? 'cmn'): Promise<Int16Array> {
    if (!VOICE.test(voice)) throw new Error(`bad TTS voice: ${JSON.stringify(voice)}`);
    if (text.length > (this.opts.maxChars ?? 4000)) throw new Error('TTS text too long');
    const key = createHash('sha1').update(voice).update('\0').update(text).digest('hex');
    const hit = this.cache.get(key);
    if (hit) return hit;
    let job = this.pending.get(key);
    if (!job) {
      job = this.produce(key, text, voice).then((pcm) => {
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
    const pcm = decodeToTelephone(await this.run(text, voice));
    if (dir && file) {
      await mkdir(dir, { recursive: true });
      // Write then rename so a concurrent reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, writeWavPcm16(pcm));
      await rename(tmp, file);
    }
    return pcm;
  }

  private run(text: string, voice: string): Promise<Buffer> {
    const timeoutMs = this.opts.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.command ?? 'espeak-ng', ['-v', voice, '--stdout'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`TTS timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 2000) err += d.toString();
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 && out.length > 0) resolve(Buffer.concat(out));
        else reject(new Error(`espeak-ng failed (${code}): ${err.trim()}`));
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(text);
    });
  }
}

// TTS preview: GET or POST /api/tts/preview -> audio/wav (espeak-ng, then sox to 8 kHz mono as a phone hears it).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { jsonError, limitBody, readJson, readQuery } from './json.ts';
import { runProcess } from './run-process.ts';

export const MAX_TTS_CHARS = 1000;

const ttsInput = z.strictObject({
  text: z.string().trim().min(1).max(MAX_TTS_CHARS),
  voice: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$/, 'an espeak-ng voice name such as en, en-us or en+f3')
    .optional(),
});

/** Synthesises `text` to a 16-bit PCM 8 kHz mono WAV (playable by every browser, sounds like the phone line). */
export async function synthesise(text: string, voice: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'ivr-tts-'));
  try {
    const raw = join(dir, 'raw.wav');
    const out = join(dir, 'out.wav');
    // Text goes through stdin, so a leading '-' or any quoting can never become an option.
    const speak = await runProcess('espeak-ng', ['-v', voice, '-w', raw, '--stdin'], { input: text });
    if (speak.code !== 0) throw new Error(speak.stderr || 'espeak-ng failed');
    const sox = await runProcess('sox', [
      raw,
      '-r',
      '8000',
      '-c',
      '1',
      '-e',
      'signed-integer',
      '-b',
      '16',
      out,
    ]);
    if (sox.code !== 0) throw new Error(sox.stderr || 'sox failed');
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The last few previews, so a test call replaying a prompt does not synthesise it again. */
class PreviewCache {
  private readonly entries = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly size: number,
    private readonly defaultVoice: string,
  ) {}

  get(text: string, voice = this.defaultVoice): Promise<Buffer> {
    const key = `${voice}\u0000${text}`;
    let hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
    } else {
      hit = synthesise(text, voice);
      hit.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, hit);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return hit;
  }
}

export function ttsRoutes(deps: Pick<ApiDeps, 'config' | 'log'>): Hono {
  const app = new Hono();
  const cache = new PreviewCache(64, deps.config.tts.voice);
  const answer = async (c: Context, input: z.infer<typeof ttsInput>) => {
    try {
      const wav = await cache.get(input.text, input.voice);
      return c.body(new Uint8Array(wav), 200, {
        'Content-Type': 'audio/wav',
        'Cache-Control': 'max-age=3600',
      });
    } catch (err) {
      deps.log.warn({ err }, 'tts preview failed');
      return jsonError(c, 400, `cannot synthesise: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  app.get('/api/tts/preview', async (c) => {
    const q = readQuery(c, ttsInput);
    return q.ok ? answer(c, q.value) : q.response;
  });
  app.post('/api/tts/preview', limitBody(deps.config.http.maxBodyBytes), async (c) => {
    const body = await readJson(c, ttsInput);
    return body.ok ? answer(c, body.value) : body.response;
  });
  return app;
}

// TTS preview: GET or POST /api/tts/preview -> audio/wav, 8 kHz mono as a phone hears it, from the runtime's one
// TTS engine (espeak-ng or the HTTP provider) and its cache, so a preview and a call say the same.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { writeWavPcm16 } from '../media/audio/wav.ts';
import type { ApiDeps } from './deps.ts';
import { jsonError, limitBody, readJson, readQuery } from './json.ts';

export const MAX_TTS_CHARS = 1000;

const ttsInput = z.strictObject({
  text: z.string().trim().min(1).max(MAX_TTS_CHARS),
  voice: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$/, 'an espeak-ng voice name such as en, en-us or en+f3')
    .optional(),
});

export function ttsRoutes(deps: Pick<ApiDeps, 'config' | 'log' | 'tts'>): Hono {
  const app = new Hono();
  const answer = async (c: Context, input: z.infer<typeof ttsInput>) => {
    try {
      const pcm = await deps.tts.synthesize(input.text, input.voice ?? deps.config.tts.voice);
      // 16-bit PCM rather than µ-law: every browser plays it.
      return c.body(new Uint8Array(writeWavPcm16(pcm)), 200, {
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

// TTS preview over real HTTP: the runtime's TTS engine (espeak-ng here) gives an 8 kHz mono WAV; input is validated and capped.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TTS_CHARS } from '../../runtime/api/tts.ts';
import { call, startApi, type ApiHarness } from './harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

function soxi(wav: ArrayBuffer): string {
  const file = join(api.dir, `preview-${Math.random().toString(36).slice(2)}.wav`);
  writeFileSync(file, Buffer.from(wav));
  return execFileSync('soxi', [file], { encoding: 'utf8' });
}

describe('tts preview', () => {
  it('answers POST with an 8 kHz mono WAV whose length grows with the text', async () => {
    const short = await fetch(`${api.base}/api/tts/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'one', voice: 'en' }),
    });
    expect(short.status).toBe(200);
    expect(short.headers.get('content-type')).toBe('audio/wav');
    const shortWav = await short.arrayBuffer();
    const info = soxi(shortWav);
    expect(info).toMatch(/Sample Rate\s*:\s*8000/);
    expect(info).toMatch(/Channels\s*:\s*1/);
    const long = await fetch(
      `${api.base}/api/tts/preview?voice=en&text=${encodeURIComponent('one two three four five six seven')}`,
    );
    expect(long.status).toBe(200);
    expect((await long.arrayBuffer()).byteLength).toBeGreaterThan(shortWav.byteLength);
  });

  it('reads text starting with a dash as text, not as an option', async () => {
    const res = await fetch(`${api.base}/api/tts/preview?voice=en&text=${encodeURIComponent('--version')}`);
    expect(res.status).toBe(200);
    expect(soxi(await res.arrayBuffer())).toMatch(/Sample Rate\s*:\s*8000/);
  });

  it('refuses empty or too long text and bad voices with 400', async () => {
    expect((await call(api.base, 'POST', '/api/tts/preview', { text: '' })).status).toBe(400);
    expect(
      (await call(api.base, 'POST', '/api/tts/preview', { text: 'x'.repeat(MAX_TTS_CHARS + 1) })).status,
    ).toBe(400);
    const voice = await call(api.base, 'POST', '/api/tts/preview', { text: 'hi', voice: '-w /tmp/x' });
    expect(voice.status).toBe(400);
    expect(voice.body.issues[0].path).toBe('voice');
    expect((await call(api.base, 'GET', '/api/tts/preview')).status).toBe(400);
    expect(
      (await call(api.base, 'POST', '/api/tts/preview', { text: 'hi', voice: 'nosuchvoice' })).status,
    ).toBe(400);
  });
});

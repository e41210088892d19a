// espeak-ng text to speech: real synthesis, caching in memory and on disk, and no shell interpretation of text.
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EspeakTts } from '../../../runtime/media/audio/tts.ts';
import { speakable } from '../../../runtime/media/audio/tts-text.ts';
import { meanEnergy, tempDir } from './tools.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('EspeakTts', () => {
  it('speaks text as 8 kHz PCM and caches the result', async () => {
    const tts = new EspeakTts();
    const pcm = await tts.synthesize('您好，欢迎致电 hello');
    // Several hundred ms of audible speech at 8 kHz.
    expect(pcm.length).toBeGreaterThan(4000);
    expect(meanEnergy(pcm)).toBeGreaterThan(100_000);
    expect(await tts.synthesize('您好，欢迎致电 hello')).toBe(pcm);
    const english = await tts.synthesize('您好，欢迎致电 hello', 'en');
    expect(english).not.toBe(pcm);
  });

  it('passes text to espeak-ng as data, never through a shell or as options', async () => {
    const marker = tmp.file('pwned');
    const tts = new EspeakTts({ voice: 'en' });
    const pcm = await tts.synthesize(`--version; touch ${marker} $(touch ${marker}) \`touch ${marker}\``);
    expect(pcm.length).toBeGreaterThan(8000);
    expect(existsSync(marker)).toBe(false);
    await expect(tts.synthesize('hi', '-w /tmp/x')).rejects.toThrow(/voice/);
  });

  it('keeps results on disk when given a cache directory', async () => {
    const dir = tmp.file('tts-cache');
    const first = await new EspeakTts({ voice: 'en', cacheDir: dir }).synthesize('press one');
    expect(readdirSync(dir).filter((f) => f.endsWith('.wav'))).toHaveLength(1);
    // A fresh engine (empty memory cache) with a missing executable still answers from the disk cache.
    const again = await new EspeakTts({
      voice: 'en',
      cacheDir: dir,
      command: '/nonexistent/espeak',
    }).synthesize('press one');
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('spells digit strings of 4 or more digit by digit, and reads shorter numbers as numbers', async () => {
    expect(speakable('您的验证码是493817，有效期5分钟')).toBe('您的验证码是 4 9 3 8 1 7 ，有效期5分钟');
    expect(speakable('1234')).toBe('1 2 3 4');
    expect(speakable('room 120')).toBe('room 120');
    // Two engines that share no cache: espeak-ng is given the same spelled text for both.
    const spelled = await new EspeakTts({ voice: 'en' }).synthesize('4 9 3 8 1 7');
    const code = await new EspeakTts({ voice: 'en' }).synthesize('493817');
    expect(Array.from(code)).toEqual(Array.from(spelled));
  });

  it('rejects when espeak-ng cannot run or takes too long', async () => {
    await expect(new EspeakTts({ command: '/nonexistent/espeak' }).synthesize('x')).rejects.toThrow();
    const slow = new EspeakTts({ voice: 'en', timeoutMs: 1 });
    await expect(slow.synthesize('a long sentence '.repeat(200))).rejects.toThrow(/timed out/);
  });
});

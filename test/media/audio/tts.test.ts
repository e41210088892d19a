// espeak-ng text to speech: real synthesis, caching in memory and on disk, and no shell interpretation of text.
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EspeakTts } from '../../../runtime/media/audio/tts.ts';
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

  it('rejects when espeak-ng cannot run or takes too long', async () => {
    await expect(new EspeakTts({ command: '/nonexistent/espeak' }).synthesize('x')).rejects.toThrow();
    const slow = new EspeakTts({ voice: 'en', timeoutMs: 1 });
    await expect(slow.synthesize('a long sentence '.repeat(200))).rejects.toThrow(/timed out/);
  });
});

// Prompt loading (cache keyed by path, mtime and size; LRU by bytes) and conversion to the upload format.
import { readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { convertToManualFormat, PromptStore } from '../../../runtime/media/audio/prompt.ts';
import { readWav } from '../../../runtime/media/audio/wav.ts';
import { ByteLru } from '../../../runtime/media/audio/lru.ts';
import { sox, tempDir, toneEnergy, meanEnergy } from './tools.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());

function soxTone(name: string, seconds: string, freq = '1000', rate = '16000'): string {
  const path = tmp.file(name);
  sox('-n', '-r', rate, '-c', '1', '-b', '16', path, 'synth', seconds, 'sine', freq, 'vol', '0.5');
  return path;
}

describe('PromptStore', () => {
  it('loads any WAV as 8 kHz PCM and hands out the same array while the file is unchanged', async () => {
    const store = new PromptStore();
    const path = soxTone('a.wav', '0.5');
    const [first, second] = await Promise.all([store.load(path), store.load(path)]);
    expect(first.length).toBe(4000);
    expect(second).toBe(first);
    expect(await store.load(path)).toBe(first);
    expect(toneEnergy(first.subarray(200, 3800), 1000)).toBeGreaterThan(
      0.9 * meanEnergy(first.subarray(200, 3800)),
    );
  });

  it('reloads a file that changed', async () => {
    const store = new PromptStore();
    const path = soxTone('b.wav', '0.5');
    const before = await store.load(path);
    sox('-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', '0.25', 'sine', '500');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const after = await store.load(path);
    expect(after).not.toBe(before);
    expect(after.length).toBe(2000);
  });

  it('evicts least recently used prompts beyond its byte bound', async () => {
    const store = new PromptStore(20_000); // each 1 s prompt is 16 000 bytes of PCM
    const a = soxTone('c1.wav', '1');
    const b = soxTone('c2.wav', '1');
    const first = await store.load(a);
    await store.load(b);
    expect(store.stats.entries).toBe(1);
    expect(await store.load(a)).not.toBe(first);
  });

  it('rejects a missing or unreadable file', async () => {
    const store = new PromptStore();
    await expect(store.load(tmp.file('nope.wav'))).rejects.toThrow();
    const bad = tmp.file('bad.wav');
    writeFileSync(bad, 'not audio');
    await expect(store.load(bad)).rejects.toThrow(/RIFF/);
  });
});

describe('ByteLru', () => {
  it('keeps recently used entries and drops the oldest', () => {
    const lru = new ByteLru<string>(30);
    lru.set('a', 'A', 10);
    lru.set('b', 'B', 10);
    lru.set('c', 'C', 10);
    expect(lru.get('a')).toBe('A');
    lru.set('d', 'D', 10);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.bytes).toBe(30);
    lru.set('huge', 'H', 31);
    expect(lru.get('huge')).toBeUndefined();
  });
});

describe('convertToManualFormat', () => {
  it('turns a 44.1 kHz stereo WAV into 8 kHz mono µ-law of the same duration', () => {
    const src = tmp.file('stereo.wav');
    sox('-n', '-r', '44100', '-c', '2', '-b', '16', src, 'synth', '1.5', 'sine', '800', 'vol', '0.5');
    const out = convertToManualFormat(readFileSync(src));
    const dst = tmp.file('manual.wav');
    writeFileSync(dst, out);
    const wav = readWav(out);
    expect(wav.sampleRate).toBe(8000);
    expect(wav.channels).toBe(1);
    expect(wav.samples.length).toBe(12000);
    expect(out.readUInt16LE(20)).toBe(7); // WAVE_FORMAT_MULAW
    expect(toneEnergy(wav.samples.subarray(400, 11600), 800)).toBeGreaterThan(0.9 * meanEnergy(wav.samples));
  });
});

// The HTTP TTS provider: a real HTTP server on loopback answers WAVs; the request carries the text and voice
// URL-encoded, goes through the outbound-URL policy, and the answer is cached as 8 kHz µ-law.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTts, ttsRequestUrl } from '../../../runtime/media/audio/tts-http.ts';
import { UrlPolicy } from '../../../runtime/net/url-policy.ts';
import { sox, tempDir, toneEnergy } from './tools.ts';

const tmp = tempDir();
/** A 44.1 kHz stereo WAV of 1 kHz, 0.2 s (35 KB), as a provider might answer. */
let wav: Buffer;
const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];
let base = '';
let server: ReturnType<typeof createServer>;

function answer(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ url: req.url ?? '', headers: req.headers });
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/speak') return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
  if (path === '/fail') return void res.writeHead(500).end('no');
  if (path === '/moved') return void res.writeHead(302, { location: '/speak' }).end();
  if (path === '/huge') return void res.writeHead(200).end(Buffer.alloc(64 * 1024));
  if (path === '/slow') return; // never answers
  res.writeHead(404).end();
}

beforeAll(async () => {
  sox('-n', '-r', '44100', '-c', '2', '-b', '16', tmp.file('tone.wav'), 'synth', '0.2', 'sine', '1000');
  wav = readFileSync(tmp.file('tone.wav'));
  server = createServer(answer);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  tmp.remove();
});

const tts = (path: string, o: { policy?: UrlPolicy; cacheDir?: string; timeoutMs?: number } = {}) =>
  new HttpTts({
    urlTemplate: `${base}${path}?voice={voice}&text={text}`,
    policy: o.policy ?? new UrlPolicy(),
    headers: { 'X-Api-Key': 'k-123' },
    maxBytes: 48 * 1024,
    timeoutMs: o.timeoutMs,
    cacheDir: o.cacheDir,
  });

describe('HttpTts', () => {
  it('GETs the template with the text and voice URL-encoded and turns the WAV into 8 kHz speech', async () => {
    const text = '验证码 & $(rm -rf /) `x`';
    const pcm = await tts('/speak').synthesize(text, 'en');
    // 0.2 s at 8 kHz, the 1 kHz tone kept.
    expect(pcm.length).toBe(1600);
    expect(toneEnergy(pcm, 1000)).toBeGreaterThan(1e6);
    const last = seen[seen.length - 1];
    const url = new URL(last.url, base);
    expect(url.searchParams.get('text')).toBe(text);
    expect(url.searchParams.get('voice')).toBe('en');
    expect(last.headers['x-api-key']).toBe('k-123');
    expect(ttsRequestUrl('http://h/?t={text}', 'a b&c', 'en')).toBe('http://h/?t=a%20b%26c');
  });

  it('keeps the result on disk as 8 kHz µ-law and answers from there without the provider', async () => {
    const dir = tmp.file('cache');
    const first = await tts('/speak', { cacheDir: dir }).synthesize('one two', 'en');
    const files = readdirSync(dir).filter((f) => f.endsWith('.wav'));
    expect(files).toHaveLength(1);
    const file = readFileSync(`${dir}/${files[0]}`);
    // WAVE format 7 (µ-law), mono, 8000 Hz.
    expect(file.readUInt16LE(20)).toBe(7);
    expect(file.readUInt16LE(22)).toBe(1);
    expect(file.readUInt32LE(24)).toBe(8000);
    // A fresh engine (nothing in memory) answers from the file, without asking the provider.
    const before = seen.length;
    const again = await tts('/speak', { cacheDir: dir }).synthesize('one two', 'en');
    expect(seen.length).toBe(before);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('refuses URLs the outbound-URL policy denies, and fails on errors, redirects, oversize and silence', async () => {
    const denied = new UrlPolicy({ deny: ['127.0.0.1'] });
    const before = seen.length;
    await expect(tts('/speak', { policy: denied }).synthesize('x')).rejects.toThrow(
      /refused: host 127.0.0.1/,
    );
    expect(seen.length).toBe(before);
    await expect(tts('/fail').synthesize('x')).rejects.toThrow(/HTTP 500/);
    await expect(tts('/moved').synthesize('x')).rejects.toThrow(/HTTP 302/);
    await expect(tts('/huge').synthesize('x')).rejects.toThrow();
    await expect(tts('/slow', { timeoutMs: 300 }).synthesize('x')).rejects.toThrow(/within 300 ms/);
  });
});

// The sound library over real HTTP: listing, serving inside the root only, uploads converted with sox.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type ApiHarness } from './harness.ts';

let api: ApiHarness;

/** A 16-bit 16 kHz stereo WAV of 0.25 s made by sox (so the upload must be converted). */
function makeWav(dir: string): Buffer {
  const file = join(dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', file, 'synth', '0.25', 'sine', '440']);
  return readFileSync(file);
}

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  api = await startApi();
  mkdirSync(join(api.soundRoot, 'menu'), { recursive: true });
  writeFileSync(join(api.soundRoot, 'menu', 'welcome.wav'), makeWav(api.dir));
  writeFileSync(join(api.soundRoot, 'notes.txt'), 'not a sound');
  writeFileSync(join(api.dir, 'secret.wav'), 'SECRET OUTSIDE THE ROOT');
  symlinkSync(join(api.dir, 'secret.wav'), join(api.soundRoot, 'link.wav'));
  symlinkSync(api.dir, join(api.soundRoot, 'outside'));
});
afterAll(async () => {
  await api.close();
});

describe('sounds', () => {
  it('lists the WAV files under the root with their [FILE_PATH] src, not following symlinks', async () => {
    const res = await call(api.base, 'GET', '/api/sounds');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { path: 'menu/welcome.wav', src: '[FILE_PATH]/menu/welcome.wav', bytes: expect.any(Number) },
    ]);
  });

  it('serves a sound as audio/wav', async () => {
    const res = await fetch(`${api.base}/sounds/menu/welcome.wav`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(readFileSync(join(api.soundRoot, 'menu', 'welcome.wav')))).toBe(true);
  });

  it.each([
    '/sounds/../secret.wav',
    '/sounds/%2e%2e/secret.wav',
    '/sounds/%2E%2E/secret.wav',
    '/sounds/menu/..%2f..%2fsecret.wav',
    '/sounds/..%5csecret.wav',
    `/sounds//${'etc/passwd'}`,
    '/sounds/%2Fetc%2Fpasswd',
    '/sounds/link.wav',
    '/sounds/outside/secret.wav',
    '/sounds/notes.txt',
    '/sounds/menu/missing.wav',
    '/sounds/menu%00/welcome.wav',
  ])('never leaves the root: %s -> 404', async (path) => {
    const res = await rawGet(api.base, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('SECRET');
  });

  it('converts an upload to 8 kHz mono µ-law and lists it', async () => {
    const res = await call(
      api.base,
      'POST',
      '/api/sounds?path=uploads/tone.wav',
      new Uint8Array(makeWav(api.dir)),
      {
        'content-type': 'audio/wav',
      },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ path: 'uploads/tone.wav', src: '[FILE_PATH]/uploads/tone.wav' });
    const info = execFileSync('soxi', [join(api.soundRoot, 'uploads', 'tone.wav')], { encoding: 'utf8' });
    expect(info).toMatch(/Sample Rate\s*:\s*8000/);
    expect(info).toMatch(/Channels\s*:\s*1/);
    expect(info).toMatch(/u-law/i);
    const list = await call(api.base, 'GET', '/api/sounds');
    expect(list.body.map((s: { path: string }) => s.path)).toContain('uploads/tone.wav');
  });

  it.each([
    '../evil.wav',
    '/abs.wav',
    'a/./b.wav',
    'x.mp3',
    '',
    'a//b.wav',
    'outside/evil.wav',
    'outside/sub/evil.wav',
  ])('refuses the upload path %j with 400', async (path) => {
    const res = await call(
      api.base,
      'POST',
      `/api/sounds?path=${encodeURIComponent(path)}`,
      new Uint8Array(makeWav(api.dir)),
    );
    expect(res.status).toBe(400);
    expect(readFileSync(join(api.dir, 'secret.wav'), 'utf8')).toBe('SECRET OUTSIDE THE ROOT');
    expect(existsSync(join(api.dir, 'sub'))).toBe(false);
    expect(existsSync(join(api.dir, 'evil.wav'))).toBe(false);
  });

  it('refuses a body that is not a WAV file, and one over the size cap', async () => {
    const notWav = await call(
      api.base,
      'POST',
      '/api/sounds?path=x.wav',
      new Uint8Array(Buffer.from('hello'.repeat(20))),
    );
    expect(notWav.status).toBe(400);
    expect(notWav.body.error).toMatch(/WAV/);
    const big = new Uint8Array(api.config.http.maxUploadBytes + 1);
    const tooBig = await call(api.base, 'POST', '/api/sounds?path=big.wav', big);
    expect(tooBig.status).toBe(413);
  });
});

// ToneFileSvlt (manual section 24) over real HTTP, sox and SQLite: uploads of 44.1 kHz stereo WAVs stored as
// 8 kHz mono µ-law, files that are not audio refused with `0`, modify, delete, and the CAPTCHA lookup by id.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../harness.ts';

let h: ApiHarness;
let stereo: Buffer;
beforeAll(async () => {
  h = await startApi({ overrides: { 'http.maxUploadBytes': 1024 * 1024 } });
  const file = join(h.dir, 'stereo.wav');
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', file, 'synth', '0.5', 'sine', '440']);
  stereo = readFileSync(file);
});
afterAll(async () => {
  await h?.close();
});

/** The format of a WAV file: its fmt chunk's encoding, channels and rate. */
function wavFormat(file: string): { format: number; channels: number; rate: number } {
  const b = readFileSync(file);
  for (let at = 12; at + 8 <= b.length;) {
    const id = b.toString('latin1', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ')
      return {
        format: b.readUInt16LE(at + 8),
        channels: b.readUInt16LE(at + 10),
        rate: b.readUInt32LE(at + 12),
      };
    at += 8 + size + (size % 2);
  }
  throw new Error('no fmt chunk');
}

async function save(fields: Record<string, string>, file?: Buffer) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new Blob([new Uint8Array(file)], { type: 'audio/wav' }), 'upload.wav');
  const res = await fetch(`${h.base}/bridge/ToneFileSvlt`, { method: 'POST', body: form });
  return { status: res.status, text: await res.text() };
}

const query = async () =>
  (await (await fetch(`${h.base}/bridge/ToneFileSvlt?opt=query`)).json()) as {
    id: number;
    titel: string;
    path: string;
    des: string;
  }[];

describe('ToneFileSvlt', () => {
  let first = 0;

  it('stores a 44.1 kHz stereo upload as 8 kHz mono µ-law and answers its id', async () => {
    const r = await save({ opt: 'save', title: '转话语音导航', des: 'transfer prompt' }, stereo);
    expect(r.status).toBe(200);
    first = Number(r.text.trim());
    expect(first).toBeGreaterThan(0);
    const [tone] = await query();
    expect(tone).toEqual({
      id: first,
      titel: '转话语音导航',
      path: expect.stringMatching(/^\d+\.wav$/),
      des: 'transfer prompt',
    });
    const file = await h.calls.tones.toneFile(first);
    expect(file).toBe(join(h.soundRoot, 'tones', tone.path));
    // WAVE_FORMAT_MULAW = 7.
    expect(wavFormat(file!)).toEqual({ format: 7, channels: 1, rate: 8000 });
  });

  it('takes URL-encoded Chinese titles (as the manual asks) and the opt in the query string', async () => {
    const form = new FormData();
    form.set('title', encodeURIComponent('非工作时间提醒'));
    form.set('des', encodeURIComponent('下班了'));
    form.set('file', new Blob([new Uint8Array(stereo)]), 'x.wav');
    const res = await fetch(`${h.base}/bridge/ToneFileSvlt?opt=save`, { method: 'POST', body: form });
    const id = Number((await res.text()).trim());
    expect(id).toBe(first + 1);
    expect((await query()).find((t) => t.id === id)).toMatchObject({
      titel: '非工作时间提醒',
      des: '下班了',
    });
  });

  it('modifies a tone: title alone, then a new file that replaces the old one', async () => {
    expect((await save({ opt: 'save', id: String(first), title: 'renamed', des: 'd2' })).text).toBe(
      `${first}\n`,
    );
    const before = (await query()).find((t) => t.id === first)!;
    expect(before).toMatchObject({ titel: 'renamed', des: 'd2' });
    const oldFile = join(h.soundRoot, 'tones', before.path);
    const mono = execFileSync('sox', [
      '-n',
      '-r',
      '16000',
      '-c',
      '1',
      '-b',
      '16',
      '-t',
      'wav',
      '-',
      'synth',
      '0.2',
      'sine',
      '600',
    ]);
    expect((await save({ opt: 'save', id: String(first), title: 'renamed', des: 'd3' }, mono)).text).toBe(
      `${first}\n`,
    );
    const after = (await query()).find((t) => t.id === first)!;
    expect(after.path).not.toBe(before.path);
    expect(existsSync(oldFile)).toBe(false);
    expect(wavFormat((await h.calls.tones.toneFile(first))!)).toEqual({ format: 7, channels: 1, rate: 8000 });
  });

  it('refuses files that are not audio with 0, storing nothing', async () => {
    const count = (await query()).length;
    const text = await save(
      { opt: 'save', title: 't', des: 'd' },
      Buffer.from('this is not a wav file at all, just text'),
    );
    expect(text.status).toBe(400);
    expect(text.text).toMatch(/^0\nnot a WAV file/);
    // A RIFF/WAVE header in front of garbage: sox refuses it.
    const fake = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEjunk', 'latin1'), Buffer.alloc(200, 7)]);
    const garbage = await save({ opt: 'save', title: 't', des: 'd' }, fake);
    expect(garbage.text).toMatch(/^0\nnot audio sox can read/);
    expect((await save({ opt: 'save', title: 't', des: 'd' })).text).toBe('0\nmissing: file\n');
    expect((await save({ opt: 'save', des: 'd' }, stereo)).text).toMatch(/^0\nmissing or too long: title/);
    expect(await save({ opt: 'save', id: '999', title: 't', des: 'd' }, stereo)).toEqual({
      status: 404,
      text: '0\nno tone file 999\n',
    });
    expect(await query()).toHaveLength(count);
  });

  it('deletes a tone and its file: 200, then 404; 400 for a bad id', async () => {
    const path = (await query()).find((t) => t.id === first)!.path;
    const del = (q: string) =>
      fetch(`${h.base}/bridge/ToneFileSvlt?${q}`).then(async (r) => [r.status, await r.text()]);
    expect(await del(`opt=delete&id=${first}`)).toEqual([200, '200\n']);
    expect(existsSync(join(h.soundRoot, 'tones', path))).toBe(false);
    expect(await h.calls.tones.toneFile(first)).toBeUndefined();
    expect(await del(`opt=delete&id=${first}`)).toEqual([404, `404\nno tone file ${first}\n`]);
    expect((await del('opt=delete&id=abc'))[0]).toBe(400);
    expect((await del('opt=nothing'))[0]).toBe(400);
  });

  it('refuses an upload over http.maxUploadBytes with 413 and 0', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 1);
    const r = await save({ opt: 'save', title: 't', des: 'd' }, big);
    expect(r.status).toBe(413);
    expect(r.text).toMatch(/^0\nbody larger than/);
  });
});

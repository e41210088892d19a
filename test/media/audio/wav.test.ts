// WAV reading of files made by sox in every supported encoding, and writing files sox can read back.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav, writeWavPcm16, writeWavUlaw, WavError } from '../../../runtime/media/audio/wav.ts';
import { tone } from '../../../runtime/media/audio/tone.ts';
import { meanEnergy, sox, tempDir, toneEnergy } from './tools.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());

function made(name: string, ...format: string[]): Uint8Array {
  const path = tmp.file(name);
  sox('-n', ...format, path, 'synth', '0.5', 'sine', '440', 'vol', '0.5');
  return readFileSync(path);
}

describe('readWav', () => {
  it.each([
    ['pcm16-16k-stereo.wav', ['-r', '16000', '-c', '2', '-e', 'signed', '-b', '16'], 16000, 2],
    ['alaw-8k.wav', ['-r', '8000', '-c', '1', '-e', 'a-law'], 8000, 1],
    ['ulaw-8k.wav', ['-r', '8000', '-c', '1', '-e', 'u-law'], 8000, 1],
    ['pcm16-44k.wav', ['-r', '44100', '-c', '1', '-e', 'signed', '-b', '16'], 44100, 1],
    ['pcm8-11k.wav', ['-r', '11025', '-c', '1', '-e', 'unsigned', '-b', '8'], 11025, 1],
    ['pcm24-48k.wav', ['-r', '48000', '-c', '2', '-e', 'signed', '-b', '24'], 48000, 2],
    ['float-22k.wav', ['-r', '22050', '-c', '1', '-e', 'floating-point', '-b', '32'], 22050, 1],
  ])('reads %s', (name, format, rate, channels) => {
    const wav = readWav(made(name, ...format));
    expect(wav.sampleRate).toBe(rate);
    expect(wav.channels).toBe(channels);
    expect(Math.abs(wav.samples.length - rate / 2)).toBeLessThanOrEqual(1);
    // A 440 Hz sine at half scale: energy per sample near (16384^2)/2, nearly all of it at 440 Hz.
    const e = meanEnergy(wav.samples);
    expect(e).toBeGreaterThan((0.8 * (16384 * 16384)) / 2);
    expect(e).toBeLessThan((1.2 * (16384 * 16384)) / 2);
    expect(toneEnergy(wav.samples, 440, rate)).toBeGreaterThan(0.9 * e);
  });

  it('downmixes stereo by averaging the channels', () => {
    const left = tmp.file('left.wav');
    sox(
      '-n',
      '-r',
      '8000',
      '-c',
      '2',
      '-e',
      'signed',
      '-b',
      '16',
      left,
      'synth',
      '0.2',
      'sine',
      '500',
      'remix',
      '1',
      '0',
    );
    const wav = readWav(readFileSync(left));
    const mono = readWav(made('mono500.wav', '-r', '8000', '-c', '1', '-e', 'signed', '-b', '16'));
    expect(wav.channels).toBe(2);
    // A full-scale sine in one channel and silence in the other average to a half-scale sine, like `mono`.
    const ratio = meanEnergy(wav.samples) / meanEnergy(mono.samples);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
    expect(toneEnergy(wav.samples, 500)).toBeGreaterThan(0.9 * meanEnergy(wav.samples));
  });

  it('rejects what is not a playable WAV', () => {
    expect(() => readWav(Buffer.from('hello world, not a wav at all'))).toThrow(WavError);
    const gsm = tmp.file('gsm.wav');
    sox('-n', '-r', '8000', '-c', '1', '-e', 'gsm-full-rate', gsm, 'synth', '0.1', 'sine', '440');
    expect(() => readWav(readFileSync(gsm))).toThrow(/unsupported/);
    expect(() => readWav(readFileSync(gsm).subarray(0, 30))).toThrow(WavError);
  });
});

describe('writeWav', () => {
  it('writes µ-law and PCM16 files that sox reads with the right format and length', () => {
    const pcm = tone([1000], 250, 10000);
    const ulaw = tmp.file('out-ulaw.wav');
    const pcm16 = tmp.file('out-pcm16.wav');
    writeFileSync(ulaw, writeWavUlaw(pcm));
    writeFileSync(pcm16, writeWavPcm16(pcm));
    const info = (f: string, opt: string) => execFileSync('soxi', [opt, f]).toString().trim();
    expect(info(ulaw, '-e')).toMatch(/u-law/i);
    expect(info(ulaw, '-r')).toBe('8000');
    expect(info(ulaw, '-c')).toBe('1');
    expect(info(ulaw, '-s')).toBe('2000');
    expect(info(pcm16, '-b')).toBe('16');
    expect(info(pcm16, '-s')).toBe('2000');
    expect(Array.from(readWav(readFileSync(pcm16)).samples)).toEqual(Array.from(pcm));
  });
});

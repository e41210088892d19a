// Resampling to 8 kHz keeps tones where they are, keeps their level, and removes what cannot be represented.
import { describe, expect, it } from 'vitest';
import { resample } from '../../../runtime/media/audio/resample.ts';
import { tone } from '../../../runtime/media/audio/tone.ts';
import { meanEnergy, toneEnergy } from './tools.ts';

describe('resample', () => {
  it.each([16000, 22050, 44100, 48000, 11025])('keeps a 1 kHz tone at 1 kHz from %i Hz', (rate) => {
    const input = tone([1000], 1000, 10000, rate);
    const out = resample(input, rate);
    expect(out.length).toBe(8000);
    const body = out.subarray(400, 7600);
    const e = meanEnergy(body);
    expect(e).toBeGreaterThan(0.9 * meanEnergy(input));
    expect(e).toBeLessThan(1.1 * meanEnergy(input));
    expect(toneEnergy(body, 1000)).toBeGreaterThan(0.95 * e);
    expect(toneEnergy(body, 1100)).toBeLessThan(0.05 * e);
  });

  it('filters out a tone above the 4 kHz Nyquist frequency instead of aliasing it', () => {
    // 7 kHz at 44.1 kHz would alias to 1 kHz at 8 kHz without the low-pass.
    const out = resample(tone([7000], 500, 10000, 44100), 44100).subarray(200, 3800);
    expect(meanEnergy(out)).toBeLessThan(0.001 * ((10000 * 10000) / 2));
  });

  it('returns the input when the rate is already 8 kHz', () => {
    const input = tone([500], 100);
    expect(resample(input, 8000)).toBe(input);
  });
});

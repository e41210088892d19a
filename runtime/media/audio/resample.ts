// Sample-rate conversion to telephone rate: band-limited (windowed-sinc) interpolation for any rate ratio.
//
// Each output sample is the sum of input samples weighted by a Blackman-windowed sinc whose cutoff is 0.92 of
// the lower Nyquist frequency (3.68 kHz when going to 8 kHz), so downsampling filters aliases first. The kernel
// is tabulated once (256 points per zero crossing, linear interpolation between) and the weights are normalised
// per output sample, which keeps DC gain exactly 1. Cost: about 2 * ZEROS * ratio multiply-adds per output
// sample (about 90 for 44.1 kHz -> 8 kHz); prompts are converted once and cached, so this is not on a hot path.

export const TELEPHONE_RATE = 8000;

const ZEROS = 8;
const TABLE_RES = 256;
const CUTOFF = 0.92;
const KERNEL = buildKernel();

function buildKernel(): Float64Array {
  const n = ZEROS * TABLE_RES + 2;
  const table = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = i / TABLE_RES;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w =
      x >= ZEROS
        ? 0
        : 0.42 + 0.5 * Math.cos((Math.PI * x) / ZEROS) + 0.08 * Math.cos((2 * Math.PI * x) / ZEROS);
    table[i] = sinc * w;
  }
  return table;
}

function kernelAt(x: number): number {
  const pos = Math.abs(x) * TABLE_RES;
  const i = Math.floor(pos);
  if (i >= KERNEL.length - 1) return 0;
  const frac = pos - i;
  return KERNEL[i] + (KERNEL[i + 1] - KERNEL[i]) * frac;
}

/** Converts mono PCM from `fromRate` to `toRate` (default 8 kHz). Returns the input itself when rates match. */
export function resample(input: Int16Array, fromRate: number, toRate = TELEPHONE_RATE): Int16Array {
  if (fromRate === toRate || input.length === 0) return input;
  const step = fromRate / toRate;
  // Cutoff relative to the input rate's Nyquist: below 1 when downsampling.
  const scale = Math.min(1, toRate / fromRate) * CUTOFF;
  const reach = ZEROS / scale;
  const outLength = Math.floor((input.length * toRate) / fromRate);
  const out = new Int16Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const t = n * step;
    const first = Math.max(0, Math.ceil(t - reach));
    const last = Math.min(input.length - 1, Math.floor(t + reach));
    let acc = 0;
    let norm = 0;
    for (let i = first; i <= last; i++) {
      const w = kernelAt((i - t) * scale);
      acc += input[i] * w;
      norm += w;
    }
    const v = norm > 0 ? acc / norm : 0;
    out[n] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
  }
  return out;
}

// In-band DTMF detection: Goertzel filters on the eight DTMF frequencies over 20 ms frames of 8 kHz PCM.
//
// A frame holds a key when (1) the strongest row and column tones are both above an absolute level, (2) each is
// at least 6 dB above every other tone of its group, (3) the twist (column vs row level) is within +8/-4 dB, and
// (4) the two tones carry most of the frame's energy (speech spreads its energy; a DTMF pair does not). A key is
// reported once, after it held for MIN_FRAMES consecutive frames (40 ms), and again only after GAP_FRAMES
// frames without it (40 ms) or a different key.
import { DTMF_COLS, DTMF_KEYS, DTMF_ROWS } from './tone.ts';
import { TELEPHONE_RATE } from './resample.ts';

export const FRAME_SAMPLES = 160;
const MIN_FRAMES = 2;
const GAP_FRAMES = 2;
/** Per-tone energy per sample below this is noise (about -40 dBm0 for a sine). */
const MIN_TONE_POWER = 80 * 80;
const GROUP_DOMINANCE = 4; // 6 dB in power
const TWIST_NORMAL = 6.3; // column may be 8 dB stronger than row
const TWIST_REVERSE = 2.5; // row may be 4 dB stronger than column
const PURITY = 0.75;

const FREQS = [...DTMF_ROWS, ...DTMF_COLS];

function coefficients(rate: number): Float64Array {
  return Float64Array.from(FREQS, (f) => 2 * Math.cos((2 * Math.PI * f) / rate));
}

/**
 * Energy per sample of `pcm` at `hz` (single-bin Goertzel): a sine of amplitude A at `hz` gives about A²/2, so
 * comparing it with the frame's mean energy tells how much of the frame is that tone. Frequencies on the bin
 * grid of the frame (multiples of 50 Hz for 160 samples at 8 kHz) do not leak into each other.
 */
export function toneLevel(pcm: Int16Array, hz: number, rate = TELEPHONE_RATE): number {
  const n = pcm.length;
  if (n === 0) return 0;
  const c = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = pcm[i] + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return ((s1 * s1 + s2 * s2 - c * s1 * s2) * 2) / n / n;
}

export class DtmfDetector {
  private readonly coeffs: Float64Array;
  private readonly powers = new Float64Array(8);
  private candidate: string | null = null;
  private count = 0;
  private reported: string | null = null;

  /** `onDigit` is called once per detected key press. */
  constructor(
    private readonly onDigit: (digit: string) => void,
    rate = TELEPHONE_RATE,
  ) {
    this.coeffs = coefficients(rate);
  }

  /** Feeds one frame (any length; 160 samples = 20 ms is what the engine sends). */
  frame(pcm: Int16Array): void {
    this.step(this.classify(pcm));
  }

  /** Feeds a whole buffer cut into 20 ms frames (tests, files). */
  feed(pcm: Int16Array): void {
    for (let at = 0; at + FRAME_SAMPLES <= pcm.length; at += FRAME_SAMPLES) {
      this.frame(pcm.subarray(at, at + FRAME_SAMPLES));
    }
  }

  private step(key: string | null): void {
    if (key === this.candidate) this.count++;
    else {
      this.candidate = key;
      this.count = 1;
    }
    if (key === null) {
      if (this.count >= GAP_FRAMES) this.reported = null;
      return;
    }
    if (this.count >= MIN_FRAMES && key !== this.reported) {
      this.reported = key;
      this.onDigit(key);
    }
  }

  /** The key this frame holds, or null. */
  classify(pcm: Int16Array): string | null {
    const n = pcm.length;
    if (n === 0) return null;
    let energy = 0;
    for (let i = 0; i < n; i++) energy += pcm[i] * pcm[i];
    for (let k = 0; k < 8; k++) {
      const c = this.coeffs[k];
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const s0 = pcm[i] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
      }
      // 2|X|^2/N is the energy a sine at this frequency contributes to the frame.
      this.powers[k] = ((s1 * s1 + s2 * s2 - c * s1 * s2) * 2) / n;
    }
    const row = strongest(this.powers, 0);
    const col = strongest(this.powers, 4);
    const pr = this.powers[row];
    const pc = this.powers[col];
    if (pr / n < MIN_TONE_POWER || pc / n < MIN_TONE_POWER) return null;
    if (!dominates(this.powers, row, 0) || !dominates(this.powers, col, 4)) return null;
    if (pc > pr * TWIST_NORMAL || pr > pc * TWIST_REVERSE) return null;
    if (pr + pc < PURITY * energy) return null;
    return DTMF_KEYS[row][col - 4];
  }
}

function strongest(p: Float64Array, from: number): number {
  let best = from;
  for (let k = from + 1; k < from + 4; k++) if (p[k] > p[best]) best = k;
  return best;
}

function dominates(p: Float64Array, k: number, from: number): boolean {
  for (let j = from; j < from + 4; j++) if (j !== k && p[j] * GROUP_DOMINANCE > p[k]) return false;
  return true;
}

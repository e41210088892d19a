// Tone generation at 8 kHz: DTMF digits, the record beep, the fallback music on hold.
import { TELEPHONE_RATE } from './resample.ts';

export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLS = [1209, 1336, 1477, 1633] as const;
export const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** The row and column frequencies of a DTMF key, or undefined for anything else. */
export function dtmfFrequencies(digit: string): [number, number] | undefined {
  const key = digit.toUpperCase();
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYS[r].indexOf(key);
    if (c >= 0 && key.length === 1) return [DTMF_ROWS[r], DTMF_COLS[c]];
  }
  return undefined;
}

/** Sum of sines, each at `amplitude` (of 32767), with 5 ms ramps so the edges do not click. */
export function tone(
  freqs: readonly number[],
  ms: number,
  amplitude = 8000,
  rate = TELEPHONE_RATE,
): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const ramp = Math.min(Math.round(rate / 200), Math.floor(n / 2));
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const f of freqs) v += Math.sin((2 * Math.PI * f * i) / rate);
    const edge = ramp > 0 ? Math.min(1, i / ramp, (n - 1 - i) / ramp) : 1;
    out[i] = Math.round(v * amplitude * edge);
  }
  return out;
}

export function silence(ms: number, rate = TELEPHONE_RATE): Int16Array {
  return new Int16Array(Math.round((ms * rate) / 1000));
}

export function concat(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One DTMF key as audio (-10 dBm0-ish per tone); throws on a non-DTMF character. */
export function dtmfTone(digit: string, ms = 100): Int16Array {
  const freqs = dtmfFrequencies(digit);
  if (!freqs) throw new Error(`not a DTMF digit: ${JSON.stringify(digit)}`);
  return tone(freqs, ms, 7000);
}

/** The beep before a recording: 1 kHz, 200 ms. */
export function beep(): Int16Array {
  return tone([1000], 200, 8000);
}

let holdMusic: Int16Array | undefined;

/** Music on hold when no `moh.wav` exists: a soft four-note phrase with a pause (4 s loop), made once. */
export function generatedHoldMusic(): Int16Array {
  if (!holdMusic) {
    const parts: Int16Array[] = [];
    for (const f of [523, 659, 784, 659]) parts.push(tone([f, f * 2], 400, 2000), silence(100));
    parts.push(silence(2000));
    holdMusic = concat(parts);
  }
  return holdMusic;
}

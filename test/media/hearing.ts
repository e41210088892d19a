// What a peer heard, decided from the audio itself: Goertzel levels of each test tone, 20 ms frame by frame.
import { toneLevel } from '../../runtime/media/audio/goertzel.ts';

const FRAME = 160;
/** Audio received right after a change may still be the old one (bridge queue, jitter buffer): skip 300 ms. */
const SETTLE = 2400;
/** One look: 500 ms of audio. */
const WINDOW = 4000;
const STRIDE = 800;
/** A tone is in a frame when it holds this share of the frame's energy... */
const SHARE = 0.08;
/** ...and is louder than about -50 dBFS (G.711 silence and quantisation noise stay below). */
const FLOOR = 100 * 100;

/** A peer whose received audio the cases can read (8 kHz PCM, growing as the call goes on). */
export interface Listener {
  heard(): Int16Array;
}

/** The share of 20 ms frames of `pcm` in which `hz` is present. */
export function presence(pcm: Int16Array, hz: number): number {
  let frames = 0;
  let hits = 0;
  for (let at = 0; at + FRAME <= pcm.length; at += FRAME) {
    const frame = pcm.subarray(at, at + FRAME);
    let energy = 0;
    for (let i = 0; i < FRAME; i++) energy += frame[i] * frame[i];
    energy /= FRAME;
    const level = toneLevel(frame, hz);
    frames++;
    if (level >= FLOOR / 2 && level >= SHARE * energy) hits++;
  }
  return frames ? hits / frames : 0;
}

function describe(pcm: Int16Array, tones: number[]): string {
  return tones.map((hz) => `${hz} Hz in ${Math.round(presence(pcm, hz) * 100)}% of frames`).join(', ');
}

/**
 * Waits (up to `ms`) for half a second of audio, received from now on, in which every tone of `hears` is
 * present in most frames; then every tone of `not` must be absent from that same window. Returns where the
 * window ended (a mark for expectSilentSince).
 */
export async function expectHearing(
  who: string,
  peer: Listener,
  hears: number[],
  not: number[] = [],
  ms = 10_000,
): Promise<number> {
  let from = peer.heard().length + SETTLE;
  const deadline = Date.now() + ms;
  let last: Int16Array = new Int16Array(0);
  for (;;) {
    const pcm = peer.heard();
    while (from + WINDOW <= pcm.length) {
      last = pcm.subarray(from, from + WINDOW);
      if (hears.every((hz) => presence(last, hz) >= 0.6)) {
        const leaked = not.filter((hz) => presence(last, hz) > 0.04);
        if (leaked.length > 0) {
          throw new Error(`${who} heard ${leaked.join(', ')} Hz: ${describe(last, [...hears, ...not])}`);
        }
        return from + WINDOW;
      }
      from += STRIDE;
    }
    if (Date.now() > deadline) {
      const what = last.length ? describe(last, [...hears, ...not]) : `only ${pcm.length} samples arrived`;
      throw new Error(`${who} did not hear ${hears.join(' + ')} Hz: ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asserts that none of `tones` is in what `peer` received after `mark` (plus the settling time). */
export function expectSilentSince(who: string, peer: Listener, mark: number, tones: number[]): void {
  const pcm = peer.heard().subarray(mark + SETTLE);
  const leaked = tones.filter((hz) => presence(pcm, hz) > 0.04);
  if (leaked.length > 0) throw new Error(`${who} heard ${leaked.join(', ')} Hz: ${describe(pcm, tones)}`);
}

// What a test peer heard, decided from the audio itself: how much of it was a given tone.
import { toneLevel } from '../../runtime/media/audio/goertzel.ts';

const FRAME = 160;

/**
 * The share (0..1) of 20 ms frames in the last `lastMs` of `pcm` (all of it by default) in which `hz` carries at
 * least `part` of the frame's energy (a third by default; lower when several tones are mixed); silent frames
 * count as not hearing it.
 */
export function toneShare(pcm: Int16Array, hz: number, lastMs?: number, part = 1 / 3): number {
  const from = lastMs === undefined ? 0 : Math.max(0, pcm.length - lastMs * 8);
  let frames = 0;
  let hits = 0;
  for (let at = from; at + FRAME <= pcm.length; at += FRAME) {
    const frame = pcm.subarray(at, at + FRAME);
    let energy = 0;
    for (const s of frame) energy += s * s;
    energy /= FRAME;
    frames++;
    if (energy > 1e4 && toneLevel(frame, hz) > energy * part) hits++;
  }
  return frames === 0 ? 0 : hits / frames;
}

/** The mean energy per sample of the last `lastMs` of `pcm` (0 = silence). */
export function loudness(pcm: Int16Array, lastMs: number): number {
  const part = pcm.subarray(Math.max(0, pcm.length - lastMs * 8));
  let energy = 0;
  for (const s of part) energy += s * s;
  return part.length === 0 ? 0 : energy / part.length;
}

// Encoded payload frames: each PCM prompt is G.711-encoded once per law and cut into 20 ms frames by reference.
import { encode, SILENCE_CODE, type G711Law } from '../../audio/g711.ts';

export const FRAME_SAMPLES = 160;

/** Keyed by the PCM array itself: the prompt and TTS caches hand out one instance per content, so entries
 * disappear with the PCM when those caches evict it. */
const encoded = new WeakMap<Int16Array, Partial<Record<G711Law, Buffer>>>();

/** The whole prompt encoded in `law`, padded with silence to a whole number of frames. */
export function encodedFrames(pcm: Int16Array, law: G711Law): Buffer {
  let entry = encoded.get(pcm);
  if (!entry) {
    entry = {};
    encoded.set(pcm, entry);
  }
  let buf = entry[law];
  if (!buf) {
    const frames = Math.ceil(pcm.length / FRAME_SAMPLES);
    buf = Buffer.alloc(frames * FRAME_SAMPLES, SILENCE_CODE[law]);
    encode(law, pcm, buf);
    entry[law] = buf;
  }
  return buf;
}

/** A cursor over encoded frames, optionally looping (music on hold). */
export class FrameCursor {
  private at = 0;

  constructor(
    private readonly pcm: Int16Array,
    private readonly loop = false,
  ) {}

  get finished(): boolean {
    return !this.loop && this.at >= this.pcm.length;
  }

  /** The next 20 ms payload (a view, no copy), or undefined at the end. */
  next(law: G711Law): Buffer | undefined {
    const buf = encodedFrames(this.pcm, law);
    if (this.at >= buf.length) {
      if (!this.loop || buf.length === 0) return undefined;
      this.at = 0;
    }
    const frame = buf.subarray(this.at, this.at + FRAME_SAMPLES);
    this.at += FRAME_SAMPLES;
    return frame;
  }
}

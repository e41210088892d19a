// Received audio waiting for the media clock: decoded to 8 kHz PCM, taken out one 20 ms frame per tick.
import { decodeSample, type G711Law } from '../../audio/g711.ts';
import { FRAME_SAMPLES } from './frames.ts';

/**
 * A small jitter buffer for conference members and mixed recordings. Packets arrive on the network's schedule
 * and the clock ticks on its own, so a frame is handed out only once `primeFrames` have queued up (one spare
 * frame absorbs the phase difference); running dry un-primes it, and while it is not primed it gives nothing
 * (the member contributes silence). When full, the oldest samples go, which bounds the added latency.
 */
export class SampleFifo {
  private readonly ring: Int16Array;
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private read = 0;
  private count = 0;
  private primed = false;

  constructor(
    capacityFrames = 8,
    private readonly primeFrames = 2,
  ) {
    this.ring = new Int16Array(capacityFrames * FRAME_SAMPLES);
  }

  /** Samples waiting. */
  get size(): number {
    return this.count;
  }

  /** Appends a received G.711 payload (any length). */
  push(payload: Uint8Array, law: G711Law): void {
    const cap = this.ring.length;
    const n = Math.min(payload.length, cap);
    const from = payload.length - n;
    const overflow = this.count + n - cap;
    if (overflow > 0) {
      this.read = (this.read + overflow) % cap;
      this.count -= overflow;
    }
    let at = (this.read + this.count) % cap;
    for (let i = from; i < payload.length; i++) {
      this.ring[at] = decodeSample(law, payload[i]);
      if (++at === cap) at = 0;
    }
    this.count += n;
  }

  /** The next 20 ms frame (a reused array, valid until the next call), or undefined when there is none. */
  take(): Int16Array | undefined {
    if (!this.primed) {
      if (this.count < this.primeFrames * FRAME_SAMPLES) return undefined;
      this.primed = true;
    }
    if (this.count < FRAME_SAMPLES) {
      this.primed = false;
      return undefined;
    }
    const cap = this.ring.length;
    const first = Math.min(FRAME_SAMPLES, cap - this.read);
    this.frame.set(this.ring.subarray(this.read, this.read + first));
    if (first < FRAME_SAMPLES) this.frame.set(this.ring.subarray(0, FRAME_SAMPLES - first), first);
    this.read = (this.read + FRAME_SAMPLES) % cap;
    this.count -= FRAME_SAMPLES;
    return this.frame;
  }

  clear(): void {
    this.read = 0;
    this.count = 0;
    this.primed = false;
  }
}

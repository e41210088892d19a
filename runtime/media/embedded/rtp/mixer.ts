// Conference mixing on the shared media clock: one frame per member per tick, summed as 16-bit linear audio
// with saturation; each member hears what it may hear except itself, encoded in its own law (PCMU or PCMA).
import { encode, type G711Law } from '../../audio/g711.ts';
import type { ClockParticipant, MediaClock } from './clock.ts';
import { SampleFifo } from './fifo.ts';
import { FRAME_SAMPLES } from './frames.ts';

/** How a member takes part (the contract's ConferenceMode). */
export type MixMode = 'speak' | 'listen' | 'whisper';

const saturate = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);

/** One member of a mix: its session pushes what the remote says and sends what `frame` gives each tick. */
export class MixerPort {
  mode: MixMode = 'speak';
  /** For `whisper`: the one port that hears this one. */
  to: MixerPort | undefined;
  /** What the remote says, waiting for the next tick. */
  readonly input = new SampleFifo();
  /** This tick's frame from the remote (undefined: silence). */
  current: Int16Array | undefined;
  /** What this member hears this tick; the mixer's common frame or `own`. */
  heard: Int16Array;
  readonly own = new Int16Array(FRAME_SAMPLES);
  /** Whispers addressed to this member this tick (sum), when `whispered`. */
  whispers: Int32Array | undefined;
  whispered = false;
  private readonly encoded = new Uint8Array(FRAME_SAMPLES);

  constructor(readonly mixer: Mixer) {
    this.heard = mixer.common;
  }

  /** What the member hears this tick, encoded in `law` (a reused buffer: send or copy it before the next tick). */
  frame(law: G711Law): Uint8Array {
    if (this.heard === this.mixer.common) return this.mixer.commonIn(law);
    return encode(law, this.heard, this.encoded);
  }
}

/**
 * The mix runs in the clock's first phase, before any session sends, so every member sends this tick's mix.
 * Cost per tick is linear in members: one pass to sum the speakers, one pass per member that must hear
 * something other than the common mix (a speaker with audio this tick hears the sum without itself; a whisper's
 * target hears it added). Listeners and silent members share the common mix, encoded once per law.
 */
export class Mixer implements ClockParticipant {
  readonly common = new Int16Array(FRAME_SAMPLES);
  private readonly ports = new Set<MixerPort>();
  private readonly sum = new Int32Array(FRAME_SAMPLES);
  private readonly commonEncoded: Record<G711Law, Uint8Array> = {
    ulaw: new Uint8Array(FRAME_SAMPLES),
    alaw: new Uint8Array(FRAME_SAMPLES),
  };
  private readonly commonFresh: Record<G711Law, boolean> = { ulaw: false, alaw: false };

  constructor(readonly clock: MediaClock) {}

  get size(): number {
    return this.ports.size;
  }

  /** A new member; the mixer runs on the clock while it has members. */
  add(): MixerPort {
    const port = new MixerPort(this);
    this.ports.add(port);
    if (this.ports.size === 1) this.clock.register(this, 'first');
    return port;
  }

  remove(port: MixerPort): void {
    if (!this.ports.delete(port)) return;
    for (const p of this.ports) if (p.to === port) p.to = undefined;
    if (this.ports.size === 0) this.clock.unregister(this);
  }

  /** The common mix encoded in `law`, once per tick. */
  commonIn(law: G711Law): Uint8Array {
    if (!this.commonFresh[law]) {
      encode(law, this.common, this.commonEncoded[law]);
      this.commonFresh[law] = true;
    }
    return this.commonEncoded[law];
  }

  tick(): void {
    const sum = this.sum;
    sum.fill(0);
    this.commonFresh.ulaw = this.commonFresh.alaw = false;
    for (const p of this.ports) {
      p.current = p.input.take();
      p.whispered = false;
      if (p.current && p.mode === 'speak') for (let i = 0; i < FRAME_SAMPLES; i++) sum[i] += p.current[i];
    }
    for (const p of this.ports) if (p.mode === 'whisper' && p.current && p.to) this.whisper(p.current, p.to);
    for (let i = 0; i < FRAME_SAMPLES; i++) this.common[i] = saturate(sum[i]);
    for (const p of this.ports) this.hear(p);
  }

  private whisper(frame: Int16Array, to: MixerPort): void {
    if (!this.ports.has(to)) return;
    to.whispers ??= new Int32Array(FRAME_SAMPLES);
    if (!to.whispered) to.whispers.fill(0);
    to.whispered = true;
    for (let i = 0; i < FRAME_SAMPLES; i++) to.whispers[i] += frame[i];
  }

  private hear(p: MixerPort): void {
    const self = p.mode === 'speak' ? p.current : undefined;
    const extra = p.whispered ? p.whispers : undefined;
    if (!self && !extra) {
      p.heard = this.common;
      return;
    }
    const sum = this.sum;
    const out = p.own;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      out[i] = saturate(sum[i] - (self ? self[i] : 0) + (extra ? extra[i] : 0));
    }
    p.heard = out;
  }
}

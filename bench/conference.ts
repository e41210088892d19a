// Conference mixing bench: the cost of one 20 ms tick per member, for conferences of 3 to 200 members, measured
// on the engine's own mixer with every member sending a tone (decode into the jitter buffer, mix, encode).
// Prints µs per tick and µs per member per tick; a member's real-time budget is 20 000 µs per tick per core.
// Usage: npm run bench -- conference
import { performance } from 'node:perf_hooks';
import { encode, type G711Law } from '../runtime/media/audio/g711.ts';
import { tone } from '../runtime/media/audio/tone.ts';
import { MediaClock } from '../runtime/media/embedded/rtp/clock.ts';
import { Mixer, type MixerPort } from '../runtime/media/embedded/rtp/mixer.ts';

type Shape = 'all speak' | '2 speak, rest listen' | 'speak + whisper';

/** One 20 ms frame of a distinct tone per member, in the member's law (every third member on PCMA). */
function framesFor(count: number): { payload: Uint8Array; law: G711Law }[] {
  return Array.from({ length: count }, (_, i) => {
    const law: G711Law = i % 3 === 2 ? 'alaw' : 'ulaw';
    return { payload: encode(law, tone([300 + 50 * (i % 40)], 20, 3000)), law };
  });
}

function arrange(ports: MixerPort[], shape: Shape): void {
  ports.forEach((p, i) => {
    p.mode = shape === '2 speak, rest listen' && i >= 2 ? 'listen' : 'speak';
    if (shape === 'speak + whisper' && i % 3 === 2) {
      p.mode = 'whisper';
      p.to = ports[i - 1];
    }
  });
}

function measure(members: number, shape: Shape, ticks: number): { perTick: number; perMember: number } {
  // A clock of its own that never runs: the bench ticks the mixer by hand, synchronously.
  const mixer = new Mixer(new MediaClock());
  const ports = Array.from({ length: members }, () => mixer.add());
  arrange(ports, shape);
  const frames = framesFor(members);
  let sink = 0;
  const tick = (): void => {
    // What a member's session does per tick: its packet goes into the buffer, the mix comes out in its law.
    for (let i = 0; i < members; i++) ports[i].input.push(frames[i].payload, frames[i].law);
    mixer.tick();
    for (let i = 0; i < members; i++) sink += ports[i].frame(frames[i].law)[0];
  };
  for (let i = 0; i < 200; i++) tick(); // warm-up (and the jitter buffers prime)
  const t0 = performance.now();
  for (let i = 0; i < ticks; i++) tick();
  const us = ((performance.now() - t0) * 1000) / ticks;
  for (const p of ports) mixer.remove(p);
  if (sink === -1) console.log(sink);
  return { perTick: us, perMember: us / members };
}

const shapes: Shape[] = ['all speak', '2 speak, rest listen', 'speak + whisper'];
for (const shape of shapes) {
  for (const members of [3, 10, 50, 200]) {
    const ticks = Math.max(500, Math.round(200_000 / members));
    const { perTick, perMember } = measure(members, shape, ticks);
    console.log(
      [
        `${shape}`.padEnd(22),
        `members=${members}`.padEnd(12),
        `tick=${perTick.toFixed(1)}µs`.padEnd(16),
        `per member=${perMember.toFixed(2)}µs`.padEnd(20),
        `(${((perTick / 20_000) * 100).toFixed(2)}% of one core for this conference)`,
      ].join(' '),
    );
  }
}

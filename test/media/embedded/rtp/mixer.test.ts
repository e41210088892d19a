// Conference mixing, tick by tick: who hears whom, saturation, one frame per member per tick, PCMU and PCMA.
import { describe, expect, it } from 'vitest';
import { decode, encode, type G711Law } from '../../../../runtime/media/audio/g711.ts';
import { MediaClock } from '../../../../runtime/media/embedded/rtp/clock.ts';
import { SampleFifo } from '../../../../runtime/media/embedded/rtp/fifo.ts';
import { Mixer, type MixerPort } from '../../../../runtime/media/embedded/rtp/mixer.ts';

/** One 20 ms payload of a constant sample value, as a member's phone would send it. */
function frame(value: number, law: G711Law = 'ulaw'): Uint8Array {
  return encode(law, new Int16Array(160).fill(value));
}

/** The value every sample of `port`'s mix decodes to (they are all equal in these tests). */
function heard(port: MixerPort, law: G711Law = 'ulaw'): number {
  const pcm = decode(law, port.frame(law));
  expect(new Set(pcm).size).toBe(1);
  return pcm[0];
}

/** A decoded value that survives G.711 exactly, so sums can be compared without rounding. */
const exact = (v: number, law: G711Law = 'ulaw'): number => decode(law, frame(v, law))[0];

/**
 * The mixer is ticked by hand here: everything runs synchronously in one turn of the event loop, so the
 * clock's own timer (armed by `add`) never gets in between; `done` removes the ports and stops it.
 */
function mixerOf(count: number): { mixer: Mixer; ports: MixerPort[]; done: () => void } {
  const clock = new MediaClock();
  const mixer = new Mixer(clock);
  const ports = Array.from({ length: count }, () => mixer.add());
  return {
    mixer,
    ports,
    done: () => {
      for (const p of ports) mixer.remove(p);
      expect(clock.running).toBe(false);
    },
  };
}

/** Every port receives two frames (the jitter buffer hands out frames once two are queued). */
function feed(ports: MixerPort[], values: number[], law: G711Law = 'ulaw'): void {
  ports.forEach((p, i) => {
    p.input.push(frame(values[i], law), law);
    p.input.push(frame(values[i], law), law);
  });
}

describe('Mixer', () => {
  it('lets each speaker hear the sum of the others, never itself', () => {
    const { mixer, ports, done } = mixerOf(3);
    const [a, b, c] = [exact(1000), exact(2000), exact(-500)];
    feed(ports, [1000, 2000, -500]);
    mixer.tick();
    expect(ports.map((p) => heard(p))).toEqual([exact(b + c), exact(a + c), exact(a + b)]);
    done();
  });

  it('listen: hears every speaker and is heard by no one; whisper: heard only by its target', () => {
    const { mixer, ports, done } = mixerOf(4);
    const [customer, agent, listener, whisperer] = ports;
    listener.mode = 'listen';
    whisperer.mode = 'whisper';
    whisperer.to = agent;
    feed(ports, [1000, 2000, 3000, 500]);
    mixer.tick();
    const [c, a, w] = [exact(1000), exact(2000), exact(500)];
    expect(heard(customer)).toBe(exact(a));
    expect(heard(agent)).toBe(exact(c + w));
    expect(heard(listener)).toBe(exact(c + a));
    expect(heard(whisperer)).toBe(exact(c + a));
    done();
  });

  it.each([
    [30000, 32767],
    [-30000, -32768],
  ])('saturates the 16-bit sum instead of wrapping around (two members at %i)', (value, limit) => {
    const { mixer, ports, done } = mixerOf(3);
    feed(ports, [value, value, 0]);
    mixer.tick();
    expect(heard(ports[2])).toBe(exact(limit));
    done();
  });

  it('takes at most one frame per member per tick; a member whose packets stop adds silence', () => {
    const { mixer, ports, done } = mixerOf(2);
    for (let i = 0; i < 4; i++) ports[0].input.push(frame(1000), 'ulaw');
    mixer.tick();
    expect(ports[0].input.size).toBe(3 * 160);
    expect(heard(ports[1])).toBe(exact(1000));
    mixer.tick();
    mixer.tick();
    mixer.tick();
    expect(ports[0].input.size).toBe(0);
    mixer.tick();
    expect(heard(ports[1])).toBe(0);
    done();
  });

  it('mixes members of both laws and encodes each in its own', () => {
    const { mixer, ports, done } = mixerOf(3);
    const [u, a] = [exact(1200, 'ulaw'), exact(-800, 'alaw')];
    ports[0].input.push(frame(1200, 'ulaw'), 'ulaw');
    ports[0].input.push(frame(1200, 'ulaw'), 'ulaw');
    ports[1].input.push(frame(-800, 'alaw'), 'alaw');
    ports[1].input.push(frame(-800, 'alaw'), 'alaw');
    mixer.tick();
    expect(heard(ports[2], 'alaw')).toBe(exact(u + a, 'alaw'));
    expect(heard(ports[1], 'alaw')).toBe(exact(u, 'alaw'));
    expect(heard(ports[0], 'ulaw')).toBe(exact(a, 'ulaw'));
    done();
  });

  it('forgets a removed whisper target and runs on the clock only while it has members', () => {
    const { mixer, ports, done } = mixerOf(2);
    ports[1].mode = 'whisper';
    ports[1].to = ports[0];
    mixer.remove(ports[0]);
    expect(ports[1].to).toBeUndefined();
    expect(mixer.size).toBe(1);
    done();
  });
});

describe('SampleFifo', () => {
  it('hands out frames once two are queued, un-primes when dry, drops the oldest when full', () => {
    const fifo = new SampleFifo(4, 2);
    fifo.push(frame(100), 'ulaw');
    expect(fifo.take()).toBeUndefined();
    fifo.push(frame(200), 'ulaw');
    expect(fifo.take()?.[0]).toBe(exact(100));
    expect(fifo.take()?.[0]).toBe(exact(200));
    expect(fifo.take()).toBeUndefined();
    for (const v of [1, 2, 3, 4, 5, 6]) fifo.push(frame(v * 100), 'ulaw');
    expect(fifo.size).toBe(4 * 160);
    expect(fifo.take()?.[0]).toBe(exact(300));
    // A payload that is not a whole frame (30 ms packets) is cut across frames.
    fifo.clear();
    fifo.push(encode('ulaw', new Int16Array(240).fill(700)), 'ulaw');
    fifo.push(encode('ulaw', new Int16Array(240).fill(-700)), 'ulaw');
    const first = Array.from(fifo.take()!);
    const second = Array.from(fifo.take()!);
    expect(first.every((v) => v === exact(700))).toBe(true);
    expect(second.slice(0, 80).every((v) => v === exact(700))).toBe(true);
    expect(second.slice(80).every((v) => v === exact(-700))).toBe(true);
  });
});

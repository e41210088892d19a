// The shared media clock: one timer for all participants, running only while someone is registered.
import { describe, expect, it } from 'vitest';
import { MediaClock } from '../../../../runtime/media/embedded/rtp/clock.ts';

describe('MediaClock', () => {
  it('ticks every participant once per period and stops when the last one leaves', async () => {
    const clock = new MediaClock();
    const counts = [0, 0];
    const a = { tick: () => counts[0]++ };
    const b = { tick: () => counts[1]++ };
    expect(clock.running).toBe(false);
    clock.register(a);
    clock.register(b);
    expect(clock.size).toBe(2);
    await clock.waitTicks(5);
    expect(counts[0]).toBeGreaterThanOrEqual(5);
    expect(counts[1]).toBe(counts[0]);
    clock.unregister(a);
    await clock.waitTicks(3);
    expect(counts[1]).toBeGreaterThanOrEqual(counts[0] + 3);
    clock.unregister(b);
    expect(clock.size).toBe(0);
    expect(clock.running).toBe(false);
    const s = clock.stats();
    expect(s.ticks).toBeGreaterThanOrEqual(8);
    expect(s.lateP50).toBeGreaterThanOrEqual(0);
    expect(s.lateMax).toBeGreaterThanOrEqual(s.lateP99);
  });

  it('spreads senders over the four slots of a tick, each new one in the emptiest, mixers first', async () => {
    const clock = new MediaClock();
    const log: string[] = [];
    const p = (name: string) => ({ tick: () => log.push(name) });
    const senders = 'abcdefgh'.split('').map(p);
    const mixer = p('mix');
    for (const x of senders) clock.register(x);
    clock.register(mixer, 'first');
    /** The first whole tick logged from `from` on: from one 'mix' up to the next (catch-ups may run several). */
    const wholeTick = async (from: number) => {
      await clock.waitTicks(3);
      const mixes = log.flatMap((name, i) => (name === 'mix' && i >= from ? [i] : []));
      return log.slice(mixes[0], mixes[1]);
    };
    // Slot 0 holds a and e, slot 1 b and f…; the mixer runs before slot 0.
    expect(await wholeTick(0)).toEqual(['mix', 'a', 'e', 'b', 'f', 'c', 'g', 'd', 'h']);
    // b leaves slot 1: the next sender to come fills it.
    clock.unregister(senders[1]);
    const i = p('i');
    clock.register(i);
    expect(await wholeTick(log.length)).toEqual(['mix', 'a', 'e', 'f', 'i', 'c', 'g', 'd', 'h']);
    for (const x of [...senders, i, mixer]) clock.unregister(x);
    expect(clock.size).toBe(0);
    expect(clock.running).toBe(false);
  });

  it('keeps ticking the others when one participant throws', async () => {
    const clock = new MediaClock();
    let good = 0;
    const bad = {
      tick: () => {
        throw new Error('boom');
      },
    };
    const ok = { tick: () => good++ };
    clock.register(bad);
    clock.register(ok);
    await clock.waitTicks(3);
    expect(good).toBeGreaterThanOrEqual(3);
    expect(clock.stats().errors).toBeGreaterThanOrEqual(3);
    clock.unregister(bad);
    clock.unregister(ok);
  });

  it("runs 'first' participants (mixers) before the senders of the same tick, whenever they registered", async () => {
    const clock = new MediaClock();
    const order: string[] = [];
    const sender = { tick: () => order.push('send') };
    const mixer = { tick: () => order.push('mix') };
    clock.register(sender);
    clock.register(mixer, 'first');
    expect(clock.size).toBe(2);
    await clock.waitTicks(3);
    clock.unregister(mixer);
    clock.unregister(sender);
    expect(clock.running).toBe(false);
    expect(order.length).toBeGreaterThanOrEqual(6);
    for (let i = 0; i + 1 < order.length; i += 2) expect(order.slice(i, i + 2)).toEqual(['mix', 'send']);
  });

  it('catches up missed ticks after the event loop stalls, without drifting', async () => {
    const clock = new MediaClock();
    let ticks = 0;
    const p = { tick: () => ticks++ };
    clock.register(p);
    const started = performance.now();
    await clock.waitTicks(1);
    const base = ticks;
    const t0 = performance.now();
    while (performance.now() - t0 < 70) {
      // Block the event loop for 70 ms: 3 ticks are due meanwhile.
    }
    await clock.waitTicks(2);
    const elapsed = performance.now() - started;
    const { skipped } = clock.stats();
    clock.unregister(p);
    // Ticks track elapsed time instead of losing the stalled ones; only stalls over 100 ms (a loaded machine)
    // are skipped rather than burst, and those are counted.
    expect(ticks - base).toBeGreaterThanOrEqual(3);
    expect(Math.abs(ticks + skipped - elapsed / 20)).toBeLessThanOrEqual(2);
  });

  it('keeps media time from jumping over a long stall: at most 5 ticks are caught up', async () => {
    const clock = new MediaClock();
    const p = { tick: () => undefined };
    clock.register(p);
    await clock.waitTicks(1);
    const before = clock.timeMs;
    const t0 = performance.now();
    while (performance.now() - t0 < 400) {
      // Block the event loop for 400 ms: 20 ticks are due meanwhile.
    }
    await clock.waitTicks(1);
    const after = clock.timeMs;
    clock.unregister(p);
    expect(after - before).toBeGreaterThanOrEqual(clock.periodMs);
    expect(after - before).toBeLessThanOrEqual(5 * clock.periodMs);
    expect(clock.stats().skipped).toBeGreaterThan(0);
  });
});

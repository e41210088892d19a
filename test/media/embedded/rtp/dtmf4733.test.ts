// RFC 4733 events: one digit per event however many packets repeat it, and the packet train a sender produces.
import { describe, expect, it } from 'vitest';
import {
  END_REPEATS,
  parseTelephoneEvent,
  SEND_GAP_TICKS,
  SEND_TONE_TICKS,
  TelephoneEventReceiver,
  TelephoneEventSender,
  writeTelephoneEvent,
} from '../../../../runtime/media/embedded/rtp/dtmf4733.ts';

const ev = (event: number, end: boolean, duration: number) =>
  writeTelephoneEvent(new Uint8Array(4), { event, end, volume: 10, duration });

describe('TelephoneEventReceiver', () => {
  it('reports each event once at its first packet, ignoring updates and repeated ends', () => {
    const rx = new TelephoneEventReceiver();
    const got: (string | undefined)[] = [];
    got.push(rx.receive(1000, ev(1, false, 160)));
    for (let d = 320; d <= 800; d += 160) got.push(rx.receive(1000, ev(1, false, d)));
    for (let i = 0; i < 6; i++) got.push(rx.receive(1000, ev(1, true, 800)));
    expect(got.filter(Boolean)).toEqual(['1']);
  });

  it('reports an event whose start packets were lost, and the same key again as a new event', () => {
    const rx = new TelephoneEventReceiver();
    expect(rx.receive(5000, ev(11, true, 800))).toBe('#');
    expect(rx.receive(5000, ev(11, true, 800))).toBeUndefined();
    expect(rx.receive(6000, ev(11, false, 160))).toBe('#');
    expect(rx.receive(7000, ev(10, false, 160))).toBe('*');
    expect(rx.receive(8000, ev(12, false, 160))).toBe('A');
    expect(rx.receive(9000, ev(200, false, 160))).toBeUndefined();
    expect(rx.receive(9100, new Uint8Array(2))).toBeUndefined();
  });
});

describe('TelephoneEventSender', () => {
  it('sends tone packets, three end packets and a gap per digit, all with the event start timestamp', async () => {
    const tx = new TelephoneEventSender();
    let resolved = false;
    const done = tx.enqueue('7#').then(() => (resolved = true));
    const out = new Uint8Array(4);
    const train: { marker: boolean; ts: number; end: boolean; event: number; duration: number }[] = [];
    let ts = 10_000;
    for (let i = 0; i < 2 * (SEND_TONE_TICKS + END_REPEATS + SEND_GAP_TICKS); i++, ts += 160) {
      const r = tx.next(ts, out);
      expect(r).not.toBeUndefined();
      if (r) train.push({ marker: r.marker, ts: r.timestamp, ...parseTelephoneEvent(out)! });
    }
    expect(tx.next(ts, out)).toBeUndefined();
    await done;
    expect(resolved).toBe(true);
    expect(train).toHaveLength(2 * (SEND_TONE_TICKS + END_REPEATS));
    const first = train.slice(0, SEND_TONE_TICKS + END_REPEATS);
    expect(first.map((p) => p.marker)).toEqual([
      true,
      ...Array(SEND_TONE_TICKS + END_REPEATS - 1).fill(false),
    ]);
    expect(new Set(first.map((p) => p.ts))).toEqual(new Set([10_000]));
    expect(first.map((p) => p.end).filter(Boolean)).toHaveLength(END_REPEATS);
    expect(first.every((p) => p.event === 7)).toBe(true);
    expect(first.at(-1)!.duration).toBe(SEND_TONE_TICKS * 160);
    expect(train[SEND_TONE_TICKS + END_REPEATS].event).toBe(11);
    expect(train[SEND_TONE_TICKS + END_REPEATS].ts).toBe(
      10_000 + (SEND_TONE_TICKS + END_REPEATS + SEND_GAP_TICKS) * 160,
    );
  });

  it('rejects characters that are not DTMF keys', () => {
    expect(() => new TelephoneEventSender().enqueue('1x')).toThrow(/DTMF/);
  });
});

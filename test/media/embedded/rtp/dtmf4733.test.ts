// RFC 4733 events: one digit per event however many packets repeat it, and the packet train a sender produces.
import { describe, expect, it } from 'vitest';
import {
  END_REPEATS,
  EVENT_MEMORY_MS,
  parseTelephoneEvent,
  SEND_GAP_TICKS,
  SEND_TONE_TICKS,
  TelephoneEventReceiver,
  TelephoneEventSender,
  writeTelephoneEvent,
} from '../../../../runtime/media/embedded/rtp/dtmf4733.ts';
import { parseRtp } from '../../../../runtime/media/embedded/rtp/packet.ts';
import { udpDatagrams } from './pcap.ts';

const ev = (event: number, end: boolean, duration: number) =>
  writeTelephoneEvent(new Uint8Array(4), { event, end, volume: 10, duration });

/** One event packet as it reaches the receiver: RTP timestamp, key, marker, and arrival in media ms. */
interface Arrival {
  ts: number;
  code: number;
  duration: number;
  at: number;
  end?: boolean;
  marker?: boolean;
}

/** Feeds the arrivals in order and returns the digits reported. */
function heard(arrivals: readonly Arrival[], rx = new TelephoneEventReceiver()): string {
  let digits = '';
  for (const a of arrivals) {
    const payload = ev(a.code, a.end ?? false, a.duration);
    digits += rx.receive({ timestamp: a.ts, marker: a.marker ?? false, payload }, a.at) ?? '';
  }
  return digits;
}

/** A sender's packets for one key press from `at`: marker start, updates every 20 ms, three end packets. */
function press(ts: number, code: number, at: number, updates = 5): Arrival[] {
  const out: Arrival[] = [];
  for (let i = 0; i < updates; i++) {
    out.push({ ts, code, duration: (i + 1) * 160, marker: i === 0, at: at + i * 20 });
  }
  for (let i = 0; i < END_REPEATS; i++) {
    out.push({ ts, code, duration: updates * 160, end: true, at: at + updates * 20 });
  }
  return out;
}

const SIPP = '/usr/share/sip-tester';
const STOCK_NAMES: Record<string, string> = { '#': 'pound', '*': 'star' };

/** sipp's stock capture of `key`, unchanged, as RTP packets with their capture times. */
function stockCapture(key: string) {
  const file = `${SIPP}/dtmf_2833_${STOCK_NAMES[key] ?? key}.pcap`;
  return udpDatagrams(file).map((d) => ({ atMs: d.atMs, packet: parseRtp(d.payload)! }));
}

/** The stock captures of `keys` sent one after the other, a key every `everyMs`: the digits reported. */
function heardStock(keys: string, everyMs: number, rx = new TelephoneEventReceiver()): string {
  let digits = '';
  [...keys].forEach((key, i) => {
    for (const { atMs, packet } of stockCapture(key)) digits += rx.receive(packet, i * everyMs + atMs) ?? '';
  });
  return digits;
}

describe('TelephoneEventReceiver', () => {
  it('reports each event once at its first packet, ignoring updates and repeated ends', () => {
    const rx = new TelephoneEventReceiver();
    const at = (i: number) => i * 20;
    const first = rx.receive({ timestamp: 1000, marker: true, payload: ev(1, false, 160) }, at(0));
    expect(first).toBe('1');
    const later: (string | undefined)[] = [];
    for (let d = 320, i = 1; d <= 800; d += 160, i++) {
      later.push(rx.receive({ timestamp: 1000, marker: false, payload: ev(1, false, d) }, at(i)));
    }
    for (let i = 0; i < 6; i++) {
      later.push(rx.receive({ timestamp: 1000, marker: false, payload: ev(1, true, 800) }, at(5 + i)));
    }
    expect(later.filter(Boolean)).toEqual([]);
  });

  it('reports an event whose start packets were lost, and ignores what is not a key', () => {
    const rx = new TelephoneEventReceiver();
    const end = (ts: number, code: number) => ({
      timestamp: ts,
      marker: false,
      payload: ev(code, true, 800),
    });
    expect(rx.receive(end(5000, 11), 0)).toBe('#');
    expect(rx.receive(end(5000, 11), 1)).toBeUndefined();
    expect(rx.receive({ timestamp: 6000, marker: false, payload: ev(11, false, 320) }, 100)).toBe('#');
    expect(rx.receive({ timestamp: 7000, marker: true, payload: ev(10, false, 160) }, 200)).toBe('*');
    expect(rx.receive({ timestamp: 8000, marker: true, payload: ev(12, false, 160) }, 300)).toBe('A');
    expect(rx.receive({ timestamp: 9000, marker: true, payload: ev(200, false, 160) }, 400)).toBeUndefined();
    expect(rx.receive({ timestamp: 9100, marker: true, payload: new Uint8Array(2) }, 500)).toBeUndefined();
  });

  describe("sipp's stock captures (one fixed timestamp per key, marker on the first packet)", () => {
    it('reads each capture as one press of its key', () => {
      for (const key of '0123456789#*') {
        const packets = stockCapture(key);
        expect(packets.length).toBeGreaterThan(3);
        expect(packets[0].packet.marker).toBe(true);
        expect(new Set(packets.map((p) => p.packet.timestamp)).size).toBe(1);
        expect(heardStock(key, 0)).toBe(key);
      }
    });

    it('hears every key of a food order once, repeats included, whatever the spacing', () => {
      const keys = '13800000000#' + '0101' + '1';
      // 160 ms: each capture starts right after the previous one's end packets (it lasts 140 ms).
      for (const everyMs of [160, 250, EVENT_MEMORY_MS, 1000]) {
        expect(heardStock(keys, everyMs), `a key every ${everyMs} ms`).toBe(keys);
      }
    });

    it('hears a replay whose first packet was lost once the last press is forgotten, not before', () => {
      const lost = (key: string, from: number) =>
        stockCapture(key)
          .slice(1)
          .map(({ atMs, packet }) => ({ at: from + atMs, packet }));
      const rx = new TelephoneEventReceiver();
      expect(heardStock('7', 0, rx)).toBe('7');
      const last = stockCapture('7').at(-1)!.atMs;
      let soon = '';
      for (const { at, packet } of lost('7', last + 100)) soon += rx.receive(packet, at) ?? '';
      expect(soon).toBe('');
      let later = '';
      const quietSince = last + 100 + stockCapture('7').at(-1)!.atMs;
      for (const { at, packet } of lost('7', quietSince + EVENT_MEMORY_MS + 20)) {
        later += rx.receive(packet, at) ?? '';
      }
      expect(later).toBe('7');
    });
  });

  it('hears the same key twice when the second press repeats the timestamp with a marker', () => {
    expect(heard([...press(17632, 0, 0), ...press(17632, 0, 120)])).toBe('00');
    // Its start packet duplicated before the end is still one press.
    const once = press(17632, 0, 0);
    once.splice(1, 0, { ...once[0], at: once[0].at + 1 });
    expect(heard(once)).toBe('0');
  });

  it('ignores repeated end packets, late ones too, while the event is remembered', () => {
    const arrivals = press(4000, 1, 0);
    const endAt = arrivals.at(-1)!.at;
    for (let i = 0; i < 6; i++) arrivals.push({ ...arrivals.at(-1)!, at: endAt + 20 * i });
    arrivals.push({ ...arrivals.at(-1)!, at: endAt + 100 + EVENT_MEMORY_MS });
    expect(heard(arrivals)).toBe('1');
  });

  it('hears a press whose start packets were lost', () => {
    const noStart = press(3000, 2, 200).slice(3);
    expect(heard([...press(1000, 1, 0), ...noStart, ...press(5000, 1, 400)])).toBe('121');
    const onlyEnds = press(3000, 2, 200).filter((a) => a.end);
    expect(heard([...press(1000, 1, 0), ...onlyEnds])).toBe('12');
  });

  it('does not take reordered packets for a new press', () => {
    const a = press(1000, 4, 0);
    // The start packet after two updates, an end packet before the last update.
    const shuffled = [a[1], a[2], a[0], a[3], a[5], a[4], a[6], a[7]];
    expect(heard(shuffled)).toBe('4');
    // A late end packet of the previous press after the next one started.
    const b = press(2000, 5, 160);
    expect(heard([...a.slice(0, 6), b[0], a[6], ...b.slice(1), a[7]])).toBe('45');
  });

  it('hears a long press (duration past 16 bits, timestamp past 2^32) once', () => {
    const start = 0xffff_8000;
    const arrivals: Arrival[] = [];
    let at = 0;
    // Updates every 50 ms (400 units at 8 kHz) up to the largest duration the field holds.
    for (let d = 400; d < 0xffff; d += 400)
      arrivals.push({ ts: start, code: 5, duration: d, marker: d === 400, at: (at += 50) });
    arrivals.push({ ts: start, code: 5, duration: 0xffff, at: (at += 50) });
    // RFC 4733 2.5.1.3: the next segment starts where that one ended, without the marker; here it wraps to 0.
    const next = (start + 0xffff) >>> 0;
    expect(next).toBeLessThan(start);
    for (let d = 400; d <= 4000; d += 400) arrivals.push({ ts: next, code: 5, duration: d, at: (at += 50) });
    for (let i = 0; i < END_REPEATS; i++) arrivals.push({ ts: next, code: 5, duration: 4000, end: true, at });
    expect(arrivals.at(-1)!.at).toBeGreaterThan(8000);
    // The next press of the same key has its own timestamp: a new press.
    expect(heard([...arrivals, ...press((next + 4800) >>> 0, 5, at + 200)])).toBe('55');
  });

  it('hears two different keys that share a timestamp as two presses', () => {
    // A sender that reuses the timestamp, with and without end packets in between.
    const late1 = { ts: 5000, code: 1, duration: 800, end: true, at: 300 };
    expect(heard([...press(5000, 1, 0), ...press(5000, 2, 200), late1])).toBe('12');
    const cut = press(5000, 1, 0).slice(0, 3);
    expect(heard([...cut, ...press(5000, 2, 60)])).toBe('12');
  });

  it('hears a press again with the same timestamp after lost end packets only once the first is forgotten', () => {
    const noEnd = press(6000, 9, 0).filter((a) => !a.end);
    const lastAt = noEnd.at(-1)!.at;
    // So soon, the marker packet cannot be told from a late start packet of the same press.
    expect(heard([...noEnd, ...press(6000, 9, lastAt + 100)])).toBe('9');
    expect(heard([...noEnd, ...press(6000, 9, lastAt + EVENT_MEMORY_MS + 20)])).toBe('99');
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

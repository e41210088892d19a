// RFC 4733 telephone events: decoding received event packets into digits once each, and building sent ones.
//
// Receive policy: a digit is reported at the FIRST packet of a new event (so barge-in reacts within one packet).
// A packet starts a new event when its RTP timestamp or key differs from every event heard lately, or when it
// carries the marker bit after the end of an event with the same timestamp (a capture replayed unchanged, like
// sipp's stock files, repeats its timestamp every time). Events are remembered for EVENT_MEMORY_MS of media time
// after their last packet, so updates, the repeated end packets and late or reordered packets are not reported
// again, while the same capture sent later is a new press. If the start packets are lost, the first packet that
// does arrive (even an end packet) reports the digit.

const EVENTS = '0123456789*#ABCD';

export function eventCode(digit: string): number {
  const i = EVENTS.indexOf(digit.toUpperCase());
  if (i < 0 || digit.length !== 1) throw new Error(`not a DTMF digit: ${JSON.stringify(digit)}`);
  return i;
}

export function eventDigit(code: number): string | undefined {
  return code < EVENTS.length ? EVENTS[code] : undefined;
}

export interface TelephoneEvent {
  event: number;
  end: boolean;
  volume: number;
  duration: number;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | undefined {
  if (payload.length < 4) return undefined;
  return {
    event: payload[0],
    end: (payload[1] & 0x80) !== 0,
    volume: payload[1] & 0x3f,
    duration: (payload[2] << 8) | payload[3],
  };
}

export function writeTelephoneEvent(out: Uint8Array, e: TelephoneEvent): Uint8Array {
  out[0] = e.event;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out[2] = (e.duration >> 8) & 0xff;
  out[3] = e.duration & 0xff;
  return out;
}

/**
 * How long an event is remembered after its latest packet, in ms of media time. Within it, a packet with the
 * event's timestamp and key (an update, a repeated end packet, a late or reordered one) belongs to it; after it,
 * the same timestamp and key are a new press. Senders update an event every packet interval (20 to 50 ms), so
 * 300 ms rides out five lost packets in a row (Asterisk ends a digit that goes quiet after 150 ms). Media time
 * cannot jump: after an event-loop stall the clock runs at most 5 missed ticks, so a stall never ages an event
 * by more than 100 ms.
 */
export const EVENT_MEMORY_MS = 300;
/** At most this many events are remembered (reordering never spans more). */
const MEMORY = 8;
/** The duration field is 16 bits; a segment this long was cut there and the next one continues the key press. */
const FULL_SEGMENT = 0xffff - 4000;

/** What the receiver needs of an RTP packet. */
export interface TelephoneEventPacket {
  timestamp: number;
  marker: boolean;
  payload: Uint8Array;
}

interface HeardEvent {
  timestamp: number;
  code: number;
  /** An end packet of it arrived. */
  ended: boolean;
  /** The longest duration seen, in timestamp units. */
  duration: number;
  /** Media time of its latest packet. */
  lastAt: number;
}

export class TelephoneEventReceiver {
  private readonly heard: HeardEvent[] = [];

  /**
   * Returns the digit when this packet starts a new event (a key press), undefined otherwise. `atMs` is the
   * arrival time on a clock that never jumps (the media clock).
   */
  receive(packet: TelephoneEventPacket, atMs: number): string | undefined {
    const ev = parseTelephoneEvent(packet.payload);
    const digit = ev && eventDigit(ev.event);
    if (!ev || digit === undefined) return undefined;
    this.forget(atMs);
    const known = this.heard.find((h) => h.timestamp === packet.timestamp && h.code === ev.event);
    // RFC 4733 2.5.1.2: the marker bit starts an event. On an event that has not ended it is that event's own
    // start packet arriving late or twice; after the end it is the same key pressed again.
    const pressedAgain = known !== undefined && known.ended && packet.marker && !ev.end;
    if (known && !pressedAgain) {
      known.ended ||= ev.end;
      known.duration = Math.max(known.duration, ev.duration);
      known.lastAt = atMs;
      return undefined;
    }
    const continued = !known && !packet.marker && this.continuesLatest(packet.timestamp, ev.event);
    if (known) this.heard.splice(this.heard.indexOf(known), 1);
    this.heard.push({
      timestamp: packet.timestamp,
      code: ev.event,
      ended: ev.end,
      duration: ev.duration,
      lastAt: atMs,
    });
    if (this.heard.length > MEMORY) this.heard.shift();
    return continued ? undefined : digit;
  }

  private forget(atMs: number): void {
    for (let i = this.heard.length - 1; i >= 0; i--) {
      if (atMs - this.heard[i].lastAt > EVENT_MEMORY_MS) this.heard.splice(i, 1);
    }
  }

  /**
   * RFC 4733 2.5.1.3: a key held longer than the 16-bit duration field can count goes on in a new segment,
   * timestamped where the previous one ended (modulo 2^32) and without the marker bit: the same press.
   */
  private continuesLatest(timestamp: number, code: number): boolean {
    const last = this.heard.at(-1);
    if (!last || last.code !== code || last.ended || last.duration < FULL_SEGMENT) return false;
    const step = (timestamp - last.timestamp) >>> 0;
    return step >= last.duration && step <= 0x10000;
  }
}

/** How long each sent digit lasts and the pause after it, in 20 ms ticks. */
export const SEND_TONE_TICKS = 5;
export const SEND_GAP_TICKS = 3;
/** End packets are repeated this many times (RFC 4733 section 2.5.1.4). */
export const END_REPEATS = 3;
export const SEND_VOLUME = 10;

/**
 * What to send on each tick for a queue of digits: per digit, SEND_TONE_TICKS event packets (the first with the
 * marker), then END_REPEATS end packets, then SEND_GAP_TICKS silent ticks. All packets of one event share the
 * timestamp of its first tick.
 */
export class TelephoneEventSender {
  private readonly queue: string[] = [];
  private tickInDigit = 0;
  private startTimestamp = 0;
  private waiters: { remaining: number; resolve: () => void }[] = [];

  get busy(): boolean {
    return this.queue.length > 0;
  }

  enqueue(digits: string): Promise<void> {
    for (const d of digits) eventCode(d);
    if (digits.length === 0) return Promise.resolve();
    this.queue.push(...digits);
    return new Promise((resolve) => this.waiters.push({ remaining: this.queue.length, resolve }));
  }

  /**
   * Advances one tick. Returns the packet to send (payload written into `out`), `null` for a silent gap tick, or
   * undefined when idle.
   */
  next(timestamp: number, out: Uint8Array): { marker: boolean; timestamp: number } | null | undefined {
    const digit = this.queue[0];
    if (digit === undefined) return undefined;
    const t = this.tickInDigit++;
    if (t === 0) this.startTimestamp = timestamp;
    const total = SEND_TONE_TICKS + END_REPEATS + SEND_GAP_TICKS;
    if (t + 1 >= total) this.finishDigit();
    if (t >= SEND_TONE_TICKS + END_REPEATS) return null;
    const end = t >= SEND_TONE_TICKS;
    const duration = Math.min(t + 1, SEND_TONE_TICKS) * 160;
    writeTelephoneEvent(out, { event: eventCode(digit), end, volume: SEND_VOLUME, duration });
    return { marker: t === 0, timestamp: this.startTimestamp };
  }

  /** Drops everything queued (the promises still resolve: the digits will never be sent). */
  clear(): void {
    this.queue.length = 0;
    this.tickInDigit = 0;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private finishDigit(): void {
    this.queue.shift();
    this.tickInDigit = 0;
    for (const w of this.waiters) w.remaining--;
    const done = this.waiters.filter((w) => w.remaining <= 0);
    this.waiters = this.waiters.filter((w) => w.remaining > 0);
    for (const w of done) w.resolve();
  }
}

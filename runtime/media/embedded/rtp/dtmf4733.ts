// RFC 4733 telephone events: decoding received event packets into digits once each, and building sent ones.
//
// Receive policy: a digit is reported at the FIRST packet of a new event (so barge-in reacts within one packet);
// every later packet of that event (updates and the three repeated end packets) carries the same RTP timestamp
// and is ignored. Events are told apart by timestamp, with a short memory of recent ones so reordered or late
// duplicates are not reported again. If the start packets are lost, the first packet that does arrive (even an
// end packet) reports the digit.

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

const MEMORY = 8;

export class TelephoneEventReceiver {
  private readonly recent: number[] = [];

  /** Returns the digit when this packet starts a new event, undefined otherwise. */
  receive(timestamp: number, payload: Uint8Array): string | undefined {
    const ev = parseTelephoneEvent(payload);
    if (!ev) return undefined;
    const digit = eventDigit(ev.event);
    if (digit === undefined) return undefined;
    if (this.recent.includes(timestamp)) return undefined;
    this.recent.push(timestamp);
    if (this.recent.length > MEMORY) this.recent.shift();
    return digit;
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

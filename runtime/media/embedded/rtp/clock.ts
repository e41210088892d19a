// The shared media clock: ONE 20 ms ticker drives RTP sending for every session in the process.
//
// Each 20 ms tick is cut in SLOTS slots (5 ms each): every sending participant belongs to one slot (the emptiest
// when it registered) and ticks there, once per tick. Sending a thousand packets takes a few milliseconds of
// syscalls; spread over four slots, a stream's send time moves by a quarter of that when others start or stop,
// and the CPU sees four small bursts instead of one large one. 'first' participants (mixers) run at the start
// of slot 0, before any slot's sends of that tick.
//
// Slots are scheduled against the start time (slot n is due at start + n * slot length), so timer lateness does
// not accumulate as drift. When the event loop stalls, missed slots are run back to back (up to MAX_CATCH_UP
// ticks' worth) so the packet count stays right; after a longer stall the schedule restarts from now, skipping
// whole ticks. The timer only runs while at least one participant is registered.
import { performance } from 'node:perf_hooks';

export interface ClockParticipant {
  /** Called once per period. Must not throw (a throw is caught and counted). */
  tick(): void;
}

export interface TickStats {
  ticks: number;
  /** How late slots ran against their due time, in ms, over the last LATENESS_WINDOW slots. */
  lateP50: number;
  lateP99: number;
  lateMax: number;
  /** How long one slot's work (its participants, and the mixers in slot 0) took, in ms. */
  workP50: number;
  workP99: number;
  /** Ticks skipped after long stalls. */
  skipped: number;
  errors: number;
}

/** At most this many ticks are caught up, back to back, after a stall. */
const MAX_CATCH_UP = 5;
const LATENESS_WINDOW = 12000;
/** Slots per tick (a 20 ms tick: one every 5 ms). */
const SLOTS = 4;

/**
 * `first` participants tick before every `send` participant in the same tick: conference mixers take each
 * member's frame and mix before the members' sessions send.
 */
export type ClockPhase = 'first' | 'send';

export class MediaClock {
  readonly periodMs: number;
  private readonly slotMs: number;
  private readonly firstPhase = new Set<ClockParticipant>();
  /** Sending participants, by slot. */
  private readonly slots: Set<ClockParticipant>[] = Array.from({ length: SLOTS }, () => new Set());
  private readonly slotOf = new Map<ClockParticipant, number>();
  private readonly afterTick = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private start = 0;
  /** Slots run (or skipped) since the start; slot n belongs to tick floor(n / SLOTS). */
  private n = 0;
  private ticks = 0;
  /** Slots whose lateness and work are recorded since the last reset. */
  private runs = 0;
  private statsFrom = 0;
  private skipped = 0;
  private errors = 0;
  private readonly lateness = new Float64Array(LATENESS_WINDOW);
  private readonly work = new Float64Array(LATENESS_WINDOW);

  constructor(opts: { periodMs?: number } = {}) {
    this.periodMs = opts.periodMs ?? 20;
    this.slotMs = this.periodMs / SLOTS;
  }

  /** Number of registered participants (0 once every session is closed and every mixer is empty). */
  get size(): number {
    return this.firstPhase.size + this.slotOf.size;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Media time in ms: the ticks run so far times the period. It never jumps: after a stall at most
   * MAX_CATCH_UP ticks are run, so receivers can measure short windows on it without a stall stretching them.
   */
  get timeMs(): number {
    return this.ticks * this.periodMs;
  }

  register(p: ClockParticipant, phase: ClockPhase = 'send'): void {
    if (phase === 'first') this.firstPhase.add(p);
    else if (!this.slotOf.has(p)) {
      let slot = 0;
      for (let i = 1; i < SLOTS; i++) if (this.slots[i].size < this.slots[slot].size) slot = i;
      this.slots[slot].add(p);
      this.slotOf.set(p, slot);
    }
    if (!this.timer) {
      this.start = performance.now();
      this.n = 0;
      this.schedule();
    }
  }

  unregister(p: ClockParticipant): void {
    this.firstPhase.delete(p);
    const slot = this.slotOf.get(p);
    if (slot !== undefined) this.slots[slot].delete(p);
    this.slotOf.delete(p);
    if (this.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Resolves after `count` more ticks (tests and benches wait on media time this way, never on sleeps). */
  waitTicks(count: number): Promise<void> {
    return new Promise((resolve) => {
      let left = count;
      const fn = () => {
        if (--left <= 0) {
          this.afterTick.delete(fn);
          resolve();
        }
      };
      this.afterTick.add(fn);
    });
  }

  stats(): TickStats {
    const count = Math.min(this.runs - this.statsFrom, LATENESS_WINDOW);
    const late = Float64Array.from(this.lateness.subarray(0, count)).sort();
    const work = Float64Array.from(this.work.subarray(0, count)).sort();
    const pick = (a: Float64Array, q: number) => (count ? a[Math.min(count - 1, Math.floor(q * count))] : 0);
    return {
      ticks: this.ticks,
      lateP50: pick(late, 0.5),
      lateP99: pick(late, 0.99),
      lateMax: count ? late[count - 1] : 0,
      workP50: pick(work, 0.5),
      workP99: pick(work, 0.99),
      skipped: this.skipped,
      errors: this.errors,
    };
  }

  /** Starts the lateness and work percentiles afresh (benches measure one run at a time). */
  resetStats(): void {
    this.statsFrom = this.runs;
    this.lateness.fill(0);
    this.work.fill(0);
  }

  private due(slot: number): number {
    return this.start + slot * this.slotMs;
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.fire(), Math.max(0, this.due(this.n + 1) - performance.now()));
  }

  private fire(): void {
    const handle = this.timer;
    const now = performance.now();
    let runs = 0;
    while (this.due(this.n + 1) <= now + 0.5 && runs < MAX_CATCH_UP * SLOTS) {
      this.n++;
      runs++;
      const slot = (this.runs - this.statsFrom) % LATENESS_WINDOW;
      this.runs++;
      // Slots may run up to 0.5 ms before they are due (timers round to whole ms): that is on time, not "early".
      this.lateness[slot] = Math.max(0, now - this.due(this.n));
      const began = performance.now();
      this.runSlot((this.n - 1) % SLOTS);
      this.work[slot] = performance.now() - began;
      // Every participant left (maybe a new one arrived and scheduled its own timer): this run is over.
      if (this.timer !== handle) return;
    }
    if (this.due(this.n + 1) <= now) {
      // A long stall: do not burst further, restart the schedule from now at a tick's start.
      const behind = Math.ceil((now - this.due(this.n)) / this.periodMs) * SLOTS;
      this.skipped += behind / SLOTS;
      this.n += behind;
    }
    this.schedule();
  }

  /** Slot 0 starts a tick (mixers first); the last slot ends it (waitTicks). */
  private runSlot(slot: number): void {
    if (slot === 0) {
      this.ticks++;
      this.tickAll(this.firstPhase);
    }
    this.tickAll(this.slots[slot]);
    if (slot === SLOTS - 1) for (const fn of [...this.afterTick]) fn();
  }

  private tickAll(set: Set<ClockParticipant>): void {
    for (const p of set) {
      try {
        p.tick();
      } catch {
        this.errors++;
      }
    }
  }
}

let shared: MediaClock | undefined;

/** The process-wide clock every session uses unless given another. */
export function sharedMediaClock(): MediaClock {
  shared ??= new MediaClock();
  return shared;
}

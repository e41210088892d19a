// The shared media clock: ONE 20 ms ticker drives RTP sending for every session in the process.
//
// Ticks are scheduled against the start time (tick n is due at start + n * period), so timer lateness does not
// accumulate as drift. When the event loop stalls, missed ticks are run back to back (up to MAX_CATCH_UP) so the
// packet count stays right; after a longer stall the schedule restarts from now. The timer only runs while at
// least one participant is registered.
import { performance } from 'node:perf_hooks';

export interface ClockParticipant {
  /** Called once per period. Must not throw (a throw is caught and counted). */
  tick(): void;
}

export interface TickStats {
  ticks: number;
  /** How late ticks ran against their due time, in ms, over the last LATENESS_WINDOW ticks. */
  lateP50: number;
  lateP99: number;
  lateMax: number;
  /** How long one tick's work (every participant) took, in ms. */
  workP50: number;
  workP99: number;
  /** Ticks skipped after long stalls. */
  skipped: number;
  errors: number;
}

const MAX_CATCH_UP = 5;
const LATENESS_WINDOW = 3000;

/**
 * `first` participants tick before every `send` participant in the same tick: conference mixers take each
 * member's frame and mix before the members' sessions send.
 */
export type ClockPhase = 'first' | 'send';

export class MediaClock {
  readonly periodMs: number;
  private readonly firstPhase = new Set<ClockParticipant>();
  private readonly participants = new Set<ClockParticipant>();
  private readonly afterTick = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private start = 0;
  private n = 0;
  private ticks = 0;
  private statsFrom = 0;
  private skipped = 0;
  private errors = 0;
  private readonly lateness = new Float64Array(LATENESS_WINDOW);
  private readonly work = new Float64Array(LATENESS_WINDOW);

  constructor(opts: { periodMs?: number } = {}) {
    this.periodMs = opts.periodMs ?? 20;
  }

  /** Number of registered participants (0 once every session is closed and every mixer is empty). */
  get size(): number {
    return this.firstPhase.size + this.participants.size;
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
    (phase === 'first' ? this.firstPhase : this.participants).add(p);
    if (!this.timer) {
      this.start = performance.now();
      this.n = 0;
      this.schedule();
    }
  }

  unregister(p: ClockParticipant): void {
    this.firstPhase.delete(p);
    this.participants.delete(p);
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
    const count = Math.min(this.ticks - this.statsFrom, LATENESS_WINDOW);
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
    this.statsFrom = this.ticks;
    this.lateness.fill(0);
    this.work.fill(0);
  }

  private schedule(): void {
    const due = this.start + (this.n + 1) * this.periodMs;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - performance.now()));
  }

  private fire(): void {
    const handle = this.timer;
    const now = performance.now();
    let runs = 0;
    while (this.start + (this.n + 1) * this.periodMs <= now + 0.5 && runs < MAX_CATCH_UP) {
      this.n++;
      runs++;
      const slot = (this.ticks - this.statsFrom) % LATENESS_WINDOW;
      // Ticks may run up to 0.5 ms before they are due (timers round to whole ms): that is on time, not "early".
      this.lateness[slot] = Math.max(0, now - (this.start + this.n * this.periodMs));
      this.ticks++;
      const began = performance.now();
      this.runTick();
      this.work[slot] = performance.now() - began;
      // Every participant left (maybe a new one arrived and scheduled its own timer): this run is over.
      if (this.timer !== handle) return;
    }
    if (this.start + (this.n + 1) * this.periodMs <= now) {
      // A long stall: do not burst further, restart the schedule from now.
      const behind = Math.floor((now - this.start) / this.periodMs) - this.n;
      this.skipped += behind;
      this.n += behind;
    }
    this.schedule();
  }

  private runTick(): void {
    for (const set of [this.firstPhase, this.participants]) {
      for (const p of set) {
        try {
          p.tick();
        } catch {
          this.errors++;
        }
      }
    }
    for (const fn of [...this.afterTick]) fn();
  }
}

let shared: MediaClock | undefined;

/** The process-wide clock every session uses unless given another. */
export function sharedMediaClock(): MediaClock {
  shared ??= new MediaClock();
  return shared;
}

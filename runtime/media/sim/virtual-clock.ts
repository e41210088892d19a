// A deterministic Clock for tests and `ivr simulate`: time moves only when the clock is driven.
import type { Clock, ClockTimer } from '../contract.ts';

interface VirtualTimer {
  readonly __clockTimer: true;
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Lets pending promise reactions (and callbacks of already finished I/O) run before time moves. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Real milliseconds `run` waits for held work or stray I/O before it declares the run stalled. */
const STALL_LIMIT_MS = 30_000;

/**
 * Virtual time. `run(promise)` drives it: whenever everything in flight has settled, it jumps to the next
 * timer and fires it, until the promise settles. Real work that must finish before time moves on (an HTTP
 * check request) takes a `hold()`; while any hold is open the clock does not advance, so a request's real
 * latency costs zero virtual time and the virtual timeline stays deterministic.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  /** Pending timers sorted by due time, then creation order. */
  private timers: VirtualTimer[] = [];
  private holds = 0;
  private fired = 0;
  private released: (() => void) | undefined;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer: VirtualTimer = { __clockTimer: true, id: ++this.seq, due: this.time + Math.max(0, ms), fn };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].due > timer.due) i--;
    this.timers.splice(i, 0, timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    const i = this.timers.indexOf(timer as VirtualTimer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Timers not yet fired or cleared (tests assert 0 after a session). */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Timers fired so far (the bench reports the cost per fired timer). */
  firedTimers(): number {
    return this.fired;
  }

  /** Open holds (tests assert 0 after a session). */
  pendingHolds(): number {
    return this.holds;
  }

  /** Keeps time still until the returned release function is called (idempotent). */
  hold(): () => void {
    this.holds++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.holds--;
      if (this.holds === 0) this.released?.();
    };
  }

  /** Fires the earliest timer, moving time to its due time; false when none is pending. */
  private fireNext(limit = Infinity): boolean {
    const next = this.timers[0];
    if (!next || next.due > limit) return false;
    this.timers.shift();
    this.fired++;
    this.time = Math.max(this.time, next.due);
    next.fn();
    return true;
  }

  private waitForRelease(): Promise<void> {
    return new Promise((resolve) => {
      this.released = () => {
        this.released = undefined;
        resolve();
      };
    });
  }

  /** Moves time forward by `ms`, firing due timers in order and settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    while (true) {
      if (this.holds > 0) await this.waitForRelease();
      if (!this.fireNext(target)) break;
      await settle();
    }
    this.time = Math.max(this.time, target);
  }

  /** Drives virtual time until `promise` settles; resolves or rejects like it. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    let idleSince = Date.now();
    while (!settled) {
      await settle();
      if (settled) break;
      if (this.holds > 0) {
        await Promise.race([this.waitForRelease(), watched.catch(() => undefined)]);
        idleSince = Date.now();
      } else if (this.fireNext()) {
        idleSince = Date.now();
      } else if (Date.now() - idleSince > STALL_LIMIT_MS) {
        throw new Error('virtual clock stalled: nothing pending and the run has not finished');
      } else {
        // Nothing to fire: real I/O outside any hold is still in flight; give it a moment.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    return watched;
  }
}

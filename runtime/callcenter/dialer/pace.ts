// The trunk's limits on the dialer: channels (calls up at once) and calls per second — checked when the queue
// starts a task, and again at the moment its INVITE goes out, since the store writes in between can bunch up
// starts that were spaced (a busy machine).

/** Never more than `callsPerSecond` events in any one second: a sliding window over the last starts. */
class RateWindow {
  /** Times of the last `perSecond` events, oldest first. */
  private readonly times: number[] = [];
  private readonly perSecond: number;
  private readonly windowMs: number;

  constructor(
    callsPerSecond: number,
    private readonly now: () => number,
  ) {
    // Below one call a second (0.5 = one call every 2 s) the window grows instead.
    this.perSecond = Math.max(1, Math.floor(callsPerSecond));
    this.windowMs = (1000 * this.perSecond) / callsPerSecond;
  }

  wait(): number {
    if (this.times.length < this.perSecond) return 0;
    return Math.max(0, Math.ceil(this.times[0] + this.windowMs - this.now()));
  }

  take(): void {
    this.times.push(this.now());
    if (this.times.length > this.perSecond) this.times.shift();
  }
}

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export class Pace {
  private readonly starts: RateWindow;
  private readonly invites: RateWindow;
  private turn: Promise<void> = Promise.resolve();

  constructor(
    /** Dialer calls the trunk carries at once. */
    readonly channels: number,
    callsPerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = realSleep,
  ) {
    this.starts = new RateWindow(callsPerSecond, now);
    this.invites = new RateWindow(callsPerSecond, now);
  }

  /** Whether `active` calls leave a channel free. */
  hasChannel(active: number): boolean {
    return active < this.channels;
  }

  /**
   * Ms until the queue may start another task (0: now). A sliding window rather than fixed spacing, so a late
   * timer catches up within the second instead of losing the starts it missed.
   */
  wait(): number {
    return this.starts.wait();
  }

  /** Records a start (after `wait()` said 0). */
  take(): void {
    this.starts.take();
  }

  /**
   * Resolves when the next INVITE may go out: callers are served in order, never more than `callsPerSecond` in
   * any one second. An aborted `signal` (shutdown) lets its caller go at once, uncounted.
   */
  admit(signal?: AbortSignal): Promise<void> {
    const mine = this.turn.then(async () => {
      for (;;) {
        if (signal?.aborted) return;
        const wait = this.invites.wait();
        if (wait === 0) return this.invites.take();
        await this.sleep(wait, signal);
      }
    });
    this.turn = mine;
    return mine;
  }
}

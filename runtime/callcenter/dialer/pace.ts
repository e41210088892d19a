// The trunk's limits on the dialer: channels (calls up at once) and calls per second (starts spaced evenly).

export class Pace {
  private readonly gapMs: number;
  private nextStart = -Infinity;

  constructor(
    /** Dialer calls the trunk carries at once. */
    readonly channels: number,
    callsPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.gapMs = 1000 / callsPerSecond;
  }

  /** Whether `active` calls leave a channel free. */
  hasChannel(active: number): boolean {
    return active < this.channels;
  }

  /** Ms until another call may start (0: now). */
  wait(): number {
    return Math.max(0, Math.ceil(this.nextStart - this.now()));
  }

  /**
   * Takes the start slot: the next one is a gap later. Starts are spaced evenly rather than sent in bursts of a
   * second's worth, so the trunk never sees more than `callsPerSecond` INVITEs in any one second.
   */
  take(): void {
    this.nextStart = Math.max(this.now(), this.nextStart) + this.gapMs;
  }
}

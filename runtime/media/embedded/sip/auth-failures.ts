// Failed digest authentications counted per source address: after `limit` in `windowMs` the source is blocked.

export interface AuthFailureLimits {
  /** Failures within `windowMs` that block a source; 0 never blocks. */
  limit: number;
  windowMs: number;
  /** How long a blocked source stays blocked. */
  blockMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = {
  limit: 10,
  windowMs: 60_000,
  blockMs: 300_000,
};

/** Sources tracked at once: UDP sources can be forged, so the table must not grow without bound. */
const MAX_SOURCES = 10_000;

interface Entry {
  /** Times of the failures still inside the window (at most `limit`). */
  failures: number[];
  blockedUntil: number;
}

export class AuthFailures {
  private readonly sources = new Map<string, Entry>();

  constructor(
    private readonly limits: AuthFailureLimits = DEFAULT_AUTH_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while `address` is blocked. */
  blocked(address: string): boolean {
    const e = this.sources.get(address);
    return e !== undefined && e.blockedUntil > this.now();
  }

  /** Counts one failure; returns true when this failure started a block. */
  record(address: string): boolean {
    if (this.limits.limit <= 0) return false;
    const now = this.now();
    let e = this.sources.get(address);
    if (!e) {
      if (this.sources.size >= MAX_SOURCES) this.prune(now);
      // Still full of live entries: forget the oldest one rather than grow (Map keeps insertion order).
      if (this.sources.size >= MAX_SOURCES) this.sources.delete(this.sources.keys().next().value!);
      this.sources.set(address, (e = { failures: [], blockedUntil: 0 }));
    }
    if (e.blockedUntil > now) return false;
    e.failures = e.failures.filter((t) => now - t < this.limits.windowMs);
    e.failures.push(now);
    if (e.failures.length < this.limits.limit) return false;
    e.failures = [];
    e.blockedUntil = now + this.limits.blockMs;
    return true;
  }

  get size(): number {
    return this.sources.size;
  }

  private prune(now: number): void {
    for (const [address, e] of this.sources) {
      const recent = e.failures.some((t) => now - t < this.limits.windowMs);
      if (e.blockedUntil <= now && !recent) this.sources.delete(address);
    }
  }
}

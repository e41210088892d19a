// Holds one call's trace events in memory until the call ends, up to a bound so a looping flow cannot eat memory.
export class TraceBuffer {
  private readonly events: unknown[] = [];
  private dropped = 0;

  constructor(private readonly max: number) {}

  push(event: unknown): void {
    if (this.events.length < this.max) this.events.push(event);
    else this.dropped++;
  }

  /** The kept events, followed by a `trace.truncated` marker when some were dropped. */
  drain(callId: string, t: number): unknown[] {
    const out = this.events.splice(0);
    if (this.dropped > 0) out.push({ t, callId, type: 'trace.truncated', dropped: this.dropped });
    this.dropped = 0;
    return out;
  }

  get size(): number {
    return this.events.length;
  }
}

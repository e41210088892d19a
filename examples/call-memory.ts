// Per-call memory of the example backends: a map from callid to state that forgets the oldest calls first.

/** Most calls an example backend remembers. */
export const MAX_CALLS = 1000;

/** State by callid; storing beyond `capacity` forgets the call stored longest ago. */
export class CallMemory<T> {
  private readonly calls = new Map<string, T>();

  constructor(private readonly capacity = MAX_CALLS) {}

  get(callid: string): T | undefined {
    return this.calls.get(callid);
  }

  set(callid: string, state: T): void {
    this.calls.delete(callid);
    this.calls.set(callid, state);
    for (const oldest of this.calls.keys()) {
      if (this.calls.size <= this.capacity) break;
      this.calls.delete(oldest);
    }
  }

  values(): T[] {
    return [...this.calls.values()];
  }

  get size(): number {
    return this.calls.size;
  }
}

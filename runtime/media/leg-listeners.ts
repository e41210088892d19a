// The listener table of a CallLeg (`dtmf`, `state`, `hangup`), shared by the legs that keep their own events.
import type { LegEvents } from './contract.ts';

export class LegListeners {
  private readonly sets: { [E in keyof LegEvents]: Set<LegEvents[E]> } = {
    dtmf: new Set(),
    state: new Set(),
    hangup: new Set(),
  };

  on<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    (this.sets[event] as Set<LegEvents[E]>).add(fn);
  }

  off<E extends keyof LegEvents>(event: E, fn: LegEvents[E]): void {
    (this.sets[event] as Set<LegEvents[E]>).delete(fn);
  }

  /** Calls every listener of `event`; a listener may unsubscribe itself while it runs. */
  emit<E extends keyof LegEvents>(event: E, ...args: Parameters<LegEvents[E]>): void {
    for (const fn of [...this.sets[event]]) (fn as (...a: Parameters<LegEvents[E]>) => void)(...args);
  }

  /** How many listeners are subscribed to `event`, or to all events. */
  count(event?: keyof LegEvents): number {
    if (event) return this.sets[event].size;
    return this.sets.dtmf.size + this.sets.state.size + this.sets.hangup.size;
  }
}

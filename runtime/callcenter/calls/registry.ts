// The one owner of live calls: creates them, finds them by id, number or extension, and drains them on shutdown.
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../events.ts';
import { Call, type CallInit } from './call.ts';
import type { Leg } from './leg.ts';

export class CallRegistry {
  private readonly live = new Map<string, Call>();
  private accepting = true;
  private drained?: () => void;

  constructor(
    readonly bus: EventBus,
    /** The host part of every callId (`<uuid>@<host>`, as in the manual's examples). */
    readonly host: string,
  ) {}

  /** A new call id: `<uuid>@<host>`. */
  newCallId(): string {
    return `${randomUUID()}@${this.host}`;
  }

  /** False once a drain began: new calls are refused. */
  get isAccepting(): boolean {
    return this.accepting;
  }

  /** From now on new calls are refused (the first step of a drain). */
  refuseNew(): void {
    this.accepting = false;
  }

  get count(): number {
    return this.live.size;
  }

  /**
   * Registers a call and announces it; resolves once every reader took it (the call log row is committed), so a
   * crash after this point leaves a row.
   */
  async open(init: Omit<CallInit, 'callId'> & { callId?: string }): Promise<Call> {
    const call = new Call({ ...init, callId: init.callId ?? this.newCallId() }, this.bus, this.host, (c) =>
      this.gone(c),
    );
    this.live.set(call.callId, call);
    await this.bus.emit({ type: 'call.started', at: call.beganAt, call: call.view() });
    return call;
  }

  get(callId: string): Call | undefined {
    return this.live.get(callId);
  }

  /** Every live call, oldest first. */
  all(): Call[] {
    return [...this.live.values()];
  }

  /** The live legs of an extension, with their calls (an extension may ring in one call and talk in another). */
  legsOfExtension(extension: string): { call: Call; leg: Leg }[] {
    const out: { call: Call; leg: Leg }[] = [];
    for (const call of this.live.values())
      for (const leg of call.legs) if (leg.live && leg.extension === extension) out.push({ call, leg });
    return out;
  }

  /** Live calls where `a` and `b` are parties (the call's own two numbers, or live legs), in either order. */
  between(a: string, b: string): Call[] {
    return this.all().filter((call) => {
      const numbers = new Set([
        call.caller,
        call.callee,
        ...call.legs.filter((l) => l.live).map((l) => l.number),
      ]);
      return numbers.has(a) && numbers.has(b);
    });
  }

  /** The live call in which an extension is talking with a customer (its agent leg), if any. */
  talkingWith(extension: string): { call: Call; leg: Leg } | undefined {
    return this.legsOfExtension(extension).find(
      ({ call, leg }) =>
        leg.status === 'talking' && leg.role !== 'customer' && call.customer?.status === 'talking',
    );
  }

  /**
   * Stops taking calls and waits for the live ones to end; at the deadline the rest are aborted (their sessions end,
   * their logs are written). Resolves with how many had to be aborted.
   */
  async drain(deadlineMs: number): Promise<number> {
    this.refuseNew();
    if (this.live.size === 0) return 0;
    const allEnded = new Promise<void>((resolve) => (this.drained = resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      allEnded.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), deadlineMs))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return 0;
    const remaining = this.all();
    for (const c of remaining) c.abort.abort();
    await Promise.all(remaining.map((c) => c.ended));
    return remaining.length;
  }

  private gone(call: Call): void {
    this.live.delete(call.callId);
    if (this.live.size === 0) this.drained?.();
  }
}

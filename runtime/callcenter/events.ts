// The call center's one stream of state changes: calls, their legs, their trace, and extensions. Screen pops,
// EXTNUM_STATE, call logs, traces and the designer's live views read it; nothing else keeps its own copy of call state.
import type { TraceEvent } from '../interpreter/trace.ts';

/** Where a leg stands, in the words of the manual's screen pops (section 4) plus `held`. */
export type LegStatus = 'calling' | 'ringing' | 'talking' | 'held' | 'ended';

/** Who a leg is in its call. */
export type LegRole =
  /** The party whose call this is: the caller of an inbound call, the customer of an outbound one. */
  | 'customer'
  /** An extension talking with the customer (the agent). */
  | 'agent'
  /** A party the agent consults during the call (CALL_THIRD), or invites into its conference. */
  | 'third'
  /** A supervisor listening in, whispering or barging (CALL_MONITOR, FORCE_PICKUP). */
  | 'supervisor';

export type CallKind = 'inbound' | 'outbound' | 'test';

/** A leg as readers see it (no media handle). */
export interface LegView {
  legId: string;
  role: LegRole;
  /** The party's number: an extension, or a phone number. */
  number: string;
  /** Set when the party is one of our extensions. */
  extension?: string;
  /** `incoming` when this party receives the call (an agent being rung), `outgoing` when it placed it. */
  direction: 'incoming' | 'outgoing';
  /** `maincall` for the customer's original leg, a leg id of the manual's shape for every other leg. */
  businessId: string;
  status: LegStatus;
  /** The SIP Call-ID of the leg's dialog, when it has one. */
  sipCallId?: string;
  /** Where the party's signalling comes from (`ip:port`), for the call log's `channel`. */
  channel?: string;
  answered: boolean;
  beganAt: number;
  answeredAt?: number;
  endedAt?: number;
  /** Why it ended: `canceled` when it never answered, the hang-up cause otherwise. */
  endCause?: string;
}

/** A call as readers see it. */
export interface CallView {
  callId: string;
  kind: CallKind;
  caller: string;
  callee: string;
  flowId: string | null;
  flowVersion: number | null;
  /** The control API's handle of a click-to-dial call. */
  clickCallId?: string;
  beganAt: number;
  answeredAt?: number;
  legs: LegView[];
}

/** How a call ended, as written to its call log. */
export interface CallEnding {
  endedAt: number;
  answered: boolean;
  /** `state=<code>;<name>=<value>;…` for IVR calls, null otherwise. */
  result: string | null;
  /** Why the call ended (the session's end reason, or the leg's hang-up cause, or a refusal). */
  reason: string;
  /** Recording file (absolute, inside the recordings root), when the call was recorded. */
  recording?: string;
}

export type CallCenterEvent =
  | { type: 'call.started'; at: number; call: CallView }
  | { type: 'leg.changed'; at: number; call: CallView; leg: LegView }
  | { type: 'call.trace'; at: number; callId: string; event: TraceEvent }
  | { type: 'call.ended'; at: number; call: CallView; ending: CallEnding }
  | { type: 'extension.changed'; at: number; number: string };

export type CallCenterEventType = CallCenterEvent['type'];
type EventOf<T extends CallCenterEventType> = Extract<CallCenterEvent, { type: T }>;

/** A reader; it may return a promise, which `emit` hands back so that durable writes can be awaited. */
export type Subscriber<E> = (event: E) => void | Promise<void>;

export class EventBus {
  private readonly byType = new Map<CallCenterEventType, Set<Subscriber<never>>>();
  private readonly all = new Set<Subscriber<CallCenterEvent>>();
  private failures = 0;

  constructor(private readonly onError: (err: unknown, event: CallCenterEvent) => void = () => undefined) {}

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends CallCenterEventType>(type: T, fn: Subscriber<EventOf<T>>): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(fn as Subscriber<never>);
    return () => set.delete(fn as Subscriber<never>);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(fn: Subscriber<CallCenterEvent>): () => void {
    this.all.add(fn);
    return () => this.all.delete(fn);
  }

  /** Readers that failed so far (a failing reader never stops the others, nor the call). */
  get errors(): number {
    return this.failures;
  }

  /**
   * Delivers the event to every reader now, in subscription order. Resolves once the promises readers returned
   * have settled (the call-log writer's commit, say); never rejects.
   */
  emit(event: CallCenterEvent): Promise<void> {
    const pending: Promise<void>[] = [];
    const deliver = (fn: Subscriber<CallCenterEvent>) => {
      try {
        const r = fn(event);
        if (r) pending.push(r.catch((err: unknown) => this.fail(err, event)));
      } catch (err) {
        this.fail(err, event);
      }
    };
    for (const fn of this.byType.get(event.type) ?? []) deliver(fn as Subscriber<CallCenterEvent>);
    for (const fn of this.all) deliver(fn);
    return pending.length === 0 ? Promise.resolve() : Promise.all(pending).then(() => undefined);
  }

  private fail(err: unknown, event: CallCenterEvent): void {
    this.failures++;
    this.onError(err, event);
  }
}

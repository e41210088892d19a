// One live call: its legs and their statuses, and when it is over. Every change goes out on the event bus; the
// call's end is committed (call log and trace) before its legs are released.
import type { CallLeg, Conference, HangupCause } from '../../media/contract.ts';
import type { CallEnding, CallKind, CallView, EventBus, LegStatus } from '../events.ts';
import { Leg, type LegInit } from './leg.ts';

export interface CallInit {
  callId: string;
  kind: CallKind;
  caller: string;
  callee: string;
  flowId?: string | null;
  flowVersion?: number | null;
  clickCallId?: string;
}

/** The manual's states of a consulted third party (CALL_THIRD_GET_THIRD_STATE): placed, ringing, answered, refused. */
export type ThirdState = 100 | 180 | 200 | 603;

export interface Consult {
  /** The agent who consults (talking to the third party while the customer hears music). */
  agent: Leg;
  /** The third party's leg, once placed. */
  third?: Leg;
  state: ThirdState;
  /** What the agent decided before the third party answered (the answer then follows it). */
  outcome?: 'resumed' | 'handed-over' | 'conferenced';
}

/** Roles that hold a conversation up; a supervisor who only listens or whispers does not. */
const PARTIES = new Set(['customer', 'agent', 'third']);

export class Call {
  readonly callId: string;
  readonly kind: CallKind;
  readonly caller: string;
  readonly callee: string;
  readonly beganAt = Date.now();
  flowId: string | null;
  flowVersion: number | null;
  clickCallId?: string;
  answeredAt?: number;
  /** The IVR's result string, once a session ran (`state=1;…`). */
  result: string | null = null;
  /** Why the call ended, once known; the first reason given wins. */
  endReason?: string;
  /** Where the call was recorded, when it was. */
  recording?: string;
  /** The agent's consultation of a third party (CALL_THIRD), while it lasts. */
  consult?: Consult;
  /** The media conference once the call has more than two parties or a supervisor (created on demand). */
  conference?: Conference;
  /** Aborted when the call must end now (drain deadline, shutdown): sessions and waits listen to it. */
  readonly abort = new AbortController();
  private readonly legList: Leg[] = [];
  private busy = 0;
  private ending?: Promise<void>;
  private resolveEnded!: () => void;
  /** Settles once the call has ended and its call log is committed. */
  readonly ended = new Promise<void>((r) => (this.resolveEnded = r));

  constructor(
    init: CallInit,
    private readonly bus: EventBus,
    private readonly host: string,
    private readonly onGone: (call: Call) => void,
  ) {
    this.callId = init.callId;
    this.kind = init.kind;
    this.caller = init.caller;
    this.callee = init.callee;
    this.flowId = init.flowId ?? null;
    this.flowVersion = init.flowVersion ?? null;
    this.clickCallId = init.clickCallId;
    this.abort.signal.addEventListener('abort', () => {
      // Whoever runs the call reacts first (an IVR session writes its result); this is the backstop.
      const t = setTimeout(() => void this.finish('aborted', 'shutdown'), 2000);
      void this.ended.then(() => clearTimeout(t));
    });
  }

  get legs(): readonly Leg[] {
    return this.legList;
  }

  /** Live legs of one role, oldest first. */
  legsOf(role: Leg['role']): Leg[] {
    return this.legList.filter((l) => l.role === role && l.live);
  }

  /** The customer's current leg. */
  get customer(): Leg | undefined {
    return this.legsOf('customer')[0];
  }

  get isOver(): boolean {
    return this.ending !== undefined;
  }

  view(): CallView {
    const v: CallView = {
      callId: this.callId,
      kind: this.kind,
      caller: this.caller,
      callee: this.callee,
      flowId: this.flowId,
      flowVersion: this.flowVersion,
      beganAt: this.beganAt,
      legs: this.legList.map((l) => l.view()),
    };
    if (this.clickCallId !== undefined) v.clickCallId = this.clickCallId;
    if (this.answeredAt !== undefined) v.answeredAt = this.answeredAt;
    return v;
  }

  /** Adds a party; its media leg (now, or later with `attach`) drives its status. */
  addLeg(init: LegInit): Leg {
    const leg = new Leg(init, this.host);
    this.legList.push(leg);
    if (init.media) this.follow(leg, init.media);
    this.changed(leg);
    return leg;
  }

  /** Gives a leg placed by originate its media leg (answered, or at least ringing). */
  attach(leg: Leg, media: CallLeg): void {
    leg.media = media;
    this.follow(leg, media);
    this.setStatus(leg, media.state === 'answered' ? 'talking' : 'ringing');
    if (media.state === 'ended') this.setStatus(leg, 'ended');
  }

  /** A party takes another role (a supervisor who barged in is now the agent). */
  changeRole(leg: Leg, role: Leg['role']): void {
    if (leg.role === role) return;
    leg.role = role;
    this.changed(leg);
  }

  /** Moves a leg to a status; `ended` records the cause (`canceled` when it never answered). */
  setStatus(leg: Leg, status: LegStatus, cause?: string): void {
    if (leg.status === status || leg.status === 'ended') return;
    leg.status = status;
    const now = Date.now();
    if (status === 'talking' && !leg.answered) {
      leg.answered = true;
      leg.answeredAt = now;
      if (PARTIES.has(leg.role)) this.answeredAt ??= now;
    }
    if (status === 'ended') {
      leg.endedAt = now;
      leg.endCause = leg.answered ? (cause ?? 'normal') : 'canceled';
    }
    this.changed(leg);
    if (status === 'ended') this.reconsider(leg);
  }

  /**
   * Runs an operation during which legs may come and go without ending the call (an IVR session, a transfer, a
   * consultation); once it settles the call is over if nobody is left to talk.
   */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
      this.reconsider();
    }
  }

  /** Ends the call now from outside (the control API): stops what runs in it, then finishes it. */
  hangUp(reason: string): Promise<void> {
    // Whoever ends a call from outside is why it ended, whatever a flow said before (a transfer is not an end).
    if (!this.ending) this.endReason = reason;
    const finished = this.finish(reason);
    this.abort.abort();
    return finished;
  }

  /** Ends the call: commits its log and trace, then hangs up every leg still up. Idempotent. */
  finish(reason: string, cause: HangupCause = 'normal'): Promise<void> {
    this.endReason ??= reason;
    this.ending ??= (async () => {
      const ending: CallEnding = {
        endedAt: Date.now(),
        answered: this.answeredAt !== undefined,
        result: this.result,
        reason: this.endReason ?? reason,
      };
      if (this.recording !== undefined) ending.recording = this.recording;
      await this.bus.emit({ type: 'call.ended', at: ending.endedAt, call: this.view(), ending });
      await Promise.all(this.legList.map((l) => l.media?.hangup(cause).catch(() => undefined)));
      for (const l of this.legList) this.setStatus(l, 'ended', cause);
      this.onGone(this);
      this.resolveEnded();
    })();
    return this.ending;
  }

  /** The call is over when the customer left, or fewer than two parties remain and nothing is under way. */
  private reconsider(left?: Leg): void {
    if (this.ending) return;
    if (left?.role === 'customer' && this.busy === 0) {
      void this.finish(left.answered ? 'customer-hangup' : 'canceled');
      return;
    }
    if (this.busy > 0) return;
    const talking = this.legList.filter((l) => l.live && PARTIES.has(l.role));
    if (talking.length < 2) void this.finish(left ? `${left.role}-hangup` : 'ended');
  }

  private follow(leg: Leg, media: CallLeg): void {
    media.on('state', (s) => {
      if (s === 'answered') this.setStatus(leg, 'talking');
      else if (s === 'ringing' || s === 'early') this.setStatus(leg, 'ringing');
    });
    media.on('hangup', (ev) => this.setStatus(leg, 'ended', ev.by === 'remote' ? 'remote-hangup' : ev.cause));
  }

  private changed(leg: Leg): void {
    void this.bus.emit({ type: 'leg.changed', at: Date.now(), call: this.view(), leg: leg.view() });
  }
}

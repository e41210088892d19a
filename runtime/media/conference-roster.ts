// Who is in a conference and how: the membership rules every engine's Conference shares (modes, whisper
// targets, one conference per leg, leave on hang-up, destroy). Engines add the media through four hooks.
import { randomUUID } from 'node:crypto';
import {
  ConferenceError,
  type CallLeg,
  type Conference,
  type ConferenceJoin,
  type ConferenceMember,
  type ConferenceMode,
} from './contract.ts';

interface Entry<L> {
  mode: ConferenceMode;
  to?: L;
  onHangup: () => void;
}

/** The conference each leg is in (a leg is in at most one). */
const membership = new WeakMap<CallLeg, Conference>();

/** The conference `leg` is a member of, if any (bridging a leg takes it out first). */
export function conferenceOf(leg: CallLeg): Conference | undefined {
  return membership.get(leg);
}

export abstract class ConferenceRoster<L extends CallLeg> implements Conference {
  readonly id: string;
  protected readonly entries = new Map<L, Entry<L>>();
  private destroyed = false;

  constructor(id?: string) {
    this.id = id ?? randomUUID();
  }

  /** The leg as this engine's own type, or undefined when it belongs to another engine. */
  protected abstract own(leg: CallLeg): L | undefined;
  /** Media: the leg (already unbridged) starts hearing and being heard as `entries` says. */
  protected abstract connect(leg: L): void;
  /** Media: the leg hears nothing more from the conference. */
  protected abstract disconnect(leg: L): void;
  /** Media: modes or whisper targets changed; apply `entries` again. */
  protected abstract rearrange(): void;

  async join(leg: CallLeg, opts: ConferenceJoin): Promise<void> {
    const own = this.admit(leg, opts);
    if (this.entries.has(own)) return this.setMode(leg, opts);
    const other = membership.get(own);
    if (other && other !== this) await other.leave(own);
    await own.unbridge();
    // The leg may have ended, or someone else joined it, while we awaited.
    this.admit(leg, opts);
    if (this.entries.has(own)) return this.setMode(leg, opts);
    const onHangup = (): void => void this.leave(own);
    this.entries.set(own, { mode: opts.mode, to: this.targetOf(own, opts), onHangup });
    membership.set(own, this);
    own.on('hangup', onHangup);
    try {
      this.connect(own);
    } catch (err) {
      this.forget(own);
      throw err;
    }
    this.rearrange();
  }

  async setMode(leg: CallLeg, opts: ConferenceJoin): Promise<void> {
    const own = this.admit(leg, opts);
    const entry = this.entries.get(own);
    if (!entry) throw new ConferenceError('E_NOT_MEMBER', `leg ${leg.id} is not in conference ${this.id}`);
    entry.mode = opts.mode;
    entry.to = this.targetOf(own, opts);
    this.rearrange();
  }

  async leave(leg: CallLeg): Promise<void> {
    const own = this.own(leg);
    if (!own || !this.entries.has(own)) return;
    this.forget(own);
    this.disconnect(own);
    this.rearrange();
  }

  members(): ConferenceMember[] {
    return [...this.entries].map(([leg, e]) =>
      e.to ? { leg, mode: e.mode, to: e.to } : { leg, mode: e.mode },
    );
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const leg of [...this.entries.keys()]) await this.leave(leg);
  }

  private forget(leg: L): void {
    const entry = this.entries.get(leg);
    if (!entry) return;
    this.entries.delete(leg);
    leg.off('hangup', entry.onHangup);
    if (membership.get(leg) === this) membership.delete(leg);
  }

  /** Checks a join or mode change; returns the leg as this engine's own. */
  private admit(leg: CallLeg, opts: ConferenceJoin): L {
    if (this.destroyed) throw new ConferenceError('E_DESTROYED', `conference ${this.id} was destroyed`);
    const own = this.own(leg);
    if (!own) throw new ConferenceError('E_FOREIGN_LEG', `leg ${leg.id} belongs to another engine`);
    if (own.state === 'ended') throw new ConferenceError('E_LEG_ENDED', `leg ${leg.id} has ended`);
    if (opts.mode === 'whisper') this.targetOf(own, opts);
    return own;
  }

  /** The whisper target of `leg` (a member other than `leg`); undefined for the other modes. */
  private targetOf(leg: L, opts: ConferenceJoin): L | undefined {
    if (opts.mode !== 'whisper') return undefined;
    const to = opts.to ? this.own(opts.to) : undefined;
    if (!to || to === leg || !this.entries.has(to)) {
      throw new ConferenceError('E_WHISPER_TARGET', 'a whisper needs `to`: another member of the conference');
    }
    return to;
  }
}

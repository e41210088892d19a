// The live state of every extension (EXTNUM_STATE, section 14): registration and phone type from the engine,
// presence from the API or the phone, call state derived from the call registry, missed calls from the bus.
import type { MediaEngine, Registration } from '../../media/contract.ts';
import type { CallRegistry } from '../calls/registry.ts';
import type { Call } from '../calls/call.ts';
import type { Leg } from '../calls/leg.ts';
import type { EventBus } from '../events.ts';
import type { Directory } from './directory.ts';

export type ExtensionState = 'ONLINE' | 'OFFLINE' | 'BUSY_OUTGOING' | 'BUSY_INCOMING';
/** As printed in the manual, `unkown` included. */
export type Presence = 'online' | 'offline' | 'reducing' | 'busy' | 'unkown';
/** What the API or the phone may set. */
export type SettablePresence = 'online' | 'reducing' | 'busy';

/** One row of EXTNUM_STATE, with the manual's field names. */
export interface ExtensionStatus {
  telNum: string;
  userName: string;
  telRegState: 0 | 1;
  phoneType: string;
  state: ExtensionState;
  presence: Presence;
  missingCallCount: number;
  /** Only while the extension is in a call. */
  remoteNum?: string;
}

interface InCall {
  call: Call;
  leg: Leg;
}

export class ExtensionStates {
  private readonly registered = new Map<string, Registration>();
  private readonly presence = new Map<string, SettablePresence>();
  private readonly missed = new Map<string, number>();
  /** When each extension last finished a call (longest-idle queues). */
  private readonly idleSince = new Map<string, number>();
  private engine?: MediaEngine;

  constructor(
    private readonly directory: Directory,
    private readonly registry: CallRegistry,
    private readonly bus: EventBus,
  ) {
    bus.on('leg.changed', ({ leg }) => {
      if (leg.extension === undefined) return;
      if (leg.status === 'ended') {
        this.idleSince.set(leg.extension, Date.now());
        // Offered and never answered: the agent missed it.
        if (!leg.answered && leg.direction === 'incoming' && leg.role === 'agent')
          this.missed.set(leg.extension, (this.missed.get(leg.extension) ?? 0) + 1);
      }
      void bus.emit({ type: 'extension.changed', at: Date.now(), number: leg.extension });
    });
  }

  /** Follows the engine's registrar (call once the engine is created). */
  follow(engine: MediaEngine): void {
    this.engine = engine;
    for (const r of engine.registrations()) this.registered.set(r.user, r);
    engine.on('registration', ({ user, registered }) => {
      if (registered) {
        const r = engine.registrations().find((x) => x.user === user);
        if (r) this.registered.set(user, r);
      } else this.registered.delete(user);
      void this.bus.emit({ type: 'extension.changed', at: Date.now(), number: user });
    });
  }

  isRegistered(number: string): boolean {
    const r = this.registered.get(number);
    if (r === undefined) return false;
    if (r.expires > Date.now()) return true;
    // A refresh moves the expiry without a `registration` event (the extension stayed registered): read it anew.
    const fresh = this.engine?.registrations().find((x) => x.user === number && x.expires > Date.now());
    if (fresh) this.registered.set(number, fresh);
    return fresh !== undefined;
  }

  /** Sets presence; false for an unknown extension. */
  setPresence(number: string, p: SettablePresence): boolean {
    if (!this.directory.isExtension(number)) return false;
    this.presence.set(number, p);
    void this.bus.emit({ type: 'extension.changed', at: Date.now(), number });
    return true;
  }

  presenceOf(number: string): SettablePresence {
    return this.presence.get(number) ?? 'online';
  }

  /** Registered and in no live call: can be offered a call. */
  isFree(number: string): boolean {
    return this.isRegistered(number) && this.registry.legsOfExtension(number).length === 0;
  }

  idleFor(number: string, now = Date.now()): number {
    return now - (this.idleSince.get(number) ?? 0);
  }

  status(number: string): ExtensionStatus | undefined {
    return this.directory.isExtension(number) ? this.build(number, this.callsByExtension()) : undefined;
  }

  /** Every extension, in number order (one pass over the live calls for all of them). */
  all(): ExtensionStatus[] {
    const calls = this.callsByExtension();
    return this.directory.allExtensions().map((e) => this.build(e.number, calls));
  }

  private callsByExtension(): Map<string, InCall> {
    const map = new Map<string, InCall>();
    for (const call of this.registry.all())
      for (const leg of call.legs)
        if (leg.live && leg.extension && !map.has(leg.extension)) map.set(leg.extension, { call, leg });
    return map;
  }

  private build(number: string, calls: Map<string, InCall>): ExtensionStatus {
    const ext = this.directory.extension(number);
    const reg = this.isRegistered(number) ? this.registered.get(number) : undefined;
    const inCall = calls.get(number);
    const status: ExtensionStatus = {
      telNum: number,
      userName: ext?.name ?? number,
      telRegState: reg ? 1 : 0,
      phoneType: reg?.userAgent ?? '',
      state: inCall ? busyState(inCall) : reg ? 'ONLINE' : 'OFFLINE',
      presence: reg ? this.presenceOf(number) : 'offline',
      missingCallCount: this.missed.get(number) ?? 0,
    };
    if (inCall) status.remoteNum = remoteOf(inCall);
    return status;
  }
}

/** BUSY_OUTGOING when the extension placed the call (it dialled, or click-to-dial dialled for its agent). */
function busyState({ call, leg }: InCall): ExtensionState {
  const placedIt = leg.direction === 'outgoing' || (call.kind === 'outbound' && leg.role === 'agent');
  return placedIt ? 'BUSY_OUTGOING' : 'BUSY_INCOMING';
}

/** The party at the other end: the customer, or for the customer's own leg the number it called. */
function remoteOf({ call, leg }: InCall): string {
  if (leg.role !== 'customer') return call.customer?.number ?? call.caller;
  return call.legs.find((l) => l.live && l !== leg && l.role === 'agent')?.number ?? call.callee;
}

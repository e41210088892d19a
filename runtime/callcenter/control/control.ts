// The control surface the manual's interfaces (HTTP, SOAP) drive: each operation answers in the manual's codes.
import type { Store } from '../store/db.ts';
import type { ExtensionStates, ExtensionStatus, SettablePresence } from '../extensions/live-state.ts';
import type { ControlDeps, ControlResult } from './context.ts';
import { done, fail } from './context.ts';
import { clickToDial, clickToHangup } from './click-to-dial.ts';
import { blindTransfer, talkingCallerToIvr } from './transfer.ts';

export class Control {
  constructor(
    private readonly d: ControlDeps,
    /** Call logs and recordings are read from here. */
    readonly store: Store,
  ) {}

  get states(): ExtensionStates {
    return this.d.states;
  }

  clickToDial(agent: string, customer: string): Promise<ControlResult> {
    return clickToDial(this.d, agent, customer);
  }

  clickToHangup(caller: string, callee: string): Promise<ControlResult> {
    return clickToHangup(this.d, caller, callee);
  }

  blindTransfer(extnum: string, target: string): Promise<ControlResult> {
    return blindTransfer(this.d, extnum, target);
  }

  talkingCallerToIvr(caller: string, callee: string, ivrid: string): Promise<ControlResult> {
    return talkingCallerToIvr(this.d, caller, callee, ivrid);
  }

  /** SET_EXT_PRESENCE_STATE: 404 for an unknown extension. */
  setPresence(extnum: string, presence: SettablePresence): ControlResult {
    return this.d.states.setPresence(extnum, presence) ? done() : fail(404, `no extension ${extnum}`);
  }

  /** EXTNUM_STATE: every extension's live state. */
  extensionStates(): ExtensionStatus[] {
    return this.d.states.all();
  }
}

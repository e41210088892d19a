// The control surface the manual's interfaces (HTTP, SOAP) drive: each operation answers in the manual's codes.
import type { Store } from '../store/db.ts';
import type { ExtensionStates, ExtensionStatus, SettablePresence } from '../extensions/live-state.ts';
import type { ControlDeps, ControlResult } from './context.ts';
import { done, fail } from './context.ts';
import { clickCallState, clickToDial, clickToHangup, hangupClickCall } from './click-to-dial.ts';
import { blindTransfer, talkingCallerToIvr } from './transfer.ts';
import {
  callThird,
  callThirdConference,
  callThirdResume,
  callThirdState,
  callThirdTransfer,
} from './consult.ts';
import { conferenceCreate, conferenceJoin, Conferences } from './conference.ts';
import { callMonitor, forceHangup, forcePickup } from './monitor.ts';

export class Control {
  private readonly conferences = new Conferences();

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

  /** SOAP click2hungup: by the clickcallid click-to-dial answered. */
  hangupClickCall(clickCallId: string): Promise<ControlResult> {
    return hangupClickCall(this.d, clickCallId);
  }

  /** SOAP state4click: 0 idle, 1 agent ringing, 2 customer ringing, 3 talking. */
  clickCallState(clickCallId: string): 0 | 1 | 2 | 3 {
    return clickCallState(this.d, clickCallId);
  }

  blindTransfer(extnum: string, target: string): Promise<ControlResult> {
    return blindTransfer(this.d, extnum, target);
  }

  talkingCallerToIvr(caller: string, callee: string, ivrid: string): Promise<ControlResult> {
    return talkingCallerToIvr(this.d, caller, callee, ivrid);
  }

  callThird(agent: string, target: string): Promise<ControlResult> {
    return callThird(this.d, agent, target);
  }

  callThirdResume(agent: string): Promise<ControlResult> {
    return callThirdResume(this.d, agent);
  }

  callThirdState(agent: string): ControlResult {
    return callThirdState(this.d, agent);
  }

  callThirdConference(agent: string): Promise<ControlResult> {
    return callThirdConference(this.d, agent);
  }

  callThirdTransfer(agent: string): Promise<ControlResult> {
    return callThirdTransfer(this.d, agent);
  }

  conferenceCreate(caller: string, callee: string, target: string): Promise<ControlResult> {
    return conferenceCreate(this.d, this.conferences, caller, callee, target);
  }

  conferenceJoin(id: string, target: string): Promise<ControlResult> {
    return conferenceJoin(this.d, this.conferences, id, target);
  }

  callMonitor(leader: string, worker: string): Promise<ControlResult> {
    return callMonitor(this.d, leader, worker);
  }

  forcePickup(leader: string, worker: string): Promise<ControlResult> {
    return forcePickup(this.d, leader, worker);
  }

  forceHangup(leader: string, worker: string): Promise<ControlResult> {
    return forceHangup(this.d, leader, worker);
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

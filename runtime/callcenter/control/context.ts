// What the control operations (the manual's call-control interfaces) work with, and what they answer.
import type { MediaEngine } from '../../media/contract.ts';
import type { Logger } from '../../log.ts';
import type { CallRegistry } from '../calls/registry.ts';
import type { Directory } from '../extensions/directory.ts';
import type { ExtensionStates } from '../extensions/live-state.ts';
import type { IvrDeps, RunnableFlow } from '../ivr.ts';

/**
 * The outcome of an operation in the manual's codes (200, 404, 480, 481, 483, 486, 503 …), with a short English
 * reason; `data` is what a success hands back (CLICK_TO_DIAL's clickcallid).
 */
export interface ControlResult {
  code: number;
  reason?: string;
  data?: string;
}

export const done = (data?: string): ControlResult =>
  data === undefined ? { code: 200 } : { code: 200, data };
export const fail = (code: number, reason: string): ControlResult => ({ code, reason });

/** Files the control operations play (absolute paths inside the sound root). */
export interface ControlSounds {
  /** Heard by the party waiting while another rings. */
  ringback: string;
  /** Heard by an agent whose customer could not be reached. */
  notReached: string;
  /** Heard by a customer held while the agent consults (absent: the engine's own music on hold). */
  holdMusic?: string;
}

export interface ControlDeps {
  /** Undefined while no telephony engine is attached (SIP off): operations that need one answer 503. */
  engine?: MediaEngine;
  registry: CallRegistry;
  directory: Directory;
  states: ExtensionStates;
  ivr: IvrDeps;
  log: Logger;
  sounds: ControlSounds;
  /** Seconds an extension or a customer is rung. */
  ringSec: number;
  /** An IVR by the manual's `ivrid`: a number routed to a flow, or a flow id. */
  ivrFor: (ivrid: string) => Promise<RunnableFlow | undefined>;
}

/** Checks that `number` is an extension that can take a call now: 404 unknown, 480 offline, 486 busy. */
export function reachable(d: ControlDeps, number: string): ControlResult | undefined {
  if (!d.engine) return fail(503, 'no telephony engine (SIP is off)');
  if (!d.directory.isExtension(number)) return fail(404, `no extension ${number}`);
  if (!d.states.isRegistered(number)) return fail(480, `extension ${number} is offline`);
  if (!d.states.isFree(number)) return fail(486, `extension ${number} is busy`);
  return undefined;
}

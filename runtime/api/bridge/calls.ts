// The call-control opts of `/bridge/callctrl`: click-to-dial and hang-up (sections 1, 2), blind transfer (5),
// back to an IVR (6), presence (8).
import type { OptHandler } from './callctrl.ts';
import { param } from './params.ts';

const PRESENCE = /^(online|reducing|busy)$/;
/** An IVR: a routed number or a flow id. */
const IVR_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const missing = (...names: string[]) => ({ code: 400, reason: `missing or malformed: ${names.join(', ')}` });

/** CLICK_TO_DIAL dials the customer through the trunk, CLICK_TO_IP_DIAL as a network call: one trunk here. */
const clickToDial: OptHandler = async (p, control) => {
  const caller = param(p, 'caller');
  const callee = param(p, 'callee');
  if (!caller || !callee) return missing('caller', 'callee');
  return control.clickToDial(caller, callee);
};

export function callHandlers(): Record<string, OptHandler> {
  return {
    CLICK_TO_DIAL: clickToDial,
    CLICK_TO_IP_DIAL: clickToDial,
    CLICK_TO_HUNGUP: async (p, control) => {
      const caller = param(p, 'caller');
      const callee = param(p, 'callee');
      if (!caller || !callee) return missing('caller', 'callee');
      return control.clickToHangup(caller, callee);
    },
    CLICK_TO_TRANSFER: async (p, control) => {
      const extnum = param(p, 'extnum');
      const target = param(p, 'target');
      if (!extnum || !target) return missing('extnum', 'target');
      return control.blindTransfer(extnum, target);
    },
    TALKING_CALLER_TO_IVR: async (p, control) => {
      const caller = param(p, 'caller');
      const callee = param(p, 'callee');
      const ivrid = param(p, 'ivrid', IVR_ID);
      if (!caller || !callee || !ivrid) return missing('caller', 'callee', 'ivrid');
      return control.talkingCallerToIvr(caller, callee, ivrid);
    },
    SET_EXT_PRESENCE_STATE: async (p, control) => {
      const extnum = param(p, 'extnum');
      const state = param(p, 'state', PRESENCE);
      if (!extnum || !state) return missing('extnum', 'state (online, reducing or busy)');
      return control.setPresence(extnum, state as 'online' | 'reducing' | 'busy');
    },
  };
}

// The multi-party opts of `/bridge/callctrl`: conferences (sections 9, 10), consulting a third party (11–13),
// and a supervisor's monitor, take-over and force hang-up (15–17).
import type { OptHandler } from './callctrl.ts';
import { param } from './params.ts';

const missing = (...names: string[]) => ({ code: 400, reason: `missing or malformed: ${names.join(', ')}` });

/** `callee` (the agent's extension) is the one parameter of every CALL_THIRD companion. */
type Control = Parameters<OptHandler>[1];
type Result = Awaited<ReturnType<OptHandler>>;

const byAgent =
  (run: (control: Control, agent: string) => Promise<Result>): OptHandler =>
  async (p, control) => {
    const callee = param(p, 'callee');
    return callee ? run(control, callee) : missing('callee');
  };

/** `leaderExtnum` (the supervisor) and `wokerExtnum` (sic, the agent) of sections 15–17. */
const bySupervisor =
  (run: (control: Control, leader: string, worker: string) => Promise<Result>): OptHandler =>
  async (p, control) => {
    const leader = param(p, 'leaderExtnum');
    const worker = param(p, 'wokerExtnum');
    return leader && worker ? run(control, leader, worker) : missing('leaderExtnum', 'wokerExtnum');
  };

export function partyHandlers(): Record<string, OptHandler> {
  return {
    CONFERENCE_CREATE: async (p, control) => {
      const caller = param(p, 'caller');
      const callee = param(p, 'callee');
      const target = param(p, 'target');
      if (!caller || !callee || !target) return missing('caller', 'callee', 'target');
      return control.conferenceCreate(caller, callee, target);
    },
    CONFERENCE_JOIN: async (p, control) => {
      const id = param(p, 'conferenceid');
      const target = param(p, 'target');
      if (!id || !target) return missing('conferenceid', 'target');
      return control.conferenceJoin(id, target);
    },
    CALL_THIRD: async (p, control) => {
      const callee = param(p, 'callee');
      const target = param(p, 'target');
      if (!callee || !target) return missing('callee', 'target');
      return control.callThird(callee, target);
    },
    CALL_THIRD_RESUME: byAgent((control, agent) => control.callThirdResume(agent)),
    CALL_THIRD_GET_THIRD_STATE: byAgent(async (control, agent) => control.callThirdState(agent)),
    CALL_THIRD_CONFERENCE: byAgent((control, agent) => control.callThirdConference(agent)),
    CALL_THIRD_TRANSFER: byAgent((control, agent) => control.callThirdTransfer(agent)),
    CALL_MONITOR: bySupervisor((control, leader, worker) => control.callMonitor(leader, worker)),
    FORCE_PICKUP: bySupervisor((control, leader, worker) => control.forcePickup(leader, worker)),
    FORCE_HUNGUP: bySupervisor((control, leader, worker) => control.forceHangup(leader, worker)),
  };
}

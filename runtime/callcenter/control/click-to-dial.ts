// CLICK_TO_DIAL / CLICK_TO_IP_DIAL (manual section 1): rings the agent's extension first, then the customer, and
// connects them. CLICK_TO_HUNGUP (section 2) ends the call between the two numbers.
import type { Call } from '../calls/call.ts';
import { done, fail, reachable, type ControlDeps, type ControlResult } from './context.ts';
import { placeLeg } from './originate.ts';

/**
 * Starts the call and answers at once with its id (the clickcallid, also the call's callid); the agent's phone
 * rings, then the customer's while the agent hears ringback.
 */
export async function clickToDial(d: ControlDeps, agent: string, customer: string): Promise<ControlResult> {
  const refused = reachable(d, agent);
  if (refused) return refused;
  if (!d.registry.isAccepting) return fail(503, 'the runtime is shutting down');
  // The clickcallid is the call's callid: one id for the call log, screen pops and CALL_LOG_GET_WITH_CALLID.
  const callId = d.registry.newCallId();
  const call = await d.registry.open({
    kind: 'outbound',
    caller: agent,
    callee: customer,
    callId,
    clickCallId: callId,
  });
  void connect(d, call, agent, customer).catch((err: unknown) => {
    d.log.error({ err, callId: call.callId }, 'click-to-dial failed');
    void call.finish('error', 'error');
  });
  return done(call.callId);
}

async function connect(d: ControlDeps, call: Call, agent: string, customer: string): Promise<void> {
  await call.during(async () => {
    const first = await placeLeg(d, call, {
      role: 'agent',
      number: agent,
      from: customer,
      timeoutSec: d.ringSec,
      signal: call.abort.signal,
    });
    if (!first.media) return void (call.endReason ??= `agent-${first.failure}`);
    const agentLeg = first.media;
    // Hearing ringback tells the agent the customer is being dialled; the customer leg stops when the agent leaves.
    const ringing = new AbortController();
    const agentGone = () => ringing.abort();
    agentLeg.on('hangup', agentGone);
    void agentLeg.play([{ kind: 'file', path: d.sounds.ringback }], {
      bargein: false,
      signal: ringing.signal,
    });
    const second = await placeLeg(d, call, {
      role: 'customer',
      number: customer,
      from: agent,
      businessId: 'maincall',
      timeoutSec: Math.max(d.ringSec, 60),
      signal: AbortSignal.any([call.abort.signal, ringing.signal]),
    });
    agentLeg.off('hangup', agentGone);
    ringing.abort();
    if (!second.media) {
      call.endReason ??= `customer-${second.failure}`;
      if (agentLeg.state !== 'ended')
        await agentLeg.play([{ kind: 'file', path: d.sounds.notReached }], {
          bargein: true,
          signal: call.abort.signal,
        });
      return;
    }
    await agentLeg.bridge(second.media);
  });
}

/** Ends the call between `caller` and `callee` (ringing or answered): 404 none, 483 several. */
export async function clickToHangup(d: ControlDeps, caller: string, callee: string): Promise<ControlResult> {
  const calls = d.registry.between(caller, callee);
  if (calls.length === 0) return fail(404, `no call between ${caller} and ${callee}`);
  if (calls.length > 1) return fail(483, `${calls.length} calls between ${caller} and ${callee}`);
  await calls[0].hangUp('hungup-by-api');
  return done();
}

/** A click-to-dial call by its clickcallid, while it is live. */
const clickCall = (d: ControlDeps, clickCallId: string): Call | undefined => {
  const call = d.registry.get(clickCallId);
  return call && call.clickCallId === clickCallId ? call : undefined;
};

const ringing = (status: string | undefined) => status === 'calling' || status === 'ringing';

/**
 * The state of a click-to-dial call (SOAP `state4click`): 0 idle (unknown, over, or between states), 1 the agent
 * rings, 2 the customer rings, 3 they talk.
 */
export function clickCallState(d: ControlDeps, clickCallId: string): 0 | 1 | 2 | 3 {
  const call = clickCall(d, clickCallId);
  if (!call || call.isOver) return 0;
  const agent = call.legsOf('agent').at(-1)?.status;
  const customer = call.customer?.status;
  if (ringing(agent)) return 1;
  if (ringing(customer)) return 2;
  if (agent === 'talking' && (customer === 'talking' || customer === 'held')) return 3;
  if (agent === 'held' && customer === 'talking') return 3;
  return 0;
}

/** Ends a click-to-dial call by its clickcallid (SOAP `click2hungup`): 404 when it is unknown or over. */
export async function hangupClickCall(d: ControlDeps, clickCallId: string): Promise<ControlResult> {
  const call = clickCall(d, clickCallId);
  if (!call || call.isOver) return fail(404, `no live call ${clickCallId}`);
  await call.hangUp('hungup-by-api');
  return done();
}

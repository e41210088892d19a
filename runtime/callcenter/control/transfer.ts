// CLICK_TO_TRANSFER (manual section 5, blind) and TALKING_CALLER_TO_IVR (section 6): the customer an agent is
// talking with goes to another extension, or back into an IVR; the agent is free at once.
import type { Call } from '../calls/call.ts';
import type { Leg } from '../calls/leg.ts';
import { runIvr } from '../ivr.ts';
import { done, fail, reachable, type ControlDeps, type ControlResult } from './context.ts';
import { codeOf, placeLeg } from './originate.ts';

/** Hangs the agent up and leaves the customer alone on hold music, ready for what comes next. */
async function releaseAgent(call: Call, agent: Leg): Promise<void> {
  const customer = call.customer?.media;
  await customer?.unbridge();
  await agent.media?.hangup('transferred');
  await customer?.hold();
}

/**
 * Blind transfer: 404 unknown target, 480 offline, 486 busy, 481 nothing to transfer; otherwise the agent is
 * released, the customer waits on hold music while the target rings, and the answer comes once it answered (200)
 * or not (486 busy, 480 no answer) — then the customer is offered back to the agent who transferred.
 */
export async function blindTransfer(d: ControlDeps, extnum: string, target: string): Promise<ControlResult> {
  if (!d.directory.isExtension(target)) return fail(404, `no extension ${target}`);
  const talking = d.registry.talkingWith(extnum);
  if (!talking) return fail(481, `extension ${extnum} has no call to transfer`);
  const refused = reachable(d, target);
  if (refused) return refused;
  const { call, leg } = talking;
  return call.during(async () => {
    await releaseAgent(call, leg);
    const to = await handTo(d, call, target);
    if (to.code === 200) return to;
    // Nobody took the customer: the agent who transferred gets the call back.
    const back = await handTo(d, call, extnum);
    if (back.code !== 200) call.endReason ??= 'transfer-failed';
    return to;
  });
}

/** Rings an extension for the call's customer and connects them on answer. */
async function handTo(d: ControlDeps, call: Call, extension: string): Promise<ControlResult> {
  const customer = call.customer;
  if (!customer?.media || call.isOver) return fail(481, 'the customer left');
  const placed = await placeLeg(d, call, {
    role: 'agent',
    number: extension,
    from: customer.number,
    timeoutSec: d.ringSec,
    signal: call.abort.signal,
  });
  if (!placed.media)
    return fail(codeOf(placed.failure ?? 'failed'), `extension ${extension}: ${placed.failure}`);
  if (customer.media.state === 'ended') {
    await placed.media.hangup('normal');
    return fail(481, 'the customer left');
  }
  await customer.media.unhold();
  await customer.media.bridge(placed.media);
  return done();
}

/**
 * Sends the customer talking with extension `callee` (caller `caller`) into the IVR `ivrid`: 404 no such call or
 * IVR, 483 several calls match. The agent is released; the IVR's transfers bring the customer back to an agent.
 */
export async function talkingCallerToIvr(
  d: ControlDeps,
  caller: string,
  callee: string,
  ivrid: string,
): Promise<ControlResult> {
  const calls = d.registry.between(caller, callee).filter((c) => c.customer?.status === 'talking');
  if (calls.length === 0) return fail(404, `no call between ${caller} and ${callee}`);
  if (calls.length > 1) return fail(483, `${calls.length} calls between ${caller} and ${callee}`);
  const flow = await d.ivrFor(ivrid);
  if (!flow) return fail(404, `no IVR ${ivrid}`);
  const call = calls[0];
  const agent = call.legs.find((l) => l.live && l.role !== 'customer' && l.number === callee);
  await call.during(async () => {
    if (agent) await releaseAgent(call, agent);
    await call.customer?.media?.unhold();
    // Started inside this operation, so the call never looks empty between the agent leaving and the IVR.
    void runIvr(call, flow, d.ivr).catch((err: unknown) => {
      d.log.error({ err, callId: call.callId }, 'IVR after transfer failed');
      void call.finish('error', 'error');
    });
  });
  return done();
}

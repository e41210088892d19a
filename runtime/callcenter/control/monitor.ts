// CALL_MONITOR, FORCE_PICKUP and FORCE_HUNGUP (manual sections 15–17): a supervisor with the `monitor` permission
// listens to an agent's call (neither party hears him), takes it over, or ends it.
import type { Call } from '../calls/call.ts';
import type { Leg } from '../calls/leg.ts';
import { done, fail, reachable, type ControlDeps, type ControlResult } from './context.ts';
import { conferenceOf, joinConference } from './mix.ts';
import { placeLeg } from './originate.ts';

/** 403 without the permission, 404 when the worker is in no talking call. */
function target(d: ControlDeps, leader: string, worker: string): ControlResult | { call: Call; agent: Leg } {
  if (!d.directory.can(leader, 'monitor'))
    return fail(403, `extension ${leader} lacks the monitor permission`);
  const talking = d.registry
    .legsOfExtension(worker)
    .find(({ leg }) => leg.status === 'talking' || leg.status === 'held');
  if (!talking) return fail(404, `extension ${worker} is not in a call`);
  return { call: talking.call, agent: talking.leg };
}

/** Aborted when the customer leaves or the call ends: a supervisor's phone still ringing then stops. */
function whileCustomerStays(call: Call): AbortSignal {
  const gone = new AbortController();
  const customer = call.customer?.media;
  if (!customer || customer.state === 'ended') gone.abort();
  else customer.on('hangup', () => gone.abort());
  void call.ended.then(() => gone.abort());
  return AbortSignal.any([call.abort.signal, gone.signal]);
}

const callGone = (call: Call) => fail(404, `call ${call.callId} ended`);

/** The supervisor's leg in the call (already listening), or a new one: rings the supervisor's phone. */
async function supervisorLeg(d: ControlDeps, call: Call, leader: string): Promise<Leg | ControlResult> {
  const existing = call.legs.find((l) => l.live && l.role === 'supervisor' && l.extension === leader);
  if (existing) return existing;
  const refused = reachable(d, leader);
  // The manual lists no offline/busy code here: the supervisor's phone is the resource missing (503).
  if (refused) return fail(503, refused.reason ?? 'supervisor unavailable');
  const placed = await placeLeg(d, call, {
    role: 'supervisor',
    number: leader,
    from: call.customer?.number ?? call.caller,
    timeoutSec: d.ringSec,
    signal: whileCustomerStays(call),
  });
  if (!call.customer || call.isOver) {
    // The customer left while the phone rang (that is why the call ends), or just as it was answered.
    call.endReason ??= 'customer-hangup';
    await placed.media?.hangup('normal');
    return callGone(call);
  }
  return placed.media ? placed.leg : fail(503, `supervisor ${leader}: ${placed.failure}`);
}

/** Puts the supervisor's leg in the call's conference; 503 (the supervisor hung up) when it cannot. */
async function connectSupervisor(
  d: ControlDeps,
  call: Call,
  leg: Leg,
  mode: 'listen' | 'speak',
): Promise<ControlResult | undefined> {
  try {
    await conferenceOf(d, call);
    await joinConference(d, call, leg, mode);
    return undefined;
  } catch (err) {
    d.log.error({ err, callId: call.callId }, 'cannot connect the supervisor');
    await leg.media?.hangup('error');
    return fail(503, 'cannot connect the supervisor');
  }
}

/**
 * CALL_MONITOR: the supervisor hears customer and agent; neither hears him. The call is not held up while the
 * supervisor's phone rings: if either party leaves, there is nothing left to monitor.
 */
export async function callMonitor(d: ControlDeps, leader: string, worker: string): Promise<ControlResult> {
  const found = target(d, leader, worker);
  if ('code' in found) return found;
  const { call } = found;
  const leg = await supervisorLeg(d, call, leader);
  if ('code' in leg) return leg;
  return (await connectSupervisor(d, call, leg, 'listen')) ?? done();
}

/**
 * FORCE_PICKUP: the supervisor replaces the agent in the conversation with the customer. One operation from the
 * ring to the take-over: the call stays up while the supervisor's phone rings, even if the agent leaves meanwhile.
 */
export async function forcePickup(d: ControlDeps, leader: string, worker: string): Promise<ControlResult> {
  const found = target(d, leader, worker);
  if ('code' in found) return found;
  const { call, agent } = found;
  return call.during(async () => {
    const leg = await supervisorLeg(d, call, leader);
    if ('code' in leg) return leg;
    const refused = await connectSupervisor(d, call, leg, 'speak');
    if (refused) return refused;
    // From here the supervisor is the party that holds the call up.
    call.changeRole(leg, 'agent');
    await agent.media?.hangup('transferred');
    return done();
  });
}

/** FORCE_HUNGUP: the supervisor ends the agent's call (every leg). */
export async function forceHangup(d: ControlDeps, leader: string, worker: string): Promise<ControlResult> {
  const found = target(d, leader, worker);
  if ('code' in found) return found;
  await found.call.hangUp(`force-hungup-by-${leader}`);
  return done();
}

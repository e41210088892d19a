// CALL_THIRD and its companions (manual sections 11–13): while the customer hears hold music the agent calls a
// third party, then resumes, makes a three-way call, or hands the customer over (attended transfer).
import type { CallLeg } from '../../media/contract.ts';
import type { Call, Consult } from '../calls/call.ts';
import type { Leg } from '../calls/leg.ts';
import { done, fail, type ControlDeps, type ControlResult } from './context.ts';
import { conferenceOf, connect, holdLeg, joinConference } from './mix.ts';
import { cannotTake, placeLeg } from './originate.ts';

/** While the third party of a consultation rings: what stops the agent's ringback, and what cancels the call. */
interface Ringing {
  /** The agent hears ringback until the answer, or until it talks with the customer again (or in conference). */
  ringback: AbortController;
  /** Cancels the third party's call (CALL_THIRD_RESUME "whether the third party rings or answered"). */
  cancel: AbortController;
}

const ringingOf = new WeakMap<Consult, Ringing>();

/** The call in which extension `agent` consults a third party. */
function consulting(d: ControlDeps, agent: string): { call: Call; consult: Consult } | undefined {
  for (const { call } of d.registry.legsOfExtension(agent))
    if (call.consult && call.consult.agent.extension === agent && call.consult.agent.live)
      return { call, consult: call.consult };
  return undefined;
}

/**
 * Puts the customer talking with extension `agent` on hold music and dials `target` for the agent: 404 when the
 * agent talks with no customer (or already consults). Answers at once; the third party's state is polled.
 */
export async function callThird(d: ControlDeps, agent: string, target: string): Promise<ControlResult> {
  if (!d.engine) return fail(503, 'no telephony engine (SIP is off)');
  const talking = d.registry.talkingWith(agent);
  // A consultation whose third party refused (603) stays queryable until the next one.
  if (!talking || (talking.call.consult && talking.call.consult.state !== 603))
    return fail(404, `extension ${agent} has no call to consult from`);
  const { call, leg } = talking;
  const customer = call.customer;
  if (!customer) return fail(404, 'the call has no customer');
  const consult: Consult = { agent: leg, state: 100 };
  call.consult = consult;
  ringingOf.set(consult, { ringback: new AbortController(), cancel: new AbortController() });
  await holdLeg(call, customer, d.sounds.holdMusic);
  void placeThird(d, call, consult, target).catch((err: unknown) => {
    d.log.error({ err, callId: call.callId }, 'CALL_THIRD failed');
    consult.state = 603;
  });
  return done();
}

async function placeThird(d: ControlDeps, call: Call, consult: Consult, target: string): Promise<void> {
  const agent = consult.agent.media;
  if (!agent) return;
  await agent.unbridge();
  const { ringback, cancel } = ringingOf.get(consult)!;
  // A busy or offline extension is not rung: the agent is back with the customer at once (603).
  const refused = cannotTake(d, target);
  if (!refused)
    void agent.play([{ kind: 'file', path: d.sounds.ringback }], { bargein: false, signal: ringback.signal });
  // The agent leaving while the third party rings (or talks) hands the customer over, as on a PBX.
  const onAgentGone = () => void handOver(d, call).catch(() => undefined);
  agent.on('hangup', onAgentGone);
  // The customer leaving ends the call: the third party is not left ringing (the call waits for this attempt).
  const held = call.customer?.media;
  const onCustomerGone = () => cancel.abort();
  held?.on('hangup', onCustomerGone);
  const placed = await call.during(() =>
    placeLeg(d, call, {
      role: 'third',
      number: target,
      from: consult.agent.number,
      timeoutSec: d.ringSec,
      signal: AbortSignal.any([call.abort.signal, cancel.signal]),
      refused,
      onRinging: () => {
        if (consult.state === 100) consult.state = 180;
      },
    }),
  );
  ringback.abort();
  held?.off('hangup', onCustomerGone);
  consult.third = placed.leg;
  if (!placed.media) {
    consult.state = 603;
    agent.off('hangup', onAgentGone);
    // The agent is back with the customer at once; the 603 stays for CALL_THIRD_GET_THIRD_STATE.
    const customer = call.customer;
    if (consult.outcome === undefined && customer && consult.agent.live)
      await connect(d, call, customer, consult.agent);
    return;
  }
  consult.state = 200;
  await answered(d, call, consult, placed.leg, placed.media);
}

/** The third party answered: it talks with the agent, or follows what the agent decided while it rang. */
async function answered(
  d: ControlDeps,
  call: Call,
  consult: Consult,
  third: Leg,
  media: CallLeg,
): Promise<void> {
  const customer = call.customer;
  switch (consult.outcome) {
    case 'resumed':
      await media.hangup('normal');
      return;
    case 'handed-over':
      if (customer) await connect(d, call, customer, third);
      return;
    case 'conferenced':
      await joinConference(d, call, third, 'speak');
      break;
    default:
      if (consult.agent.live) await consult.agent.media?.bridge(media);
  }
  // The third party leaving ends the consultation: the agent is back with the customer.
  media.on('hangup', () => {
    if (call.consult === consult) void resumeCall(d, call).catch(() => undefined);
  });
}

/** Back to the customer: the third party (if any) is hung up, the customer taken off hold. */
async function resumeCall(d: ControlDeps, call: Call): Promise<void> {
  const consult = call.consult;
  call.consult = undefined;
  if (!consult) return;
  consult.outcome = 'resumed';
  const ringing = ringingOf.get(consult);
  ringing?.ringback.abort();
  ringing?.cancel.abort();
  await consult.third?.media?.hangup('normal');
  const customer = call.customer;
  if (customer && consult.agent.live) await connect(d, call, customer, consult.agent);
}

/** The customer goes to the third party; the agent is released. */
async function handOver(d: ControlDeps, call: Call): Promise<void> {
  const consult = call.consult;
  const customer = call.customer;
  if (!consult || !customer) return;
  call.consult = undefined;
  consult.outcome = 'handed-over';
  const third = consult.third;
  await call.during(async () => {
    await consult.agent.media?.hangup('transferred');
    if (third?.live) await connect(d, call, customer, third);
  });
}

export async function callThirdResume(d: ControlDeps, agent: string): Promise<ControlResult> {
  const found = consulting(d, agent);
  if (!found) return fail(404, `extension ${agent} is not consulting`);
  await resumeCall(d, found.call);
  return done();
}

/** The third party's state in the manual's codes: 100 placed, 180 ringing, 200 answered, 603 refused. */
export function callThirdState(d: ControlDeps, agent: string): ControlResult {
  const found = consulting(d, agent);
  return found ? { code: found.consult.state } : fail(404, `extension ${agent} is not consulting`);
}

/** A three-way call: customer, agent and third party in one conference. */
export async function callThirdConference(d: ControlDeps, agent: string): Promise<ControlResult> {
  const found = consulting(d, agent);
  if (!found) return fail(404, `extension ${agent} is not consulting`);
  if (found.consult.state === 603) return fail(404, 'the third party did not answer');
  const { call, consult } = found;
  const customer = call.customer;
  if (!customer) return fail(404, 'the customer left');
  call.consult = undefined;
  consult.outcome = 'conferenced';
  // A third party still ringing joins when it answers; the agent talks with the customer meanwhile.
  ringingOf.get(consult)?.ringback.abort();
  try {
    await customer.media?.unhold();
    call.setStatus(customer, 'talking');
    await conferenceOf(d, call);
    for (const leg of [customer, consult.agent, consult.third])
      if (leg?.live && leg.status === 'talking') await joinConference(d, call, leg, 'speak');
  } catch (err) {
    d.log.error({ err, callId: call.callId }, 'CALL_THIRD_CONFERENCE failed');
    return fail(500, 'cannot make the three-way call');
  }
  return done();
}

/** Attended transfer: the customer goes to the third party, the agent is released. */
export async function callThirdTransfer(d: ControlDeps, agent: string): Promise<ControlResult> {
  const found = consulting(d, agent);
  if (!found) return fail(404, `extension ${agent} is not consulting`);
  if (found.consult.state === 603) return fail(404, 'the third party did not answer');
  await handOver(d, found.call);
  return done();
}

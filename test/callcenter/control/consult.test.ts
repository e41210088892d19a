// CALL_THIRD and its companions (manual sections 11–13) on live calls: a customer calls in and reaches agent 801,
// who consults 802 while the customer hears hold music, then resumes, makes a three-way call or hands over.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import type { BaresipCaller } from '../../calls/baresip.ts';
import { callsOver, startCenter, type Center } from './center.ts';
import { code, customerTalksWith, endAll, hearing, next, thirdStateBecomes, toAgent } from './talk.ts';

const CUSTOMER_HZ = 1300;
const AGENT_HZ = 700;
const THIRD_HZ = 900;
// Long enough that a third party still ringing after a RESUME could only have been left ringing.
const RING_SEC = 30;

const STATE = 'callee=801&opt=CALL_THIRD_GET_THIRD_STATE';
/** Hold music: sound, but neither the agent's nor the third party's voice. */
const HELD = { music: true, not: [AGENT_HZ, THIRD_HZ] };

let c: Center;
let customer: BaresipCaller | undefined;
let agent: BaresipCaller;
let third: BaresipCaller;

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: AGENT_HZ },
      { number: '802', hz: THIRD_HZ },
    ],
    flows: [{ id: 'to-801', number: '9801', xml: toAgent('801') }],
    overrides: { 'callCenter.ringSec': RING_SEC },
  });
  agent = c.agents.get('801')!;
  third = c.agents.get('802')!;
});
afterEach(async () => {
  await endAll(c);
  await customer?.stop();
  customer = undefined;
});
afterAll(async () => {
  await c?.stop();
});

/** A customer talking with 801, who consults 802: 802 rings (180) and is not answered yet. */
async function ringingThird(number: string): Promise<BaresipCaller> {
  customer = await customerTalksWith(c, {
    customer: number,
    hz: CUSTOMER_HZ,
    number: '9801',
    agent: '801',
    agentHz: AGENT_HZ,
  });
  const rings = next(third, 'CALL_INCOMING');
  expect(await code(c, 'callee=801&target=802&opt=CALL_THIRD')).toEqual({ status: 200, code: '200' });
  await rings();
  await thirdStateBecomes(c, '801', '180');
  return customer;
}

/** A customer talking with 801, who consults 802; 802 rings (180), answers (200) and talks with 801. */
async function consultation(number: string): Promise<BaresipCaller> {
  customer = await ringingThird(number);
  // 180 is no final HTTP status: HTTP 200 with the code as the body.
  expect(await c.callctrl('callee=801&opt=CALL_THIRD_GET_THIRD_STATE')).toEqual({
    status: 200,
    text: '180\n',
  });
  await hearing(customer, 'the held customer', HELD);
  const established = next(third, 'CALL_ESTABLISHED');
  expect((await third.command('accept')).ok).toBe(true);
  await established();
  await thirdStateBecomes(c, '801', '200');
  // Agent and third party talk without the customer, who still hears only music.
  await Promise.all([
    hearing(agent, 'the agent', { tones: [THIRD_HZ], not: [CUSTOMER_HZ] }),
    hearing(third, 'the third party', { tones: [AGENT_HZ], not: [CUSTOMER_HZ] }),
    hearing(customer, 'the held customer', HELD),
  ]);
  return customer;
}

/** The customer hangs up and the call ends for everyone still in it. */
async function customerHangsUp(phone: BaresipCaller): Promise<void> {
  await phone.command('hangup');
  await callsOver(c);
}

describe('CALL_THIRD', () => {
  it('CALL_THIRD_RESUME after the answer hangs up the third party; customer and agent talk again', async () => {
    const phone = await consultation('13900000001');
    const gone = next(third, 'CALL_CLOSED');
    expect(await code(c, 'callee=801&opt=CALL_THIRD_RESUME')).toEqual({ status: 200, code: '200' });
    await gone();
    await Promise.all([
      hearing(phone, 'the customer', { tones: [AGENT_HZ] }),
      hearing(agent, 'the agent', { tones: [CUSTOMER_HZ] }),
    ]);
    expect(await code(c, STATE)).toEqual({ status: 404, code: '404' });
    await customerHangsUp(phone);
  });

  it('CALL_THIRD_CONFERENCE: customer, agent and third party each hear the other two', async () => {
    const phone = await consultation('13900000002');
    expect(await code(c, 'callee=801&opt=CALL_THIRD_CONFERENCE')).toEqual({ status: 200, code: '200' });
    await Promise.all([
      hearing(phone, 'the customer', { tones: [AGENT_HZ, THIRD_HZ] }),
      hearing(agent, 'the agent', { tones: [CUSTOMER_HZ, THIRD_HZ] }),
      hearing(third, 'the third party', { tones: [CUSTOMER_HZ, AGENT_HZ] }),
    ]);
    // "404: … or it has already been transferred or conferenced".
    expect(await code(c, STATE)).toEqual({ status: 404, code: '404' });
    // A three-way call is no conference of CONFERENCE_CREATE: it has no conferenceid.
    expect(await code(c, 'conferenceid=801&target=802&opt=CONFERENCE_JOIN')).toEqual({
      status: 404,
      code: '404',
    });
    // The agent may leave the three-way call: customer and third party go on.
    const agentGone = next(agent, 'CALL_CLOSED');
    await agent.command('hangup');
    await agentGone();
    await Promise.all([
      hearing(phone, 'the customer', { tones: [THIRD_HZ] }),
      hearing(third, 'the third party', { tones: [CUSTOMER_HZ] }),
    ]);
    await customerHangsUp(phone);
  });

  it('CALL_THIRD_TRANSFER releases the agent; the customer talks with the third party', async () => {
    const phone = await consultation('13900000003');
    const agentGone = next(agent, 'CALL_CLOSED');
    expect(await code(c, 'callee=801&opt=CALL_THIRD_TRANSFER')).toEqual({ status: 200, code: '200' });
    await agentGone();
    await Promise.all([
      hearing(phone, 'the customer', { tones: [THIRD_HZ] }),
      hearing(third, 'the third party', { tones: [CUSTOMER_HZ] }),
    ]);
    await waitFor(() => c.runtime.calls.states.isFree('801') || undefined, 5000, '801 to be free');
    expect(await code(c, STATE)).toEqual({ status: 404, code: '404' });
    // The call is the customer's and the third party's now: it ends when the third party hangs up.
    const customerGone = next(phone, 'CALL_CLOSED');
    await third.command('hangup');
    await customerGone();
    await callsOver(c);
  });

  it('CALL_THIRD_RESUME while the third party rings cancels its call', async () => {
    customer = await ringingThird('13900000004');
    const gone = next(third, 'CALL_CLOSED', 15_000);
    expect(await code(c, 'callee=801&opt=CALL_THIRD_RESUME')).toEqual({ status: 200, code: '200' });
    // Cancelled, not left ringing until its ring time (30 s) runs out.
    await gone();
    await Promise.all([
      hearing(customer, 'the customer', { tones: [AGENT_HZ] }),
      hearing(agent, 'the agent', { tones: [CUSTOMER_HZ] }),
    ]);
    expect(await code(c, STATE)).toEqual({ status: 404, code: '404' });
    await customerHangsUp(customer);
  });

  it('CALL_THIRD_CONFERENCE while the third party rings: customer and agent talk, the third joins on answering', async () => {
    const phone = await ringingThird('13900000009');
    expect(await code(c, 'callee=801&opt=CALL_THIRD_CONFERENCE')).toEqual({ status: 200, code: '200' });
    await Promise.all([
      hearing(phone, 'the customer', { tones: [AGENT_HZ], not: [THIRD_HZ] }),
      hearing(agent, 'the agent', { tones: [CUSTOMER_HZ] }),
    ]);
    expect((await third.command('accept')).ok).toBe(true);
    await Promise.all([
      hearing(phone, 'the customer', { tones: [AGENT_HZ, THIRD_HZ] }),
      hearing(agent, 'the agent', { tones: [CUSTOMER_HZ, THIRD_HZ] }),
      hearing(third, 'the third party', { tones: [CUSTOMER_HZ, AGENT_HZ] }),
    ]);
    await customerHangsUp(phone);
  });

  it('CALL_THIRD_TRANSFER while the third party rings: the agent is released, the customer waits for it', async () => {
    const phone = await ringingThird('13900000010');
    const agentGone = next(agent, 'CALL_CLOSED');
    expect(await code(c, 'callee=801&opt=CALL_THIRD_TRANSFER')).toEqual({ status: 200, code: '200' });
    await agentGone();
    await hearing(phone, 'the held customer', HELD);
    expect((await third.command('accept')).ok).toBe(true);
    await Promise.all([
      hearing(phone, 'the customer', { tones: [THIRD_HZ] }),
      hearing(third, 'the third party', { tones: [CUSTOMER_HZ] }),
    ]);
    await customerHangsUp(phone);
  });

  it('the customer hanging up while the third party rings ends the call: its ringing is cancelled', async () => {
    customer = await ringingThird('13900000007');
    // Well before the third party's ring time (30 s) would end its call.
    const thirdGone = next(third, 'CALL_CLOSED', 15_000);
    const agentGone = next(agent, 'CALL_CLOSED', 15_000);
    await customer.command('hangup');
    await thirdGone();
    await agentGone();
    await callsOver(c);
    const [row] = await c.runtime.store.callLogs.list(1, 0);
    expect(row).toMatchObject({ caller: '13900000007', state: 'STATE_RECEIVED' });
    // The third party's attempt is a leg of the call, ended without an answer.
    const legs = await c.runtime.store.callLegs.list(row.callid);
    expect(legs.map((l) => [l.role, l.number, l.answeredAt !== null])).toEqual([
      ['customer', '13900000007', true],
      ['agent', '801', true],
      ['third', '802', false],
    ]);
    expect(legs[2].endCause).toBe('canceled');
  });

  it('the customer hanging up while agent and third party talk ends the call for both', async () => {
    const phone = await consultation('13900000008');
    const thirdGone = next(third, 'CALL_CLOSED');
    const agentGone = next(agent, 'CALL_CLOSED');
    await phone.command('hangup');
    await thirdGone();
    await agentGone();
    await callsOver(c);
  });

  it('the agent hanging up during the consultation hands the customer over to the third party', async () => {
    const phone = await consultation('13900000005');
    await agent.command('hangup');
    await Promise.all([
      hearing(phone, 'the customer', { tones: [THIRD_HZ] }),
      hearing(third, 'the third party', { tones: [CUSTOMER_HZ] }),
    ]);
    expect(c.runtime.calls.count).toBe(1);
    await customerHangsUp(phone);
  });

  it('the agent hanging up while the third party rings: the third party answers and talks with the customer', async () => {
    customer = await ringingThird('13900000006');
    const agentGone = next(agent, 'CALL_CLOSED');
    await agent.command('hangup');
    await agentGone();
    // The customer keeps waiting on music for the third party.
    await hearing(customer, 'the held customer', HELD);
    expect((await third.command('accept')).ok).toBe(true);
    await Promise.all([
      hearing(customer, 'the customer', { tones: [THIRD_HZ] }),
      hearing(third, 'the third party', { tones: [CUSTOMER_HZ] }),
    ]);
    await customerHangsUp(customer);
  });
});

// CONFERENCE_CREATE and CONFERENCE_JOIN (manual sections 9, 10) on live calls: a customer talking with agent 801
// becomes a conference with 802, then 803 is invited by the conference's id; and every documented refusal.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BaresipCaller } from '../../calls/baresip.ts';
import { callsOver, startCenter, type Center } from './center.ts';
import { code, customerTalksWith, endAll, hearing, next, toAgent, WAITS } from './talk.ts';

const CUSTOMER_HZ = 1300;
const AGENT_HZ = 700;
const TARGET_HZ = 900;
const FOURTH_HZ = 1100;

let c: Center;
let customer: BaresipCaller | undefined;
let agent: BaresipCaller;
let target: BaresipCaller;
let fourth: BaresipCaller;

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: AGENT_HZ },
      { number: '802', hz: TARGET_HZ },
      { number: '803', hz: FOURTH_HZ },
    ],
    flows: [
      { id: 'to-801', number: '9801', xml: toAgent('801') },
      { id: 'waits', number: '9999', xml: WAITS },
    ],
  });
  agent = c.agents.get('801')!;
  target = c.agents.get('802')!;
  fourth = c.agents.get('803')!;
});
afterEach(async () => {
  await endAll(c);
  await customer?.stop();
  customer = undefined;
});
afterAll(async () => {
  await c?.stop();
});

const talking = async (number: string) =>
  (customer = await customerTalksWith(c, {
    customer: number,
    hz: CUSTOMER_HZ,
    number: '9801',
    agent: '801',
    agentHz: AGENT_HZ,
  }));

describe('CONFERENCE_CREATE and CONFERENCE_JOIN', () => {
  it('creates the conference (JOIN answers 480 while the target rings), then a fourth party joins', async () => {
    const phone = await talking('13900000021');
    const rings = next(target, 'CALL_INCOMING');
    const created = code(c, 'caller=13900000021&callee=801&target=802&opt=CONFERENCE_CREATE');
    await rings();
    // The conference is still being created while its target rings.
    expect(await code(c, 'conferenceid=13900000021&target=803&opt=CONFERENCE_JOIN')).toEqual({
      status: 480,
      code: '480',
    });
    expect(fourth.count('CALL_INCOMING')).toBe(0);
    expect((await target.command('accept')).ok).toBe(true);
    expect(await created).toEqual({ status: 200, code: '200' });
    await Promise.all([
      hearing(phone, 'the customer', { tones: [AGENT_HZ, TARGET_HZ] }),
      hearing(agent, 'the agent', { tones: [CUSTOMER_HZ, TARGET_HZ] }),
      hearing(target, 'the target', { tones: [CUSTOMER_HZ, AGENT_HZ] }),
    ]);
    // Created twice: by the same numbers, or in the other order.
    for (const q of ['caller=13900000021&callee=801', 'caller=801&callee=13900000021'])
      expect(await code(c, `${q}&target=803&opt=CONFERENCE_CREATE`), q).toEqual({ status: 483, code: '483' });

    // The agent's number is the conference's id too (the manual's example joins conferenceid=801).
    const joins = next(fourth, 'CALL_INCOMING');
    const joined = code(c, 'conferenceid=801&target=803&opt=CONFERENCE_JOIN');
    await joins();
    expect((await fourth.command('accept')).ok).toBe(true);
    expect(await joined).toEqual({ status: 200, code: '200' });
    await Promise.all([
      hearing(fourth, 'the fourth party', { tones: [CUSTOMER_HZ, AGENT_HZ, TARGET_HZ] }),
      hearing(phone, 'the customer', { tones: [AGENT_HZ, TARGET_HZ, FOURTH_HZ] }),
    ]);
    await phone.command('hangup');
    await callsOver(c);
    expect(await code(c, 'conferenceid=801&target=803&opt=CONFERENCE_JOIN')).toEqual({
      status: 404,
      code: '404',
    });
  });

  it('486 for a busy target, which is not rung; the call goes on and a conference can still be made', async () => {
    const busy = fourth;
    const inCall = next(busy, 'CALL_ESTABLISHED');
    expect((await busy.command('dial', `sip:9999@${c.sip}`)).ok).toBe(true);
    await inCall();
    const phone = await talking('13900000022');
    const offered = busy.count('CALL_INCOMING');
    expect(await code(c, 'caller=13900000022&callee=801&target=803&opt=CONFERENCE_CREATE')).toEqual({
      status: 486,
      code: '486',
    });
    expect(busy.count('CALL_INCOMING')).toBe(offered);
    await Promise.all([
      hearing(phone, 'the customer', { tones: [AGENT_HZ] }),
      hearing(agent, 'the agent', { tones: [CUSTOMER_HZ] }),
    ]);
    // Not created: no conference to join, and creating it again is no duplicate.
    expect(await code(c, 'conferenceid=13900000022&target=802&opt=CONFERENCE_JOIN')).toEqual({
      status: 404,
      code: '404',
    });
    const rings = next(target, 'CALL_INCOMING');
    const created = code(c, 'caller=13900000022&callee=801&target=802&opt=CONFERENCE_CREATE');
    await rings();
    expect((await target.command('accept')).ok).toBe(true);
    expect(await created).toEqual({ status: 200, code: '200' });
    await hearing(target, 'the target', { tones: [CUSTOMER_HZ, AGENT_HZ] });
  });

  it('a target that refuses the call: 486', async () => {
    await talking('13900000023');
    const rings = next(target, 'CALL_INCOMING');
    const created = code(c, 'caller=13900000023&callee=801&target=802&opt=CONFERENCE_CREATE');
    await rings();
    await target.command('hangup');
    expect(await created).toEqual({ status: 486, code: '486' });
  });

  it.each([
    ['caller=13900000099&callee=801&target=802&opt=CONFERENCE_CREATE', 404],
    ['caller=801&callee=802&target=803&opt=CONFERENCE_CREATE', 404],
    ['conferenceid=13900000099&target=802&opt=CONFERENCE_JOIN', 404],
    ['conferenceid=801&target=802&opt=CONFERENCE_JOIN', 404],
    ['callee=801&target=802&opt=CONFERENCE_CREATE', 400],
    ['caller=13900000099&target=802&opt=CONFERENCE_CREATE', 400],
    ['caller=13900000099&callee=801&opt=CONFERENCE_CREATE', 400],
    ['caller=13900000099&callee=801&target=80%3B2&opt=CONFERENCE_CREATE', 400],
    ['target=802&opt=CONFERENCE_JOIN', 400],
    ['conferenceid=801&opt=CONFERENCE_JOIN', 400],
    ['conferenceid=801&target=sip%3A802&opt=CONFERENCE_JOIN', 400],
  ])('%s: %i', async (query, want) => {
    const r = await c.callctrl(query);
    expect(r.status).toBe(want);
    expect(r.text).toMatch(new RegExp(`^${want}\\n.`));
  });
});

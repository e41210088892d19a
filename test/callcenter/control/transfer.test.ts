// CLICK_TO_TRANSFER (manual section 5) and TALKING_CALLER_TO_IVR (section 6) on live calls: a customer's baresip
// phone calls an IVR that hands it to agent 801 (baresip), then the control API moves the customer on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import { toneShare } from '../../calls/tones.ts';
import type { BaresipCaller } from '../../calls/baresip.ts';
import { callsOver, CUSTOMER, startCenter, type Center } from './center.ts';

const TNS = 'xmlns:tns="http://www.example.org/voicemail"';
const TO_801 = `<tns:vxml ${TNS}><tns:form id="main"><tns:transfer dest="801" timeout="20"/><tns:hangup/></tns:form></tns:vxml>`;
/** The IVR a customer is sent back to: one key, then hang up. */
const BACK = `<tns:vxml ${TNS}><tns:form id="main">
  <tns:field name="back" length="1" inputexpires="20000"/><tns:hangup/></tns:form></tns:vxml>`;

const CUSTOMER_HZ = 400;
let c: Center;
let phones: BaresipCaller[] = [];
let seq = 0;

/** A customer calls 1000 (the IVR hands it to 801); resolves with its phone and number once 801 rings. */
async function customerCalls(number = `138000000${String(++seq).padStart(2, '0')}`) {
  const phone = await c.customer(number, CUSTOMER_HZ);
  phones.push(phone);
  const agent = c.agents.get('801')!;
  const before = agent.count('CALL_INCOMING');
  expect((await phone.command('dial', `sip:1000@${c.sip}`)).ok).toBe(true);
  await agent.nth('CALL_INCOMING', before + 1);
  return { phone, number };
}

/** A customer talking with 801. */
async function customerWith801() {
  const customer = await customerCalls();
  await c.agents.get('801')!.command('accept');
  await customer.phone.event('CALL_ESTABLISHED');
  await waitFor(() => toneShare(customer.phone.heard(), 600, 600) > 0.5, 10_000, 'the customer to hear 801');
  return customer;
}

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: 600 },
      { number: '802', hz: 800 },
      { number: '804', hz: 1200, offline: true },
    ],
    flows: [
      { id: 'to-801', number: '1000', xml: TO_801 },
      { id: 'back', number: '1002', xml: BACK },
    ],
  });
});
afterEach(async () => {
  await Promise.all(phones.map((p) => p.command('hangup')));
  for (const a of c.agents.values()) await a.command('hangup');
  await c.trunk.command('hangup');
  phones = [];
  await callsOver(c);
});
afterAll(async () => {
  await c?.stop();
});

describe('CLICK_TO_TRANSFER', () => {
  it('moves the customer to 802 and frees 801; the call log keeps every leg', async () => {
    const { phone, number } = await customerWith801();
    const agent = c.agents.get('801')!;
    const target = c.agents.get('802')!;
    const closedBefore = agent.count('CALL_CLOSED');
    const answered = c.callctrl('extnum=801&target=802&opt=CLICK_TO_TRANSFER');
    await target.nth('CALL_INCOMING', target.count('CALL_INCOMING') + 1);
    // Blind: 801 is released at once, before 802 answers.
    await agent.nth('CALL_CLOSED', closedBefore + 1);
    await target.command('accept');
    expect(await answered).toMatchObject({ status: 200, text: '200\n' });
    await waitFor(() => toneShare(phone.heard(), 800, 600) > 0.5, 10_000, 'the customer to hear 802');
    await waitFor(
      () => toneShare(target.heard(), CUSTOMER_HZ, 600) > 0.5,
      10_000,
      '802 to hear the customer',
    );
    const state = JSON.parse((await c.get('/bridge/jsoncfg?opt=EXTNUM_STATE')).text) as Record<
      string,
      unknown
    >[];
    expect(state.find((s) => s.telNum === '801')).toMatchObject({ state: 'ONLINE' });
    expect(state.find((s) => s.telNum === '802')).toMatchObject({
      state: 'BUSY_INCOMING',
      remoteNum: number,
    });
    await phone.command('hangup');
    await callsOver(c);
    const [row] = await c.runtime.store.callLogs.list(1, 0);
    const legs = await c.runtime.store.callLegs.list(row.callid);
    expect(legs.map((l) => [l.role, l.number])).toEqual([
      ['customer', number],
      ['agent', '801'],
      ['agent', '802'],
    ]);
    expect(row).toMatchObject({ state: 'STATE_RECEIVED', endReason: 'customer-hangup', caller: number });
  });

  it('answers 486 when the target is busy, 480 when it is offline, 404 when it is unknown', async () => {
    await customerWith801();
    // 802 busy: a click-to-dial call between 802 and the customer behind the trunk.
    const target = c.agents.get('802')!;
    expect((await c.callctrl(`caller=802&callee=${CUSTOMER}&opt=CLICK_TO_DIAL`)).status).toBe(200);
    await target.nth('CALL_INCOMING', target.count('CALL_INCOMING') + 1);
    await target.command('accept');
    await waitFor(() => !c.runtime.calls.states.isFree('802'), 5000, '802 to be in a call');
    expect((await c.callctrl('extnum=801&target=802&opt=CLICK_TO_TRANSFER')).text).toMatch(/^486\n/);
    expect((await c.callctrl('extnum=801&target=804&opt=CLICK_TO_TRANSFER')).text).toMatch(/^480\n/);
    expect((await c.callctrl('extnum=801&target=899&opt=CLICK_TO_TRANSFER')).text).toMatch(/^404\n/);
  });

  it('gives the customer back to 801 when 802 refuses, and answers with the refusal', async () => {
    const { phone } = await customerWith801();
    const agent = c.agents.get('801')!;
    const target = c.agents.get('802')!;
    const rung = agent.count('CALL_INCOMING');
    const answered = c.callctrl('extnum=801&target=802&opt=CLICK_TO_TRANSFER');
    await target.nth('CALL_INCOMING', target.count('CALL_INCOMING') + 1);
    await target.command('hangup');
    // The agent who transferred is rung again and gets the customer back.
    await agent.nth('CALL_INCOMING', rung + 1);
    await agent.command('accept');
    expect((await answered).text).toMatch(/^4(80|86)\n/);
    await waitFor(() => toneShare(phone.heard(), 600, 600) > 0.5, 10_000, 'the customer to hear 801 again');
  });

  it('answers 481 when the extension has no call to transfer, 400 for missing parameters', async () => {
    expect((await c.callctrl('extnum=802&target=801&opt=CLICK_TO_TRANSFER')).text).toMatch(/^481\n/);
    expect((await c.callctrl('extnum=801&opt=CLICK_TO_TRANSFER')).text).toMatch(/^400\n/);
    expect((await c.callctrl('extnum=801&target=80%202&opt=CLICK_TO_TRANSFER')).text).toMatch(/^400\n/);
  });
});

describe('TALKING_CALLER_TO_IVR', () => {
  it('sends the customer talking with 801 into IVR 1002 and frees 801', async () => {
    const { phone, number } = await customerWith801();
    const agent = c.agents.get('801')!;
    const closedBefore = agent.count('CALL_CLOSED');
    const collecting = new Promise<void>((resolve) => {
      const off = c.runtime.calls.bus.on('call.trace', ({ event }) => {
        if (event.type === 'collect.start' && event.field === 'back') {
          off();
          resolve();
        }
      });
    });
    const r = await c.callctrl(`caller=${number}&callee=801&ivrid=1002&opt=TALKING_CALLER_TO_IVR`);
    expect(r.text).toBe('200\n');
    await agent.nth('CALL_CLOSED', closedBefore + 1);
    await collecting;
    await phone.command('sndcode', '7');
    await phone.event('CALL_CLOSED');
    await callsOver(c);
    const [row] = await c.runtime.store.callLogs.list(1, 0);
    expect(row).toMatchObject({ caller: number, result: 'state=1;back=7', endReason: 'hangup' });
  });

  it('answers 404 for no such call or IVR, 483 when two calls match, 400 for bad parameters', async () => {
    expect((await c.callctrl('caller=1&callee=801&ivrid=1002&opt=TALKING_CALLER_TO_IVR')).text).toMatch(
      /^404\n/,
    );
    // Two calls from the same number, both ringing 801: which one is meant cannot be told.
    await customerCalls('13999999999');
    await customerCalls('13999999999');
    const two = 'caller=13999999999&callee=1000&ivrid=1002&opt=TALKING_CALLER_TO_IVR';
    expect((await c.callctrl(two)).text).toMatch(/^483\n/);
    expect(
      (await c.callctrl('caller=13999999999&callee=801&ivrid=a%20b&opt=TALKING_CALLER_TO_IVR')).text,
    ).toMatch(/^400\n/);
    expect((await c.callctrl('caller=13999999999&callee=801&opt=TALKING_CALLER_TO_IVR')).text).toMatch(
      /^400\n/,
    );
  });
});

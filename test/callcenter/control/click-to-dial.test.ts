// CLICK_TO_DIAL / CLICK_TO_IP_DIAL / CLICK_TO_HUNGUP (manual sections 1, 2) on live calls: baresip agents
// registered as extensions, a baresip phone behind the trunk as the customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import { toneShare } from '../../calls/tones.ts';
import { callsOver, CUSTOMER, startCenter, TRUNK_HZ, type Center } from './center.ts';

let c: Center;

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: 600 },
      { number: '802', hz: 800, answer: 'auto' },
      { number: '804', hz: 1000, offline: true },
    ],
  });
});
afterAll(async () => {
  await c?.stop();
});

describe('CLICK_TO_DIAL', () => {
  it('rings the agent first, then the customer, connects them, and CLICK_TO_HUNGUP ends both', async () => {
    const agent = c.agents.get('801')!;
    const r = await c.callctrl('caller=801&callee=13500000001&authtype=no&opt=CLICK_TO_DIAL');
    expect(r.status).toBe(200);
    const [code, clickcallid] = r.text.trim().split('\n');
    expect(code).toBe('200');
    expect(clickcallid).toMatch(/^[0-9a-f-]{36}@127\.0\.0\.1$/);
    await agent.event('CALL_INCOMING');
    // The customer is not dialled before the agent answers.
    expect(c.trunk.count('CALL_INCOMING')).toBe(0);
    expect((await agent.command('accept')).ok).toBe(true);
    await c.trunk.event('CALL_INCOMING');
    expect((await c.trunk.command('accept')).ok).toBe(true);
    await agent.event('CALL_ESTABLISHED');
    await c.trunk.event('CALL_ESTABLISHED');
    // Both hear each other's voice (their tones) through the bridge.
    await waitFor(
      () => toneShare(agent.heard(), TRUNK_HZ, 1000) > 0.5,
      10_000,
      'the agent to hear the customer',
    );
    await waitFor(
      () => toneShare(c.trunk.heard(), 600, 1000) > 0.5,
      10_000,
      'the customer to hear the agent',
    );

    const state = JSON.parse((await c.get('/bridge/jsoncfg?opt=EXTNUM_STATE')).text) as Record<
      string,
      unknown
    >[];
    expect(state.find((s) => s.telNum === '801')).toMatchObject({
      state: 'BUSY_OUTGOING',
      remoteNum: '13500000001',
      telRegState: 1,
    });

    const hung = await c.callctrl('caller=801&callee=13500000001&opt=CLICK_TO_HUNGUP');
    expect(hung).toMatchObject({ status: 200, text: '200\n' });
    await agent.event('CALL_CLOSED');
    await c.trunk.event('CALL_CLOSED');
    await callsOver(c);

    const logs = JSON.parse(
      (await c.callctrl(`callid=${encodeURIComponent(clickcallid)}&opt=CALL_LOG_GET_WITH_CALLID`)).text,
    );
    expect(logs).toEqual([
      expect.objectContaining({
        callid: clickcallid,
        clickcallid,
        caller: '801',
        callee: '13500000001',
        state: 'STATE_RECEIVED',
        callType: 'LOCAL_CALL',
      }),
    ]);
    const legs = await c.runtime.store.callLegs.list(clickcallid);
    expect(legs.map((l) => [l.role, l.number])).toEqual([
      ['agent', '801'],
      ['customer', '13500000001'],
    ]);
    // Every leg keeps its SIP Call-ID, so a softphone's call can be found.
    for (const l of legs) expect(l.sipCallId).toMatch(/.+/);
    expect((await c.runtime.store.callLogs.bySipCallId(legs[1].sipCallId!))?.callid).toBe(clickcallid);
  });

  it('ends the call when the agent does not answer, without dialling the customer', async () => {
    const r = await c.callctrl(`caller=801&callee=${CUSTOMER}&opt=CLICK_TO_IP_DIAL`);
    expect(r.status).toBe(200);
    const agent = c.agents.get('801')!;
    await agent.nth('CALL_INCOMING', 2);
    await agent.command('hangup');
    await callsOver(c);
    expect(c.trunk.count('CALL_INCOMING')).toBe(1);
    const [row] = await c.runtime.store.callLogs.list(1, 0);
    expect(row).toMatchObject({ callee: `${CUSTOMER}`, state: 'STATE_FAILED' });
  });

  it.each([
    ['caller=899&callee=13500000001', 404],
    ['caller=804&callee=13500000001', 480],
    ['caller=801', 400],
    ['callee=13500000001', 400],
    ['caller=801&callee=135%3B1', 400],
  ])('answers %s with %i', async (q, code) => {
    const r = await c.callctrl(`${q}&opt=CLICK_TO_DIAL`);
    expect(r.status).toBe(code);
    expect(r.text).toMatch(new RegExp(`^${code}\\n`));
  });

  it('answers 486 while the agent is in a call, and CLICK_TO_HUNGUP 404 with no such call', async () => {
    const busy = c.agents.get('802')!;
    const first = await c.callctrl(`caller=802&callee=${CUSTOMER}&opt=CLICK_TO_DIAL`);
    expect(first.status).toBe(200);
    await busy.event('CALL_ESTABLISHED');
    expect((await c.callctrl(`caller=802&callee=${CUSTOMER}&opt=CLICK_TO_DIAL`)).status).toBe(486);
    await c.trunk.nth('CALL_INCOMING', 2);
    await c.trunk.command('hangup');
    await callsOver(c);
    expect((await c.callctrl(`caller=802&callee=${CUSTOMER}&opt=CLICK_TO_HUNGUP`)).status).toBe(404);
  });
});

// CALL_MONITOR, FORCE_PICKUP and FORCE_HUNGUP (manual sections 15–17) on live calls: a customer's phone calls a
// number whose flow transfers to agent 801, and supervisor 803 (with the `monitor` permission) listens, takes
// over or ends the call; what each phone hears is judged from its own tone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneShare } from '../../calls/tones.ts';
import { callsOver, startCenter, type Center } from './center.ts';
import { callAgent, hears, mark, next, toAgentFlow } from './inbound-call.ts';

const CUSTOMER_HZ = 400;
const AGENT_HZ = 600;
const SUPERVISOR_HZ = 1200;
/** The manual's printed URLs (sections 15–17) repeat the path inside the query string. */
const DOUBLED = '/bridge/callctrl?/bridge/callctrl?';

let c: Center;
let customers = 0;

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: AGENT_HZ },
      { number: '802', hz: 800 },
      { number: '803', hz: SUPERVISOR_HZ, permissions: ['monitor'] },
      { number: '805', hz: 1000, permissions: ['monitor'], offline: true },
    ],
    flows: [toAgentFlow('801')],
  });
});
afterAll(async () => {
  await c?.stop();
});

/** A new customer's call, answered by agent 801. */
const inCall = () =>
  callAgent(c, { customer: `1360000000${++customers}`, hz: CUSTOMER_HZ, agent: '801', agentHz: AGENT_HZ });

const opt = (name: string, leader: string, worker: string) =>
  c.callctrl(`leaderExtnum=${leader}&wokerExtnum=${worker}&opt=${name}`);

/** Runs `request`, answers the supervisor's ringing phone, and resolves with the request's answer. */
async function supervisorAnswers(request: () => Promise<{ status: number; text: string }>) {
  const supervisor = c.agents.get('803')!;
  const ringing = next(supervisor, 'CALL_INCOMING');
  const established = next(supervisor, 'CALL_ESTABLISHED');
  const answer = request();
  await ringing;
  expect((await supervisor.command('accept')).ok).toBe(true);
  await established;
  return answer;
}

/** The customer hangs up; every phone in the call is hung up and the call's log is written. */
async function customerHangsUp(call: Awaited<ReturnType<typeof inCall>>, others: (typeof call.agent)[]) {
  const closed = others.map((p) => next(p, 'CALL_CLOSED'));
  expect((await call.customer.command('hangup')).ok).toBe(true);
  await Promise.all(closed);
  await callsOver(c);
}

describe('CALL_MONITOR', () => {
  it('rings the supervisor, who then hears customer and agent while neither hears him', async () => {
    const call = await inCall();
    const supervisor = c.agents.get('803')!;
    const answer = await supervisorAnswers(() => opt('CALL_MONITOR', '803', '801'));
    expect(answer).toEqual({ status: 200, text: '200\n' });
    await hears(supervisor, CUSTOMER_HZ, 'the supervisor to hear the customer');
    await hears(supervisor, AGENT_HZ, 'the supervisor to hear the agent');

    const [byCustomer, byAgent] = await Promise.all([mark(call.customer)(), mark(call.agent)()]);
    expect(toneShare(byCustomer, SUPERVISOR_HZ)).toBeLessThan(0.05);
    expect(toneShare(byAgent, SUPERVISOR_HZ)).toBeLessThan(0.05);
    // The two still talk to each other through the conference.
    expect(toneShare(byCustomer, AGENT_HZ)).toBeGreaterThan(0.5);
    expect(toneShare(byAgent, CUSTOMER_HZ)).toBeGreaterThan(0.5);

    // Asked again while listening: nothing rings.
    const rings = supervisor.count('CALL_INCOMING');
    expect(await opt('CALL_MONITOR', '803', '801')).toEqual({ status: 200, text: '200\n' });
    expect(supervisor.count('CALL_INCOMING')).toBe(rings);
    // The supervisor hangs up: customer and agent go on talking.
    const left = next(supervisor, 'CALL_CLOSED');
    expect((await supervisor.command('hangup')).ok).toBe(true);
    await left;
    const stillTalking = await mark(call.customer)();
    expect(toneShare(stillTalking, AGENT_HZ)).toBeGreaterThan(0.5);

    await customerHangsUp(call, [call.agent]);
    const legs = await c.runtime.store.callLegs.list(call.callId);
    expect(legs.map((l) => [l.role, l.number, l.endCause])).toEqual([
      ['customer', call.number, 'remote-hangup'],
      ['agent', '801', 'customer-hangup'],
      ['supervisor', '803', 'remote-hangup'],
    ]);
    expect(await c.runtime.store.callLogs.get(call.callId)).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'customer-hangup',
    });
  });

  it('answers 403 without the permission, 503 for an offline supervisor, 404 and 400', async () => {
    const call = await inCall();
    const rings = c.agents.get('802')!.count('CALL_INCOMING');
    expect(await opt('CALL_MONITOR', '802', '801')).toEqual({
      status: 403,
      text: '403\nextension 802 lacks the monitor permission\n',
    });
    expect((await c.get(`${DOUBLED}leaderExtnum=802&wokerExtnum=801&opt=CALL_MONITOR`)).status).toBe(403);
    // 805 may monitor but its phone is not registered: the resource missing is the supervisor's phone.
    const offline = await opt('CALL_MONITOR', '805', '801');
    expect(offline.status).toBe(503);
    expect(offline.text).toMatch(/^503\n.*offline/);
    expect(c.agents.get('802')!.count('CALL_INCOMING')).toBe(rings);
    // The refused requests left the call as it was.
    await hears(call.customer, AGENT_HZ, 'the customer to still hear the agent');
    await customerHangsUp(call, [call.agent]);

    expect(await opt('CALL_MONITOR', '803', '801')).toMatchObject({
      status: 404,
      text: expect.stringMatching(/^404\n/),
    });
    expect((await opt('CALL_MONITOR', '803', '802')).status).toBe(404);
    expect((await c.get(`${DOUBLED}leaderExtnum=803&wokerExtnum=801&opt=CALL_MONITOR`)).status).toBe(404);
    for (const q of ['leaderExtnum=803', 'wokerExtnum=801', 'leaderExtnum=803&wokerExtnum=8%3B1', ''])
      expect(await c.callctrl(`${q}&opt=CALL_MONITOR`)).toMatchObject({
        status: 400,
        text: expect.stringMatching(/^400\n/),
      });
  });
});

describe('the customer leaves while the supervisor’s phone rings', () => {
  it.each(['CALL_MONITOR', 'FORCE_PICKUP'])('%s: the ringing stops, the call ends, 404', async (name) => {
    const call = await inCall();
    const supervisor = c.agents.get('803')!;
    const [ringing, stopped] = [next(supervisor, 'CALL_INCOMING'), next(supervisor, 'CALL_CLOSED')];
    const established = supervisor.count('CALL_ESTABLISHED');
    const agentGone = next(call.agent, 'CALL_CLOSED');
    const answer = opt(name, '803', '801');
    await ringing;
    expect((await call.customer.command('hangup')).ok).toBe(true);
    await Promise.all([stopped, agentGone]);
    expect(await answer).toMatchObject({ status: 404, text: expect.stringMatching(/^404\n/) });
    await callsOver(c);
    expect(supervisor.count('CALL_ESTABLISHED')).toBe(established);
    expect(await c.runtime.store.callLogs.get(call.callId)).toMatchObject({ endReason: 'customer-hangup' });
    const legs = await c.runtime.store.callLegs.list(call.callId);
    expect(legs.map((l) => [l.number, l.endCause])).toEqual([
      [call.number, 'remote-hangup'],
      ['801', 'customer-hangup'],
      ['803', 'canceled'],
    ]);
  });
});

describe('FORCE_PICKUP', () => {
  it('rings the supervisor, hangs the agent up, and connects the supervisor with the customer', async () => {
    const call = await inCall();
    const supervisor = c.agents.get('803')!;
    const agentGone = next(call.agent, 'CALL_CLOSED');
    const answer = await supervisorAnswers(() => opt('FORCE_PICKUP', '803', '801'));
    expect(answer).toEqual({ status: 200, text: '200\n' });
    await agentGone;
    await hears(call.customer, SUPERVISOR_HZ, 'the customer to hear the supervisor');
    await hears(supervisor, CUSTOMER_HZ, 'the supervisor to hear the customer');
    const bySupervisor = await mark(supervisor)();
    expect(toneShare(bySupervisor, AGENT_HZ)).toBeLessThan(0.05);

    // The agent is free again; the supervisor is the one in the call now.
    expect((await opt('CALL_MONITOR', '803', '801')).status).toBe(404);
    await customerHangsUp(call, [supervisor]);
    const legs = await c.runtime.store.callLegs.list(call.callId);
    expect(legs.map((l) => [l.role, l.number, l.endCause])).toEqual([
      ['customer', call.number, 'remote-hangup'],
      ['agent', '801', 'transferred'],
      // Still up when the customer left: released with the call, for the call's reason.
      ['agent', '803', 'customer-hangup'],
    ]);
    expect(await c.runtime.store.callLogs.get(call.callId)).toMatchObject({ state: 'STATE_RECEIVED' });
  });

  it('keeps the customer for the supervisor when the agent hangs up while the supervisor’s phone rings', async () => {
    const call = await inCall();
    const supervisor = c.agents.get('803')!;
    const ringing = next(supervisor, 'CALL_INCOMING');
    const answer = opt('FORCE_PICKUP', '803', '801');
    await ringing;
    const agentGone = next(call.agent, 'CALL_CLOSED');
    expect((await call.agent.command('hangup')).ok).toBe(true);
    await agentGone;
    const established = next(supervisor, 'CALL_ESTABLISHED');
    expect((await supervisor.command('accept')).ok).toBe(true);
    await established;
    expect(await answer).toEqual({ status: 200, text: '200\n' });
    await hears(call.customer, SUPERVISOR_HZ, 'the customer to hear the supervisor');
    await hears(supervisor, CUSTOMER_HZ, 'the supervisor to hear the customer');
    await customerHangsUp(call, [supervisor]);
  });

  it('takes over from listening (the manual’s doubled URLs): no new ring, the agent leaves', async () => {
    const call = await inCall();
    const supervisor = c.agents.get('803')!;
    const monitor = await supervisorAnswers(() =>
      c.get(`${DOUBLED}leaderExtnum=803&wokerExtnum=801&opt=CALL_MONITOR`),
    );
    expect(monitor).toEqual({ status: 200, text: '200\n' });
    await hears(supervisor, AGENT_HZ, 'the supervisor to hear the agent');

    const rings = supervisor.count('CALL_INCOMING');
    const agentGone = next(call.agent, 'CALL_CLOSED');
    expect(await c.get(`${DOUBLED}leaderExtnum=803&wokerExtnum=801&opt=FORCE_PICKUP`)).toEqual({
      status: 200,
      text: '200\n',
    });
    await agentGone;
    expect(supervisor.count('CALL_INCOMING')).toBe(rings);
    await hears(call.customer, SUPERVISOR_HZ, 'the customer to hear the supervisor');
    const bySupervisor = await mark(supervisor)();
    expect(toneShare(bySupervisor, CUSTOMER_HZ)).toBeGreaterThan(0.5);
    expect(toneShare(bySupervisor, AGENT_HZ)).toBeLessThan(0.05);
    await customerHangsUp(call, [supervisor]);
  });

  it('answers 403 without the permission, 404 with no call to take, 400', async () => {
    const call = await inCall();
    expect((await opt('FORCE_PICKUP', '802', '801')).status).toBe(403);
    expect((await opt('FORCE_PICKUP', '803', '802')).status).toBe(404);
    await hears(call.customer, AGENT_HZ, 'the customer to still hear the agent');
    await customerHangsUp(call, [call.agent]);
    expect((await opt('FORCE_PICKUP', '803', '801')).status).toBe(404);
    for (const q of ['leaderExtnum=803', 'wokerExtnum=801', 'leaderExtnum=abc&wokerExtnum=801'])
      expect((await c.callctrl(`${q}&opt=FORCE_PICKUP`)).status).toBe(400);
  });
});

describe('FORCE_HUNGUP', () => {
  it('ends the customer’s and the agent’s calls and writes the call log’s end', async () => {
    const call = await inCall();
    const supervisor = c.agents.get('803')!;
    const rings = supervisor.count('CALL_INCOMING');
    const closed = [next(call.customer, 'CALL_CLOSED'), next(call.agent, 'CALL_CLOSED')];
    expect(await opt('FORCE_HUNGUP', '803', '801')).toEqual({ status: 200, text: '200\n' });
    await Promise.all(closed);
    await callsOver(c);
    // Ending a call needs no phone: the supervisor's is never rung.
    expect(supervisor.count('CALL_INCOMING')).toBe(rings);

    const row = await c.runtime.store.callLogs.get(call.callId);
    expect(row).toMatchObject({ state: 'STATE_RECEIVED', endReason: 'force-hungup-by-803' });
    expect(row!.endTime).toBeGreaterThanOrEqual(row!.answerTime!);
    const legs = await c.runtime.store.callLegs.list(call.callId);
    expect(legs.map((l) => [l.role, l.endCause])).toEqual([
      ['customer', 'force-hungup-by-803'],
      ['agent', 'force-hungup-by-803'],
    ]);
    for (const l of legs) expect(l.endedAt).toBeGreaterThanOrEqual(row!.answerTime!);
    const [log] = JSON.parse(
      (await c.callctrl(`callid=${encodeURIComponent(call.callId)}&opt=CALL_LOG_GET_WITH_CALLID`)).text,
    ) as { state: string }[];
    expect(log.state).toBe('STATE_RECEIVED');
  });

  it('ends a call a supervisor listens to: all three phones hang up', async () => {
    const call = await inCall();
    const supervisor = c.agents.get('803')!;
    expect((await supervisorAnswers(() => opt('CALL_MONITOR', '803', '801'))).status).toBe(200);
    const closed = [call.customer, call.agent, supervisor].map((p) => next(p, 'CALL_CLOSED'));
    expect(await opt('FORCE_HUNGUP', '803', '801')).toEqual({ status: 200, text: '200\n' });
    await Promise.all(closed);
    await callsOver(c);
    const legs = await c.runtime.store.callLegs.list(call.callId);
    expect(legs.map((l) => l.endCause)).toEqual(Array(3).fill('force-hungup-by-803'));
  });

  it('answers 403 without the permission, 404 with no call to end, 400', async () => {
    const call = await inCall();
    expect((await opt('FORCE_HUNGUP', '802', '801')).status).toBe(403);
    expect((await c.get(`${DOUBLED}leaderExtnum=802&wokerExtnum=801&opt=FORCE_HUNGUP`)).status).toBe(403);
    expect((await opt('FORCE_HUNGUP', '803', '802')).status).toBe(404);
    await hears(call.customer, AGENT_HZ, 'the customer to still hear the agent');
    await customerHangsUp(call, [call.agent]);
    expect((await opt('FORCE_HUNGUP', '803', '801')).status).toBe(404);
    for (const q of ['leaderExtnum=803', 'wokerExtnum=801', 'leaderExtnum=803&wokerExtnum='])
      expect((await c.callctrl(`${q}&opt=FORCE_HUNGUP`)).status).toBe(400);
  });
});

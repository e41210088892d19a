// CALL_THIRD's refusals on live calls (manual section 11–13 codes): a third party that refuses, is offline or is
// busy (GET_THIRD_STATE 603, the agent is back with the customer), and 400 / 404 for every companion. The sound
// root is a copy whose music on hold is a tone, to show the held customer hears the configured root's music.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../../calls/harness.ts';
import type { BaresipCaller } from '../../calls/baresip.ts';
import { callsOver, startCenter, type Center } from './center.ts';
import { code, customerTalksWith, endAll, hearing, next, thirdStateBecomes, toAgent, WAITS } from './talk.ts';

const CUSTOMER_HZ = 1300;
const AGENT_HZ = 700;
const MUSIC_HZ = 1700;

/** A sound root like the project's, with a steady tone as system/moh.wav. */
function soundRootWithToneMusic(): string {
  const dir = tempDir('ivr-sounds-');
  cpSync(join(ROOT, 'sounds'), dir, { recursive: true });
  const moh = join(dir, 'system', 'moh.wav');
  spawnSync('sox', [
    '-n',
    '-r',
    '8000',
    '-c',
    '1',
    '-e',
    'u-law',
    moh,
    'synth',
    '10',
    'sine',
    `${MUSIC_HZ}`,
    'vol',
    '0.3',
  ]);
  return dir;
}

const sounds = soundRootWithToneMusic();

let c: Center;
let customer: BaresipCaller | undefined;
let agent: BaresipCaller;

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: AGENT_HZ },
      { number: '802', hz: 900 },
      { number: '803', hz: 1100 },
      { number: '804', hz: 1500, offline: true },
    ],
    flows: [
      { id: 'to-801', number: '9801', xml: toAgent('801') },
      { id: 'waits', number: '9999', xml: WAITS },
    ],
    overrides: { sounds },
  });
  agent = c.agents.get('801')!;
});
afterEach(async () => {
  await endAll(c);
  await customer?.stop();
  customer = undefined;
});
afterAll(async () => {
  await c?.stop();
  rmSync(sounds, { recursive: true, force: true });
});

const talking = async (number: string) =>
  (customer = await customerTalksWith(c, {
    customer: number,
    hz: CUSTOMER_HZ,
    number: '9801',
    agent: '801',
    agentHz: AGENT_HZ,
  }));

/** After a 603 the agent is back with the customer, and the consultation can neither conference nor transfer. */
async function backWithCustomer(phone: BaresipCaller): Promise<void> {
  expect(await c.callctrl('callee=801&opt=CALL_THIRD_GET_THIRD_STATE')).toEqual({
    status: 200,
    text: '603\n',
  });
  await Promise.all([
    hearing(phone, 'the customer', { tones: [AGENT_HZ] }),
    hearing(agent, 'the agent', { tones: [CUSTOMER_HZ] }),
  ]);
  expect(await code(c, 'callee=801&opt=CALL_THIRD_CONFERENCE')).toEqual({ status: 404, code: '404' });
  expect(await code(c, 'callee=801&opt=CALL_THIRD_TRANSFER')).toEqual({ status: 404, code: '404' });
}

describe('CALL_THIRD to a third party that cannot talk', () => {
  it('a third party that refuses the call: 603, and the agent is back with the customer', async () => {
    const phone = await talking('13900000011');
    const refusing = c.agents.get('802')!;
    const rings = next(refusing, 'CALL_INCOMING');
    expect(await code(c, 'callee=801&target=802&opt=CALL_THIRD')).toEqual({ status: 200, code: '200' });
    await rings();
    await thirdStateBecomes(c, '801', '180');
    // The held customer hears the music of the configured sound root, not the engine's default.
    await hearing(phone, 'the held customer', { tones: [MUSIC_HZ], not: [AGENT_HZ] });
    await refusing.command('hangup');
    await thirdStateBecomes(c, '801', '603');
    await backWithCustomer(phone);
    // A new consultation may follow the refused one.
    const again = next(refusing, 'CALL_INCOMING');
    expect(await code(c, 'callee=801&target=802&opt=CALL_THIRD')).toEqual({ status: 200, code: '200' });
    await again();
    await thirdStateBecomes(c, '801', '180');
    await phone.command('hangup');
    await callsOver(c);
  });

  it('an offline third party: 603, and the agent is back with the customer', async () => {
    const phone = await talking('13900000012');
    expect(await code(c, 'callee=801&target=804&opt=CALL_THIRD')).toEqual({ status: 200, code: '200' });
    await thirdStateBecomes(c, '801', '603');
    await backWithCustomer(phone);
    // RESUME after a 603 ends the consultation (the agent is back already).
    expect(await code(c, 'callee=801&opt=CALL_THIRD_RESUME')).toEqual({ status: 200, code: '200' });
    expect(await code(c, 'callee=801&opt=CALL_THIRD_GET_THIRD_STATE')).toEqual({ status: 404, code: '404' });
    await hearing(phone, 'the customer', { tones: [AGENT_HZ] });
  });

  it('a busy third party: 603 without ringing it, and the agent is back with the customer', async () => {
    const busy = c.agents.get('803')!;
    const inCall = next(busy, 'CALL_ESTABLISHED');
    expect((await busy.command('dial', `sip:9999@${c.sip}`)).ok).toBe(true);
    await inCall();
    const phone = await talking('13900000013');
    const offered = busy.count('CALL_INCOMING');
    expect(await code(c, 'callee=801&target=803&opt=CALL_THIRD')).toEqual({ status: 200, code: '200' });
    await thirdStateBecomes(c, '801', '603');
    await backWithCustomer(phone);
    expect(busy.count('CALL_INCOMING')).toBe(offered);
  });
});

describe('CALL_THIRD family: 400 and 404', () => {
  const COMPANIONS = [
    'CALL_THIRD_RESUME',
    'CALL_THIRD_GET_THIRD_STATE',
    'CALL_THIRD_CONFERENCE',
    'CALL_THIRD_TRANSFER',
  ];

  it.each([
    ['callee=801&opt=CALL_THIRD'],
    ['target=802&opt=CALL_THIRD'],
    ['callee=&target=802&opt=CALL_THIRD'],
    ['callee=801&target=80%3B2&opt=CALL_THIRD'],
    ['callee=8%2001&target=802&opt=CALL_THIRD'],
    ...COMPANIONS.map((opt) => [`opt=${opt}`]),
    ...COMPANIONS.map((opt) => [`callee=sip%3A801&opt=${opt}`]),
  ])('%s: 400 (missing or malformed parameter)', async (query) => {
    const r = await c.callctrl(query);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^400\n./);
  });

  it.each([
    ['callee=801&target=802&opt=CALL_THIRD'],
    ['callee=899&target=802&opt=CALL_THIRD'],
    ...COMPANIONS.map((opt) => [`callee=801&opt=${opt}`]),
  ])('%s with no call for callee: 404', async (query) => {
    const r = await c.callctrl(query);
    expect(r.status).toBe(404);
    expect(r.text).toMatch(/^404\n./);
  });

  it('404 for every companion while the agent talks but does not consult, and for a second CALL_THIRD', async () => {
    await talking('13900000014');
    for (const opt of COMPANIONS)
      expect(await code(c, `callee=801&opt=${opt}`), opt).toEqual({ status: 404, code: '404' });
    const third = c.agents.get('802')!;
    const rings = next(third, 'CALL_INCOMING');
    expect(await code(c, 'callee=801&target=802&opt=CALL_THIRD')).toEqual({ status: 200, code: '200' });
    await rings();
    // One consultation at a time.
    const other = c.agents.get('803')!;
    const offered = other.count('CALL_INCOMING');
    expect(await code(c, 'callee=801&target=803&opt=CALL_THIRD')).toEqual({ status: 404, code: '404' });
    expect(other.count('CALL_INCOMING')).toBe(offered);
    // The customer is no agent: CALL_THIRD names the agent's extension.
    expect(await code(c, 'callee=13900000014&target=802&opt=CALL_THIRD')).toEqual({
      status: 404,
      code: '404',
    });
  });
});

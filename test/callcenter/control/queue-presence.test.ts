// Groups, presence and EXTNUM_STATE on live calls: a flow's transfer to group 3000 queues the caller on music
// and offers it by presence (online first, reducing only when no online agent is free, busy never); extensions'
// state follows registrations and calls; agents call from their phones once they prove who they are.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import { loudness, toneShare } from '../../calls/tones.ts';
import { startPhone, type BaresipCaller } from '../../calls/baresip.ts';
import { callsOver, startCenter, type Center } from './center.ts';

const TNS = 'xmlns:tns="http://www.example.org/voicemail"';
const TO_GROUP = `<tns:vxml ${TNS}><tns:form id="main"><tns:transfer dest="3000"/><tns:hangup/></tns:form></tns:vxml>`;

let c: Center;
let phones: BaresipCaller[] = [];

const states = async () =>
  JSON.parse((await c.get('/bridge/jsoncfg?opt=EXTNUM_STATE')).text) as Record<string, unknown>[];
const stateOf = async (n: string) => (await states()).find((s) => s.telNum === n);
const presence = (n: string, p: string) => c.callctrl(`extnum=${n}&state=${p}&&opt=SET_EXT_PRESENCE_STATE`);

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: 600, group: '3000' },
      { number: '802', hz: 800, group: '3000' },
    ],
    flows: [{ id: 'to-group', number: '1000', xml: TO_GROUP }],
  });
});
afterEach(async () => {
  await Promise.all(phones.map((p) => p.command('hangup')));
  for (const a of c.agents.values()) await a.command('hangup');
  phones = [];
  await callsOver(c);
  await presence('801', 'online');
  await presence('802', 'online');
});
afterAll(async () => {
  await c?.stop();
});

async function caller(user: string): Promise<BaresipCaller> {
  const phone = await c.customer(user, 400);
  phones.push(phone);
  expect((await phone.command('dial', `sip:1000@${c.sip}`)).ok).toBe(true);
  return phone;
}

describe('a group queue', () => {
  it('plays music while no agent is free, then offers the call to the agent who becomes free', async () => {
    await presence('801', 'busy');
    await presence('802', 'busy');
    const phone = await caller('13800001111');
    await phone.event('CALL_ESTABLISHED');
    // Queued: the caller hears music (audio, and neither agent's tone).
    await waitFor(() => loudness(phone.heard(), 500) > 1e4, 10_000, 'hold music at the caller');
    expect(toneShare(phone.heard(), 600, 500)).toBe(0);
    expect(c.agents.get('801')!.count('CALL_INCOMING') + c.agents.get('802')!.count('CALL_INCOMING')).toBe(0);
    const rung = c.agents.get('802')!.count('CALL_INCOMING');
    await presence('802', 'online');
    await c.agents.get('802')!.nth('CALL_INCOMING', rung + 1);
    await c.agents.get('802')!.command('accept');
    await waitFor(() => toneShare(phone.heard(), 800, 500) > 0.5, 10_000, 'the caller to hear 802');
  });

  it('prefers online agents to reducing ones, and gives reducing agents calls when no online one is free', async () => {
    await presence('801', 'reducing');
    const first = await caller('13800002222');
    const a802 = c.agents.get('802')!;
    await a802.nth('CALL_INCOMING', a802.count('CALL_INCOMING') + 1);
    await a802.command('accept');
    await first.event('CALL_ESTABLISHED');
    expect(await stateOf('802')).toMatchObject({
      state: 'BUSY_INCOMING',
      remoteNum: '13800002222',
      presence: 'online',
    });
    // 802 is busy now: the reducing 801 takes the next caller.
    const a801 = c.agents.get('801')!;
    const rung = a801.count('CALL_INCOMING');
    await caller('13800003333');
    await a801.nth('CALL_INCOMING', rung + 1);
    expect(await stateOf('801')).toMatchObject({ presence: 'reducing' });
  });
});

describe('EXTNUM_STATE', () => {
  it('counts an offered call an agent let ring out as missed', async () => {
    const before = (await stateOf('801'))!.missingCallCount as number;
    await presence('802', 'busy');
    const phone = await caller('13800004444');
    const a801 = c.agents.get('801')!;
    await a801.nth('CALL_INCOMING', a801.count('CALL_INCOMING') + 1);
    await a801.command('hangup');
    await waitFor(
      async () => ((await stateOf('801'))?.missingCallCount as number) > before,
      10_000,
      'a missed call',
    );
    await phone.command('hangup');
  });

  it('follows registrations of an extension added through the API, without a restart', async () => {
    const center = await startCenter({ agents: [] });
    try {
      const put = await fetch(`http://127.0.0.1:${center.runtime.http.port}/api/extensions/805`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'pw-805-secret', name: 'New agent' }),
      });
      expect(put.status).toBe(200);
      const ext = async () =>
        (
          JSON.parse((await center.get('/bridge/jsoncfg?opt=EXTNUM_STATE')).text) as Record<string, unknown>[]
        )[0];
      expect(await ext()).toMatchObject({
        telNum: '805',
        userName: 'New agent',
        telRegState: 0,
        state: 'OFFLINE',
      });
      const phone = await startPhone({ user: '805', registrar: center.sip, password: 'pw-805-secret' });
      await waitFor(() => center.runtime.calls.states.isRegistered('805'), 10_000, '805 to register');
      expect(await ext()).toMatchObject({
        telRegState: 1,
        state: 'ONLINE',
        presence: 'online',
        phoneType: expect.stringMatching(/^baresip/),
      });
      await phone.stop();
      await waitFor(() => !center.runtime.calls.states.isRegistered('805'), 10_000, '805 to unregister');
      expect(await ext()).toMatchObject({ telRegState: 0, state: 'OFFLINE' });
    } finally {
      await center.stop();
    }
  });
});

describe('SIP trust', () => {
  it('lets a registered agent call another extension from its phone, as itself', async () => {
    const a801 = c.agents.get('801')!;
    const a802 = c.agents.get('802')!;
    const rung = a802.count('CALL_INCOMING');
    expect((await a801.command('dial', `sip:802@${c.sip}`)).ok).toBe(true);
    await a802.nth('CALL_INCOMING', rung + 1);
    await a802.command('accept');
    await waitFor(() => toneShare(a802.heard(), 600, 500) > 0.5, 10_000, '802 to hear 801');
    expect(await stateOf('801')).toMatchObject({ state: 'BUSY_OUTGOING', remoteNum: '802' });
    expect(await stateOf('802')).toMatchObject({ state: 'BUSY_INCOMING', remoteNum: '801' });
  });

  it('stops a phone that claims an extension without its password, or with a wrong one', async () => {
    const impostorRows = async () =>
      (await c.runtime.store.callLogs.list(100, 0)).filter((r) => r.caller === '801' && r.callee === '1000');
    const rung = [...c.agents.values()].map((a) => a.count('CALL_INCOMING'));
    // Customers' phones (unregistered) that call themselves 801: one has no password, one a wrong one. Each is
    // challenged (407), cannot prove 801 and gives up: the call never starts, rings no one, leaves no row (the
    // failed digest is in the runtime's log as 'SIP authentication failed').
    for (const password of [undefined, 'not-the-password']) {
      const impostor = await c.customer('801', 400, password);
      phones.push(impostor);
      expect((await impostor.command('dial', `sip:1000@${c.sip}`)).ok).toBe(true);
      await impostor.event('CALL_CLOSED');
    }
    expect(await impostorRows()).toEqual([]);
    expect([...c.agents.values()].map((a) => a.count('CALL_INCOMING'))).toEqual(rung);
  });
});

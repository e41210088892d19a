// CAPTCHA calls (manual section 3) on live calls: a baresip phone behind the trunk as the customer, a baresip
// agent registered as extension 801. The fixed-line variant loops its lead-in until the customer presses a key,
// plays the tone, then hands the customer to the agent; a call for agents waits while every agent is busy
// (precallcount 0) and is dialled once one is free.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import { toneShare } from '../../calls/tones.ts';
import { tempDir } from '../../calls/harness.ts';
import { callsOver, CUSTOMER, startCenter, type Center } from '../control/center.ts';
import { soundRoot, TONE_HZ, TONE_ID, uploadTone } from './center.ts';

const AGENT_HZ = 600;
let c: Center;
const dir = tempDir('ivr-captcha-sounds-');

beforeAll(async () => {
  c = await startCenter({
    agents: [{ number: '801', hz: AGENT_HZ, answer: 'auto' }],
    overrides: { sounds: soundRoot(dir), 'dialer.retry': { maxAttempts: 1 } },
  });
  await uploadTone(c.runtime.http.port, dir);
});
afterAll(async () => {
  await c?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const state = async (id: string) => (await c.callctrl(`id=${id}&opt=GET_CAPTCHA_RESULT`)).text.trim();

describe('CLICK_TO_FIXEDLINE_CAPTCHA', () => {
  it('loops the lead-in until a key, plays the tone, then the customer talks with the agent', async () => {
    const agent = c.agents.get('801')!;
    const r = await c.callctrl(
      `id=fixed-1&precallcount=0&playtimes=1&extnum=801&callee=${CUSTOMER}&toneid=${TONE_ID}&code=2468&pwd=no&opt=CLICK_TO_FIXEDLINE_CAPTCHA`,
    );
    expect(r).toEqual({ status: 200, text: '200\n' });
    await c.trunk.event('CALL_INCOMING');
    expect(await state('fixed-1')).toBe('4');
    expect((await c.trunk.command('accept')).ok).toBe(true);
    await c.trunk.event('CALL_ESTABLISHED');
    // The lead-in (speech) plays, over and over; no tone and no agent before the key.
    await waitFor(() => c.trunk.heard().length > 8000 * 8 || undefined, 20_000, 'eight seconds of lead-in');
    expect(toneShare(c.trunk.heard(), TONE_HZ)).toBeLessThan(0.05);
    expect(agent.count('CALL_INCOMING')).toBe(0);
    expect(await state('fixed-1')).toBe('4');

    expect((await c.trunk.command('sndcode', '5')).ok).toBe(true);
    await waitFor(() => toneShare(c.trunk.heard(), TONE_HZ, 600) > 0.6 || undefined, 15_000, 'the tone');
    // After the tone and the code, the agent's phone rings (it answers by itself) and the two talk.
    await agent.event('CALL_ESTABLISHED', 30_000);
    await waitFor(
      () => toneShare(c.trunk.heard(), AGENT_HZ, 1000) > 0.5 || undefined,
      15_000,
      'the customer to hear the agent',
    );
    expect(await state('fixed-1')).toBe('1');
    await c.trunk.command('hangup');
    await agent.event('CALL_CLOSED');
    await callsOver(c);
    const [row] = await c.runtime.store.callLogs.list(1, 0);
    expect(row).toMatchObject({ direction: 'outbound', callee: CUSTOMER, state: 'STATE_RECEIVED' });
    const legs = await c.runtime.store.callLegs.list(row.callid);
    expect(legs.map((l) => [l.role, l.number])).toEqual([
      ['customer', CUSTOMER],
      ['agent', '801'],
    ]);
  });
});

describe('precallcount', () => {
  it('keeps a call for agents queued while every agent is busy, and dials it once one is free', async () => {
    const agent = c.agents.get('801')!;
    const incoming = c.trunk.count('CALL_INCOMING');
    const closed = c.trunk.count('CALL_CLOSED');
    expect((await c.callctrl('extnum=801&state=busy&opt=SET_EXT_PRESENCE_STATE')).status).toBe(200);
    const forAgent = await c.callctrl(
      `id=gated-1&precallcount=0&playtimes=1&extnum=801&callee=${CUSTOMER}&toneid=${TONE_ID}&pwd=no&opt=CLICK_TO_IP_CAPTCHA`,
    );
    expect(forAgent.status).toBe(200);
    // Queued after it, a call for nobody (no extnum) goes first: the queue skips what its agents cannot take.
    const plain = await c.callctrl(
      `id=plain-1&precallcount=0&playtimes=1&callee=${CUSTOMER}&toneid=${TONE_ID}&code=7&pwd=no&opt=CLICK_TO_IP_CAPTCHA`,
    );
    expect(plain.status).toBe(200);
    await c.trunk.nth('CALL_INCOMING', incoming + 1);
    expect(await state('plain-1')).toBe('4');
    expect(await state('gated-1')).toBe('0');
    await c.trunk.command('accept');
    // Tone and code, then the call ends by itself.
    await c.trunk.nth('CALL_CLOSED', closed + 1, 30_000);
    await callsOver(c);
    expect(await state('plain-1')).toBe('1');
    expect(await state('gated-1')).toBe('0');
    expect(c.trunk.count('CALL_INCOMING')).toBe(incoming + 1);

    // The agent is free again: the waiting call goes now.
    expect((await c.callctrl('extnum=801&state=online&opt=SET_EXT_PRESENCE_STATE')).status).toBe(200);
    await c.trunk.nth('CALL_INCOMING', incoming + 2);
    await c.trunk.command('accept');
    await agent.nth('CALL_ESTABLISHED', 2, 30_000);
    expect(await state('gated-1')).toBe('1');
    await c.trunk.command('hangup');
    await callsOver(c);
  });
});

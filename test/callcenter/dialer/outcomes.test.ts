// The dialer against real customers (one sipp behind the trunk): answered, busy, no such number, unreachable and
// never answering, each ending with its documented state code in IVR_TTS_CALL_RESULT and GET_CAPTCHA_RESULT;
// the retry policy dials a busy number again; an answering customer's keys come back as the survey's result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDialerCenter, SURVEY_IVR, TONE_ID, type DialerCenter } from './center.ts';
import {
  BUSY,
  NEVER_ANSWERS,
  NO_SUCH_NUMBER,
  startCustomers,
  UNREACHABLE,
  type Customers,
} from './customers.ts';
import { eventsOf } from '../../calls/harness.ts';
import type { TraceEvent } from '../../../runtime/interpreter/trace.ts';

let customers: Customers;
let c: DialerCenter;

beforeAll(async () => {
  customers = await startCustomers({ keys: '8' });
  c = await startDialerCenter({
    trunkPort: customers.port,
    // Busy customers are dialled twice, at once; nothing else is retried.
    overrides: { 'dialer.retry': { maxAttempts: 2, delaySec: 0, on: ['busy'] } },
  });
});
afterAll(async () => {
  await c?.stop();
  await customers?.stop();
});

const ANSWERS = '13900000001';

describe('IVR_TTS_CALL outcomes', () => {
  it.each([
    [ANSWERS, 'state=1;satisfact=8'],
    [`${BUSY}00000002`, 'state=5'],
    [`${NO_SUCH_NUMBER}00000003`, 'state=3'],
    [`${UNREACHABLE}00000004`, 'state=6'],
    [`${NEVER_ANSWERS}00000005`, 'state=2'],
  ])('a call to %s ends with %s', async (callee, result) => {
    const token = `outcome-${callee}`;
    const r = await c.callctrl(
      `token=${token}&callee=${callee}&toneid=${SURVEY_IVR}&ttsname=${encodeURIComponent('张三')}&opt=IVR_TTS_CALL`,
    );
    expect(r).toEqual({ status: 200, text: '200\n' });
    expect(await c.finished(token)).toBe(result);
  });

  it('spoke the TTS variable, dialled the busy number twice (the retry policy) and every other number once', async () => {
    const dialled = customers.dialled();
    expect(dialled.filter((n) => n === `${BUSY}00000002`)).toHaveLength(2);
    for (const n of [
      ANSWERS,
      `${NO_SUCH_NUMBER}00000003`,
      `${UNREACHABLE}00000004`,
      `${NEVER_ANSWERS}00000005`,
    ])
      expect(dialled.filter((x) => x === n)).toHaveLength(1);
    // The answered call's log: an outbound call whose IVR greeted the customer by the name it was given.
    const [row] = (await c.runtime.store.callLogs.list(50, 0)).filter((l) => l.callee === ANSWERS);
    expect(row).toMatchObject({ direction: 'outbound', state: 'STATE_RECEIVED', flowId: 'survey' });
    const trace = (await c.runtime.store.traces.list(row.callid)) as TraceEvent[];
    const prompts = eventsOf(trace, 'prompt.start');
    expect(prompts[0].sources).toContain('tts:张三');
  });
});

describe('CAPTCHA outcomes', () => {
  it.each([
    [ANSWERS, '1'],
    [`${NO_SUCH_NUMBER}00000013`, '3'],
    [`${UNREACHABLE}00000014`, '6'],
  ])('a call to %s ends with state %s', async (callee, state) => {
    const id = `captcha-${callee}`;
    const r = await c.callctrl(
      `id=${id}&precallcount=0&playtimes=1&callee=${callee}&toneid=${TONE_ID}&code=4321&pwd=no&opt=CLICK_TO_IP_CAPTCHA`,
    );
    expect(r).toEqual({ status: 200, text: '200\n' });
    expect(await c.finished(id, 'captcha')).toBe(state);
  });
});

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
import { eventsOf, until } from '../../calls/harness.ts';
import type { TraceEvent } from '../../../runtime/interpreter/trace.ts';

let customers: Customers;
let c: DialerCenter;

beforeAll(async () => {
  customers = await startCustomers({ keys: '8' });
  c = await startDialerCenter({
    trunkPort: customers.port,
    // Busy customers are dialled twice, at once; nothing else is retried.
    overrides: {
      'dialer.retry': { maxAttempts: 2, delaySec: 0, on: ['busy'] },
      // A group whose one agent is offline: a call sent there waits in its queue for 5 s.
      extensions: [{ number: '801', password: 'pw-801-secret', group: '3000' }],
      groups: [{ number: '3000', ringSec: 5, timeoutSec: 5 }],
    },
    flows: [{ id: 'to-agents', number: '21', xml: TO_AGENTS }],
  });
});
afterAll(async () => {
  await c?.stop();
  await customers?.stop();
});

const ANSWERS = '13900000001';
/** Straight to the agents of group 3000. */
const TO_AGENTS = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:transfer dest="3000"/><tns:hangup/></tns:form>
</tns:vxml>`;

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

describe('IVR_TTS_CALL_MONITOR', () => {
  it('counts a customer hearing the survey in playcount, and one waiting for an agent in queue', async () => {
    const seen = { playing: false, queued: false };
    const watch = async () => {
      const m = (await c.callctrl('opt=IVR_TTS_CALL_MONITOR')).text;
      if (m === 'queue=0;playcount=1') seen.playing = true;
      if (m === 'queue=1;playcount=0') seen.queued = true;
      return m;
    };
    expect(await watch()).toBe('queue=0;playcount=0');
    await c.callctrl(`token=mon-1&callee=13900000031&toneid=${SURVEY_IVR}&ttsname=x&opt=IVR_TTS_CALL`);
    await until(async () => (await watch(), seen.playing), 30_000, 'playcount=1');
    expect(await c.finished('mon-1')).toBe('state=1;satisfact=8');
    await c.callctrl('token=mon-2&callee=13900000032&toneid=21&opt=IVR_TTS_CALL');
    await until(async () => (await watch(), seen.queued), 30_000, 'queue=1');
    // Nobody took the call in the group's 5 s: the flow went on and hung up; the customer had answered.
    expect(await c.finished('mon-2')).toBe('state=1');
    expect(await watch()).toBe('queue=0;playcount=0');
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

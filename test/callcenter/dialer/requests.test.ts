// The outbound opts' answers to what integrators send: every malformed parameter, pwd right (today, yesterday),
// wrong or required, a duplicate id or token, unknown tones, agents and IVRs, a full queue, and results of
// unknown ids — with the codes sections 3 and 18 list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate, pwdDigest } from '../../../runtime/callcenter/dialer/pwd.ts';
import { startDialerCenter, SURVEY_IVR, TONE_ID, type DialerCenter } from './center.ts';
import { NO_SUCH_NUMBER, startCustomers, type Customers } from './customers.ts';

const SECRET = 'manual-secret';
let customers: Customers;
let c: DialerCenter;
let strict: DialerCenter;

beforeAll(async () => {
  customers = await startCustomers({ keys: '1' });
  // One call at a time, one every 5 s: what is submitted here mostly waits (nothing here waits for a call).
  c = await startDialerCenter({
    trunkPort: customers.port,
    overrides: {
      'dialer.pwd': { secret: SECRET },
      'dialer.trunk': { channels: 1, callsPerSecond: 0.2 },
      'dialer.maxQueued': 5,
    },
  });
  // No SIP, and pwd required.
  strict = await startDialerCenter({
    trunkPort: customers.port,
    overrides: { 'sip.enabled': false, 'dialer.pwd': { secret: SECRET, required: true } },
  });
});
afterAll(async () => {
  await c?.stop();
  await strict?.stop();
  await customers?.stop();
});

const CALLEE = `${NO_SUCH_NUMBER}55500001`;
const captcha = (fields: Record<string, string>) => {
  const q = new URLSearchParams({
    id: 'c-1',
    precallcount: '0',
    playtimes: '1',
    callee: CALLEE,
    toneid: TONE_ID,
    code: '112233',
    pwd: 'no',
    ...fields,
  });
  for (const [k, v] of Object.entries(fields)) if (v === '<absent>') q.delete(k);
  return `${q.toString()}&opt=CLICK_TO_IP_CAPTCHA`;
};
const ivr = (fields: Record<string, string>) => {
  const q = new URLSearchParams({ token: 't-1', callee: CALLEE, toneid: SURVEY_IVR, ...fields });
  for (const [k, v] of Object.entries(fields)) if (v === '<absent>') q.delete(k);
  return `${q.toString()}&opt=IVR_TTS_CALL`;
};
const today = (callee: string, code: string) => pwdDigest(SECRET, callee, code, localDate(Date.now()));

describe('CLICK_TO_IP_CAPTCHA refuses', () => {
  it.each([
    ['no id', { id: '<absent>' }],
    ['an id with a space', { id: 'a b' }],
    ['no callee', { callee: '<absent>' }],
    ['a callee that is not a number', { callee: '135;1' }],
    ['no toneid', { toneid: '<absent>' }],
    ['a tone that does not exist', { toneid: '99' }],
    ['playtimes 0', { playtimes: '0' }],
    ['playtimes that is not a number', { playtimes: 'x' }],
    ['no precallcount', { precallcount: '<absent>' }],
    ['no pwd', { pwd: '<absent>' }],
    ['a pwd of the wrong shape', { pwd: 'abc' }],
    ['a code with letters', { code: '12a4' }],
    ['an extnum that is not a number', { extnum: '80x' }],
    ['an extnum that is neither an extension nor a group', { extnum: '899' }],
  ])('%s with 420', async (_what, fields) => {
    const r = await c.callctrl(captcha(fields));
    expect(r.status).toBe(420);
    expect(r.text).toMatch(/^420\n/);
  });

  it('a wrong pwd with 401, and takes the md5 of today or yesterday', async () => {
    const wrong = await c.callctrl(captcha({ id: 'pwd-0', pwd: '0123456789abcdef0123456789abcdef' }));
    expect(wrong.status).toBe(401);
    // The digest signs callee and code: another code does not pass.
    expect((await c.callctrl(captcha({ id: 'pwd-1', pwd: today(CALLEE, '999') }))).status).toBe(401);
    expect((await c.callctrl(captcha({ id: 'pwd-2', pwd: today(CALLEE, '112233') }))).status).toBe(200);
    const y = new Date();
    y.setDate(y.getDate() - 1);
    const yesterday = pwdDigest(SECRET, CALLEE, '112233', localDate(y.getTime())).toUpperCase();
    expect((await c.callctrl(captcha({ id: 'pwd-3', pwd: yesterday }))).status).toBe(200);
    const before = new Date();
    before.setDate(before.getDate() - 2);
    const old = pwdDigest(SECRET, CALLEE, '112233', localDate(before.getTime()));
    expect((await c.callctrl(captcha({ id: 'pwd-4', pwd: old }))).status).toBe(401);
  });

  it('a second call with the same id with 483 (the first stands)', async () => {
    expect((await c.callctrl(captcha({ id: 'dup-1' }))).status).toBe(200);
    const again = await c.callctrl(captcha({ id: 'dup-1', callee: '13900000009' }));
    expect(again.status).toBe(483);
    expect((await c.runtime.store.dialerTasks.get('captcha', 'dup-1'))?.callee).toBe(CALLEE);
  });
});

describe('IVR_TTS_CALL refuses', () => {
  it.each([
    ['no token', { token: '<absent>' }],
    ['no callee', { callee: '<absent>' }],
    ['no toneid', { toneid: '<absent>' }],
    ['an IVR that does not exist', { toneid: '77' }],
    ['a TTS variable with a bad name', { 'tts-x': '1' }],
    ['a TTS variable of more than 1000 characters', { ttsabc: 'x'.repeat(1001) }],
    ['a pwd of the wrong shape', { pwd: 'xyz' }],
  ])('%s with 400', async (_what, fields) => {
    const r = await c.callctrl(ivr(fields));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^400\n/);
  });

  it('a wrong pwd with 401, a duplicate token with 483; unknown tokens answer 404; the monitor its counts', async () => {
    expect((await c.callctrl(ivr({ token: 'w-1', pwd: 'f'.repeat(32) }))).status).toBe(401);
    expect((await c.callctrl(ivr({ token: 'dup-t', pwd: today(CALLEE, '') }))).status).toBe(200);
    expect((await c.callctrl(ivr({ token: 'dup-t' }))).status).toBe(483);
    expect(await c.callctrl('token=nobody&opt=IVR_TTS_CALL_RESULT')).toMatchObject({ status: 404 });
    expect((await c.callctrl('opt=IVR_TTS_CALL_RESULT')).status).toBe(400);
    const monitor = await c.callctrl('opt=IVR_TTS_CALL_MONITOR');
    expect(monitor.status).toBe(200);
    expect(monitor.text).toMatch(/^queue=\d+;playcount=\d+$/);
  });
});

describe('with dialer.pwd.required and no telephony', () => {
  it('refuses pwd=no and a missing pwd with 401; a right pwd gets the engine missing (503 / 480)', async () => {
    expect((await strict.callctrl(captcha({ id: 's-1' }))).status).toBe(401);
    expect((await strict.callctrl(ivr({ token: 's-2' }))).status).toBe(401);
    expect((await strict.callctrl(ivr({ token: 's-3', pwd: 'no' }))).status).toBe(401);
    expect((await strict.callctrl(captcha({ id: 's-4', pwd: today(CALLEE, '112233') }))).status).toBe(503);
    expect((await strict.callctrl(ivr({ token: 's-5', pwd: today(CALLEE, '') }))).status).toBe(480);
    expect(await strict.runtime.store.dialerTasks.list(10)).toEqual([]);
  });
});

describe('a full queue', () => {
  it('a call once the queue is full with 486, and GET_CAPTCHA_RESULT of an unknown id with 404', async () => {
    let full: { status: number; text: string } | undefined;
    for (let i = 0; i < 10 && !full; i++) {
      const r = await c.callctrl(captcha({ id: `fill-${i}` }));
      if (r.status !== 200) full = r;
    }
    expect(full?.status).toBe(486);
    expect(c.runtime.calls.dialer.queued).toBe(5);
    expect(await c.callctrl('id=nobody&opt=GET_CAPTCHA_RESULT')).toMatchObject({ status: 404 });
    expect((await c.callctrl('id=nobody&opt=GET_CAPTCHA_RESULT')).text).toMatch(/^404\n/);
    expect((await c.callctrl('opt=GET_CAPTCHA_RESULT')).status).toBe(420);
    // A queued task answers its state in the body with HTTP 200.
    expect(await c.callctrl('id=fill-0&opt=GET_CAPTCHA_RESULT')).toEqual({ status: 200, text: '0\n' });
  });
});

// The outbound opts of `/bridge/callctrl`: CAPTCHA calls and their result (manual section 3), IVR_TTS_CALL with
// its result and monitor (section 18). Each queues a task with the one dialer and answers at once.
import type { Control } from '../../callcenter/control/control.ts';
import type { SubmitOutcome } from '../../callcenter/dialer/dialer.ts';
import { TONE_ID } from '../../callcenter/dialer/tones.ts';
import { ivrResult } from '../../callcenter/dialer/result.ts';
import type { OptHandler, Reply } from './callctrl.ts';
import { param, type Params } from './params.ts';

/** The manual's `id` and `token`: "a globally unique string" (no separators, no spaces). */
const TOKEN = /^[A-Za-z0-9_.:@+-]{1,128}$/;
const COUNT = /^\d{1,3}$/;
const CODE = /^\d{1,32}$/;
const PWD = /^(no|[0-9A-Fa-f]{32})$/;
/** An IVR: a routed number or a flow id. */
const IVR_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A TTS variable's name (section 18: any parameter starting with `tts`). */
const TTS_NAME = /^tts[A-Za-z0-9_]{0,61}$/;
const MAX_TTS_VARS = 32;
const MAX_TTS_CHARS = 1000;
const MAX_PLAYTIMES = 20;
const MAX_PRECALL = 100;

/** Each opt's code for each refusal of the dialer (sections 3 and 18 list different ones). */
type Refusal = Exclude<SubmitOutcome, { queued: true }>['why'];
const CAPTCHA_CODES: Record<Refusal, number> = {
  duplicate: 483,
  'queue-full': 486,
  unavailable: 503,
  'no-route': 421,
  invalid: 420,
};
const IVR_CODES: Record<Refusal, number> = {
  duplicate: 483,
  'queue-full': 486,
  unavailable: 480,
  'no-route': 480,
  invalid: 400,
};

const answered = (outcome: SubmitOutcome, codes: Record<Refusal, number>): Reply =>
  outcome.queued ? { code: 200 } : { code: codes[outcome.why], reason: outcome.reason };

/** An optional parameter: absent or empty is undefined; present must match (else `false`). */
function optional(p: Params, name: string, pattern: RegExp): string | undefined | false {
  const v = p.get(name)?.trim();
  if (v === undefined || v === '') return undefined;
  return pattern.test(v) ? v : false;
}

/** CLICK_TO_IP_CAPTCHA and CLICK_TO_FIXEDLINE_CAPTCHA: 420 for any bad parameter, as section 3 lists. */
const captcha =
  (fixedLine: boolean): OptHandler =>
  async (p, control) => {
    const id = param(p, 'id', TOKEN);
    const callee = param(p, 'callee');
    const toneid = param(p, 'toneid', TONE_ID);
    const playtimes = param(p, 'playtimes', COUNT);
    const precallcount = param(p, 'precallcount', COUNT);
    const pwd = param(p, 'pwd', PWD);
    const extnum = optional(p, 'extnum', /^[0-9*#+]{1,32}$/);
    const code = optional(p, 'code', CODE);
    const bad = [
      ['id', id],
      ['callee', callee],
      ['toneid', toneid],
      ['playtimes', playtimes !== undefined && Number(playtimes) >= 1 && Number(playtimes) <= MAX_PLAYTIMES],
      ['precallcount', precallcount !== undefined && Number(precallcount) <= MAX_PRECALL],
      ['pwd', pwd],
      ['extnum', extnum !== false],
      ['code (digits only)', code !== false],
    ].filter(([, ok]) => !ok);
    if (bad.length > 0)
      return { code: 420, reason: `missing or malformed: ${bad.map(([n]) => n).join(', ')}` };
    if (!control.dialer.pwdAccepted(pwd!, callee!, code || ''))
      return { code: 401, reason: 'wrong pwd (md5 of secret, callee, code and yyyy-MM-dd)' };
    const job = {
      kind: 'captcha' as const,
      toneid: toneid!,
      code: code || '',
      playtimes: Number(playtimes),
      precallcount: Number(precallcount),
      fixedLine,
      ...(extnum ? { extnum } : {}),
    };
    return answered(await control.dialer.submit({ token: id!, callee: callee!, job }), CAPTCHA_CODES);
  };

/** Every `tts*` parameter by its full name, or the name of the first bad one. */
function ttsVars(p: Params): Record<string, string> | string {
  const vars: Record<string, string> = {};
  for (const [name, value] of p) {
    if (!name.toLowerCase().startsWith('tts')) continue;
    if (!TTS_NAME.test(name)) return name.slice(0, 64);
    if (value.length > MAX_TTS_CHARS) return name;
    vars[name] = value;
  }
  return Object.keys(vars).length > MAX_TTS_VARS ? 'too many tts variables' : vars;
}

const ivrTtsCall: OptHandler = async (p, control) => {
  const token = param(p, 'token', TOKEN);
  const callee = param(p, 'callee');
  const toneid = param(p, 'toneid', IVR_ID);
  const pwd = optional(p, 'pwd', PWD);
  const vars = ttsVars(p);
  if (!token || !callee || !toneid || pwd === false)
    return { code: 400, reason: 'missing or malformed: token, callee, toneid (the IVR), pwd' };
  if (typeof vars === 'string') return { code: 400, reason: `malformed TTS variable: ${vars}` };
  if (!control.dialer.pwdAccepted(pwd, callee, ''))
    return { code: 401, reason: 'pwd required or wrong (md5 of secret, callee and yyyy-MM-dd)' };
  const job = { kind: 'ivr-tts' as const, ivr: toneid, vars };
  return answered(await control.dialer.submit({ token, callee, job }), IVR_CODES);
};

async function status(control: Control, kind: 'captcha' | 'ivr-tts', token: string | undefined) {
  return token === undefined ? undefined : control.dialer.status(kind, token);
}

export function outboundHandlers(): Record<string, OptHandler> {
  return {
    CLICK_TO_IP_CAPTCHA: captcha(false),
    CLICK_TO_FIXEDLINE_CAPTCHA: captcha(true),
    GET_CAPTCHA_RESULT: async (p, control) => {
      const id = param(p, 'id', TOKEN);
      if (!id) return { code: 420, reason: 'missing or malformed: id' };
      const s = await status(control, 'captcha', id);
      // The state is the body (HTTP 200 for 0–6); an unknown id is 404, as the manual lists it.
      return s ? { code: s.state } : { code: 404, reason: 'id does not exist' };
    },
    IVR_TTS_CALL: ivrTtsCall,
    IVR_TTS_CALL_RESULT: async (p, control) => {
      const token = param(p, 'token', TOKEN);
      if (!token) return { code: 400, reason: 'missing or malformed: token' };
      const s = await status(control, 'ivr-tts', token);
      return s ? { body: ivrResult(s.state, s.vars) } : { code: 404, reason: 'token does not exist' };
    },
    IVR_TTS_CALL_MONITOR: async (_p, control) => {
      const { queue, playcount } = control.dialer.monitor();
      return { body: `queue=${queue};playcount=${playcount}` };
    },
  };
}

// The manual's interfaces as data: every opt of /bridge/callctrl with its parameters and answers. The OpenAPI
// document (/openapi.json) and docs/api-bridge.md are generated from this one list.

export interface ParamDoc {
  name: string;
  required: boolean;
  description: string;
  example?: string;
}

export interface OptDoc {
  opt: string;
  /** The manual's section. */
  section: string;
  summary: string;
  params: ParamDoc[];
  /** Code -> meaning (the body is the code as plain text, a reason on a second line). */
  codes: Record<number, string>;
  /** What the body holds on success when it is not just the code. */
  body?: string;
  /** A request as the manual prints it. */
  example: string;
}

const p = (name: string, description: string, example?: string, required = true): ParamDoc => ({
  name,
  required,
  description,
  ...(example === undefined ? {} : { example }),
});

const PARAM_ERROR = { 400: 'a parameter is missing or malformed' };
const CALL_THIRD_CALLEE = p('callee', 'the agent (extension) in the call', '801');
/** The outcome codes of a dialer task (sections 3 and 18), in the body with HTTP 200. */
const OUTCOMES = {
  0: 'queued, waiting to be called',
  4: 'calling (ringing, or answered and still in the playback or IVR)',
  1: 'answered, and the playback or IVR is over',
  2: 'failed (no answer, no key after the lead-in, any other failure)',
  3: 'no such number (SIP 404, 484, 604)',
  5: 'busy (SIP 486, 600)',
  6: 'unreachable or switched off (SIP 480, 408, 503)',
};
const CAPTCHA_PARAMS = [
  p('id', 'a unique id, later the parameter of GET_CAPTCHA_RESULT (a second one answers 483)', '1'),
  p('precallcount', 'customers dialled ahead (0–100) while every agent of extnum is busy', '1'),
  p('playtimes', 'how many times tone and code are played (1–20)', '1'),
  p('extnum', 'extension or group that takes the call after the playback; absent: hang up', '801', false),
  p('callee', "the customer's number", '13227841198'),
  p('toneid', 'the voice file: the id of a tone file uploaded through ToneFileSvlt', '19'),
  p('code', 'digits spoken one by one after the tone', '112233', false),
  p(
    'pwd',
    'md5(secret + callee + code + yyyy-MM-dd) in lower-case hex, or `no` (unless dialer.pwd.required)',
    'no',
  ),
];
const CAPTCHA_CODES = {
  200: 'queued',
  401: 'wrong pwd',
  421: 'no trunk configured to reach the number',
  503: 'no telephony engine, or the runtime is shutting down',
  420: 'a parameter is missing or malformed, or no such tone, extension or group',
  486: 'too many tasks waiting (dialer.maxQueued); retry later',
  483: 'the id was submitted before (not in section 3: the code of section 18)',
};
const LEADER = p('leaderExtnum', "the supervisor's extension (needs the monitor permission)", '803');
const WORKER = p('wokerExtnum', "the agent's extension (sic, as printed)", '801');

export const OPTS: OptDoc[] = [
  {
    opt: 'CLICK_TO_DIAL',
    section: '1',
    summary: "Rings the agent's extension, then the customer (through the trunk), and connects them.",
    params: [
      p('caller', "the agent's extension, rung first", '801'),
      p('callee', "the customer's number", '13500000001'),
      p('authtype', 'accepted and ignored (authentication is by key or address)', 'no', false),
    ],
    codes: {
      200: 'the call is placed; the second line is its clickcallid (also its callid)',
      400: PARAM_ERROR[400],
      404: 'no such extension',
      480: 'the extension is offline',
      486: 'the extension is in a call',
      503: 'no telephony engine, or the runtime is shutting down',
    },
    body: '200\\n<clickcallid>',
    example: '/bridge/callctrl?caller=801&callee=135xxxxxxx&authtype=no&opt=CLICK_TO_DIAL',
  },
  {
    opt: 'CLICK_TO_IP_DIAL',
    section: '1',
    summary: 'As CLICK_TO_DIAL (one trunk serves both).',
    params: [
      p('caller', "the agent's extension", '801'),
      p('callee', "the customer's number", '13500000001'),
    ],
    codes: {
      200: 'placed; clickcallid on the second line',
      400: 'bad parameters',
      404: 'no such extension',
      480: 'offline',
      486: 'busy',
      503: 'no engine',
    },
    body: '200\\n<clickcallid>',
    example: '/bridge/callctrl?caller=801&callee=135xxxxxxx&authtype=no&opt=CLICK_TO_IP_DIAL',
  },
  {
    opt: 'CLICK_TO_HUNGUP',
    section: '2',
    summary: 'Ends the call between the two numbers, ringing or answered.',
    params: [p('caller', 'one party', '801'), p('callee', 'the other party', '13500000001')],
    codes: { 200: 'hung up', ...PARAM_ERROR, 404: 'no call between them', 483: 'several calls match' },
    example: '/bridge/callctrl?caller=801&callee=135xxxxxxx&opt=CLICK_TO_HUNGUP',
  },
  {
    opt: 'CLICK_TO_TRANSFER',
    section: '5',
    summary:
      'Blind transfer: the agent is released at once, the customer hears music while the target rings; answers once the target answered (or the customer is offered back to the agent).',
    params: [
      p('extnum', 'the agent talking with the customer', '801'),
      p('target', 'the extension to transfer to', '802'),
    ],
    codes: {
      200: 'the target answered and talks with the customer',
      ...PARAM_ERROR,
      404: 'no such target extension',
      480: 'the target is offline or did not answer',
      481: 'the extension has no call to transfer',
      486: 'the target is busy or refused',
      500: 'system error',
    },
    example: '/bridge/callctrl?extnum=801&target=802&opt=CLICK_TO_TRANSFER',
  },
  {
    opt: 'TALKING_CALLER_TO_IVR',
    section: '6',
    summary: 'Sends the customer talking with an agent into an IVR; the agent is released.',
    params: [
      p('caller', "the customer's number (from the screen pop)", '1351568xxxx'),
      p('callee', "the agent's extension", '802'),
      p('ivrid', 'the IVR: a number routed to a flow, or a flow id', '1000'),
    ],
    codes: {
      200: 'the customer is in the IVR',
      ...PARAM_ERROR,
      404: 'no such call or IVR',
      483: 'several calls match',
    },
    example: '/bridge/callctrl?caller=1351568xxxx&callee=802&ivrid=3&opt=TALKING_CALLER_TO_IVR',
  },
  {
    opt: 'SET_EXT_PRESENCE_STATE',
    section: '8',
    summary:
      "Sets an agent's presence: online, reducing (calls only when no online agent is free) or busy (none).",
    params: [p('extnum', 'the extension', '801'), p('state', 'online, reducing or busy', 'reducing')],
    codes: { 200: 'set', ...PARAM_ERROR, 404: 'no such extension' },
    example: '/bridge/callctrl?extnum=801&state=reducing&&opt=SET_EXT_PRESENCE_STATE',
  },
  {
    opt: 'CONFERENCE_CREATE',
    section: '9',
    summary: 'Turns a talking call into a conference and invites the target; answers once the target joined.',
    params: [
      p('caller', 'one party of the call (the conference id)', '132XXXXXXXXX'),
      p('callee', 'the other party (also accepted as the conference id)', '801'),
      p('target', 'the number to invite', '802'),
    ],
    codes: {
      200: 'the target joined',
      ...PARAM_ERROR,
      404: 'no such call',
      483: 'the conference exists already',
      486: 'the invited phone is busy',
      480: 'the invited phone did not answer',
      503: 'no conference resources',
    },
    example: '/bridge/callctrl?caller=132XXXXXXXXX&callee=801&target=802&opt=CONFERENCE_CREATE',
  },
  {
    opt: 'CONFERENCE_JOIN',
    section: '10',
    summary: 'Invites another number into a conference made with CONFERENCE_CREATE.',
    params: [
      p('conferenceid', "the creating call's caller or callee", '801'),
      p('target', 'the number to invite', '159XXXXXXXXX'),
    ],
    codes: {
      200: 'the target joined',
      ...PARAM_ERROR,
      404: 'no such conference',
      480: 'the conference is still being created',
      486: 'the invited phone is busy',
      503: 'no conference resources',
    },
    example: '/bridge/callctrl?conferenceid=801&target=159XXXXXXXXX&opt=CONFERENCE_JOIN',
  },
  {
    opt: 'CALL_THIRD',
    section: '11',
    summary:
      'Puts the customer on hold music and dials a third party for the agent; poll the state with CALL_THIRD_GET_THIRD_STATE.',
    params: [CALL_THIRD_CALLEE, p('target', 'the third party', '802')],
    codes: {
      200: 'dialling',
      ...PARAM_ERROR,
      404: 'the agent talks with no customer, or consults already',
      500: 'system error',
    },
    example: '/bridge/callctrl?callee=801&target=802&opt=CALL_THIRD',
  },
  {
    opt: 'CALL_THIRD_RESUME',
    section: '11',
    summary: 'Back to the customer: the third party is hung up (ringing or answered).',
    params: [CALL_THIRD_CALLEE],
    codes: { 200: 'resumed', ...PARAM_ERROR, 404: 'the agent is not consulting', 500: 'system error' },
    example: '/bridge/callctrl?callee=801&opt=CALL_THIRD_RESUME',
  },
  {
    opt: 'CALL_THIRD_GET_THIRD_STATE',
    section: '11',
    summary: "The third party's state, as the body (HTTP 200 for 100, 180 and 603).",
    params: [CALL_THIRD_CALLEE],
    codes: {
      100: 'placed, no answer yet',
      180: 'ringing',
      200: 'answered',
      603: 'busy, refused or not reached (the agent is back with the customer)',
      ...PARAM_ERROR,
      404: 'not consulting (or already transferred or conferenced)',
    },
    example: '/bridge/callctrl?callee=801&opt=CALL_THIRD_GET_THIRD_STATE',
  },
  {
    opt: 'CALL_THIRD_CONFERENCE',
    section: '12',
    summary: 'Customer, agent and third party in one conference.',
    params: [CALL_THIRD_CALLEE],
    codes: { 200: 'conferenced', ...PARAM_ERROR, 404: 'not consulting', 500: 'system error' },
    example: '/bridge/callctrl?callee=801&opt=CALL_THIRD_CONFERENCE',
  },
  {
    opt: 'CALL_THIRD_TRANSFER',
    section: '13',
    summary: 'Attended transfer: the customer goes to the third party, the agent is released.',
    params: [CALL_THIRD_CALLEE],
    codes: { 200: 'transferred', ...PARAM_ERROR, 404: 'not consulting', 500: 'system error' },
    example: '/bridge/callctrl?callee=801&opt=CALL_THIRD_TRANSFER',
  },
  {
    opt: 'CALL_MONITOR',
    section: '15',
    summary: 'Rings the supervisor, who then hears both parties; neither hears the supervisor.',
    params: [LEADER, WORKER],
    codes: {
      200: 'listening',
      400: PARAM_ERROR[400],
      403: 'the supervisor lacks the monitor permission',
      404: 'the agent is not in a call',
      503: "the supervisor's phone is offline, busy or did not answer",
    },
    example: '/bridge/callctrl?/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=CALL_MONITOR',
  },
  {
    opt: 'FORCE_PICKUP',
    section: '16',
    summary: 'The supervisor takes the call over: the agent is released.',
    params: [LEADER, WORKER],
    codes: {
      200: 'taken over',
      ...PARAM_ERROR,
      403: 'no monitor permission',
      404: 'no call to take',
      503: "the supervisor's phone is unreachable",
    },
    example: '/bridge/callctrl?/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=FORCE_PICKUP',
  },
  {
    opt: 'FORCE_HUNGUP',
    section: '17',
    summary: "Ends the agent's call (every leg).",
    params: [LEADER, WORKER],
    codes: { 200: 'ended', ...PARAM_ERROR, 403: 'no monitor permission', 404: 'no call to end' },
    example: '/bridge/callctrl?/bridge/callctrl?leaderExtnum=803&wokerExtnum=801&opt=FORCE_HUNGUP',
  },
  {
    opt: 'CLICK_TO_IP_CAPTCHA',
    section: '3',
    summary:
      'Queues a call to the customer that plays a tone and speaks the code, then goes to an extension or group (or hangs up); poll GET_CAPTCHA_RESULT with the id.',
    params: CAPTCHA_PARAMS,
    codes: CAPTCHA_CODES,
    example:
      '/bridge/callctrl?id=1&precallcount=1&playtimes=1&extnum=801&callee=13227841198&toneid=19&code=112233&pwd=13deae128093437a57dd2caeb0328d40&opt=CLICK_TO_IP_CAPTCHA',
  },
  {
    opt: 'CLICK_TO_FIXEDLINE_CAPTCHA',
    section: '3',
    summary:
      'As CLICK_TO_IP_CAPTCHA, for a fixed line: without answer supervision (`dialer.fixedLine`) a lead-in loops until the customer presses a key, and the playback starts then.',
    params: CAPTCHA_PARAMS,
    codes: CAPTCHA_CODES,
    example:
      '/bridge/callctrl?id=2&precallcount=0&playtimes=2&callee=13227841198&toneid=19&code=112233&pwd=no&opt=CLICK_TO_FIXEDLINE_CAPTCHA',
  },
  {
    opt: 'GET_CAPTCHA_RESULT',
    section: '3',
    summary: "A CAPTCHA call's state, as the body (HTTP 200); poll every 5 seconds.",
    params: [p('id', 'the id the call was queued with', '1')],
    codes: {
      ...OUTCOMES,
      404: 'the id does not exist',
      420: 'the id is missing or malformed',
    },
    example: '/bridge/callctrl?id=1&opt=GET_CAPTCHA_RESULT',
  },
  {
    opt: 'IVR_TTS_CALL',
    section: '18',
    summary:
      'Queues a call to the customer that runs a published IVR with every `tts*` parameter as a variable; poll IVR_TTS_CALL_RESULT with the token.',
    params: [
      p('token', 'marks the task (unique: a second one answers 483)', '0123456789'),
      p('callee', "the customer's number", '015919823610'),
      p('toneid', 'the IVR: a number routed to a flow, or a flow id', '20'),
      p(
        'tts<name>',
        'any number of variables, by their full name (`ttsabc` is `${ttsabc}` in the flow), at most 1000 characters each',
        '你好世界!',
        false,
      ),
      p(
        'pwd',
        'not in the manual: md5(secret + callee + yyyy-MM-dd), or `no`; needed only with `dialer.pwd.required`',
        'no',
        false,
      ),
    ],
    codes: {
      200: 'queued: the system starts calling',
      400: 'a parameter is missing or malformed, or no such published IVR',
      401: 'pwd required (dialer.pwd.required) or wrong',
      483: 'the token was submitted before',
      486: 'too many tasks waiting (dialer.maxQueued); retry later',
      480: 'no telephony engine or trunk, or the runtime is shutting down',
    },
    example:
      '/bridge/callctrl?token=0123456789&callee=015919823610&toneid=20&ttsabc=你好世界!&opt=IVR_TTS_CALL',
  },
  {
    opt: 'IVR_TTS_CALL_RESULT',
    section: '18',
    summary:
      "The task's state and every variable its IVR collected, in first-collected order: `state=1;satisfact=8` (HTTP 200).",
    params: [p('token', 'the token the call was queued with', '0123456789')],
    codes: { ...OUTCOMES, ...PARAM_ERROR, 404: 'the token does not exist' },
    body: 'state=<state>;<name>=<value>;…',
    example: '/bridge/callctrl?token=0123456789&opt=IVR_TTS_CALL_RESULT',
  },
  {
    opt: 'IVR_TTS_CALL_MONITOR',
    section: '18',
    summary:
      "The dialer's customers waiting for an agent (`queue`: a high value means calling too fast) and those answered and hearing prompts (`playcount`).",
    params: [],
    codes: { 200: 'the counts' },
    body: 'queue=<n>;playcount=<n>',
    example: '/bridge/callctrl?opt=IVR_TTS_CALL_MONITOR',
  },
  {
    opt: 'CALL_LOG_QUERY',
    section: '21',
    summary:
      'Call logs of a date range (server time, endDate inclusive), newest first, as a JSON array of Calllog.',
    params: [
      p('first', 'offset of the first record (0-based)', '0'),
      p('maxResults', 'most records (at most 10000)', '1000'),
      p('beginDate', 'yyyy-MM-dd', '2016-03-01'),
      p('endDate', 'yyyy-MM-dd (the whole day)', '2016-03-29'),
      p('telnum', 'a number any party had', '801', false),
      p('dirction', '0 all, 1 received, 2 placed (sic; `direction` accepted too)', '0'),
    ],
    codes: { 200: 'the JSON array', ...PARAM_ERROR },
    body: 'JSON array of Calllog',
    example:
      '/bridge/callctrl?first=0&maxResults=1000&beginDate=2016-03-01&endDate=2016-03-29&telnum=801&dirction=0&opt=CALL_LOG_QUERY',
  },
  {
    opt: 'CALL_LOG_GET_WITH_CALLID',
    section: '21',
    summary: 'One call log by callid (from a screen pop or CLICK_TO_DIAL), as a one-element JSON array.',
    params: [
      p('callid', 'the call id (`%40` for `@`)', 'df0897e8-b468-4b57-a5d8-9b48c92aa9c5%40192.168.1.86'),
    ],
    codes: { 200: 'the JSON array', ...PARAM_ERROR, 404: 'unknown callid' },
    body: 'JSON array with one Calllog',
    example:
      '/bridge/callctrl?callid=df0897e8-b468-4b57-a5d8-9b48c92aa9c5%40192.168.1.86&opt=CALL_LOG_GET_WITH_CALLID',
  },
];

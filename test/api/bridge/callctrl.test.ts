// The manual's interfaces without live calls: literal URLs, plain-text codes, 404s per family, call logs,
// presence, EXTNUM_STATE, recordings by path, and authentication.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../harness.ts';

let api: ApiHarness;

/** A GET as the manual's integrators send it: the path and query exactly as written, no extra headers. */
async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(api.base + path, { headers });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

const at = (date: string, hour = 10) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00`).getTime();

beforeAll(async () => {
  api = await startApi({
    overrides: {
      extensions: [
        { number: '801', password: 'pw-801-x', name: '李阳', group: '3000' },
        { number: '802', password: 'pw-802-x', name: '张霞', group: '3000' },
      ],
      groups: [{ number: '3000', name: 'Service desk' }],
    },
  });
  const logs = api.store.callLogs;
  const rows = [
    {
      callid: 'a@h',
      caller: '13800000001',
      callee: '1000',
      direction: 'inbound',
      beginTime: at('2016-03-01'),
    },
    {
      callid: 'b@h',
      caller: '801',
      callee: '60610123',
      direction: 'outbound',
      beginTime: at('2016-03-28', 18),
    },
    {
      callid: 'c@h',
      caller: '13800000002',
      callee: '801',
      direction: 'inbound',
      beginTime: at('2016-03-29', 23),
    },
    {
      callid: 'd@h',
      caller: '13800000003',
      callee: '1000',
      direction: 'inbound',
      beginTime: at('2016-03-30'),
    },
    { callid: 't@h', caller: 'browser', callee: '1000', direction: 'test', beginTime: at('2016-03-28') },
  ] as const;
  for (const r of rows) await logs.insert({ ...r, state: 'STATE_RECEIVING', callType: 'LOCAL_CALL' });
  await logs.finish('b@h', {
    answerTime: at('2016-03-28', 18),
    endTime: at('2016-03-28', 18) + 41_000,
    state: 'STATE_RECEIVED',
    result: null,
    endReason: 'customer-hangup',
    recordVoice: join(api.dir, 'recordings', '2016-03-28', 'b.wav'),
  });
  mkdirSync(join(api.dir, 'recordings', '2016-03-28'), { recursive: true });
  writeFileSync(join(api.dir, 'recordings', '2016-03-28', 'b.wav'), 'RIFF-b');
  writeFileSync(join(api.dir, 'secret.wav'), 'RIFF-secret');
});
afterAll(async () => {
  await api.close();
});

describe('/bridge/callctrl', () => {
  it('answers a code in plain text, with a reason on the second line', async () => {
    const r = await get('/bridge/callctrl?opt=NO_SUCH_OPT');
    expect(r).toMatchObject({ status: 400, type: expect.stringMatching(/^text\/plain/) });
    expect(r.text).toMatch(/^400\nunknown opt NO_SUCH_OPT\n$/);
    expect((await get('/bridge/callctrl')).text).toMatch(/^400\n/);
    expect((await get('/bridge/callctrl?caller=801&opt=CLICK_TO_DIAL')).text).toMatch(
      /^400\nmissing or malformed/,
    );
  });

  it('reads the manual URLs literally: a doubled path and empty pairs', async () => {
    const doubled = await get(
      '/bridge/callctrl?/bridge/callctrl?caller=801&callee=135000&opt=CLICK_TO_HUNGUP',
    );
    expect(doubled.text).toMatch(/^404\nno call between 801 and 135000/);
    const r = await get('/bridge/callctrl?extnum=801&state=reducing&&opt=SET_EXT_PRESENCE_STATE');
    expect(r).toMatchObject({ status: 200, text: '200\n' });
  });

  it('sets presence: 404 for an unknown extension, 400 for an unknown state', async () => {
    expect((await get('/bridge/callctrl?extnum=899&state=busy&opt=SET_EXT_PRESENCE_STATE')).status).toBe(404);
    expect((await get('/bridge/callctrl?extnum=801&state=away&opt=SET_EXT_PRESENCE_STATE')).status).toBe(400);
  });

  it('answers 503 for call control while no telephony engine runs', async () => {
    const r = await get('/bridge/callctrl?caller=801&callee=13500000000&authtype=no&opt=CLICK_TO_DIAL');
    expect(r).toMatchObject({ status: 503, text: expect.stringMatching(/^503\n/) });
  });
});

describe('/openapi.json', () => {
  it('serves the OpenAPI document of every endpoint', async () => {
    const r = await get('/openapi.json');
    expect(r.status).toBe(200);
    const doc = JSON.parse(r.text) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/bridge/callctrl', '/bridge/jsoncfg', '/api/flows']),
    );
  });
});

describe('404 in each family’s own format', () => {
  it.each([
    ['/bridge/nope', /^404\n/],
    ['/Oms/NoSuchServlet', /^404\n/],
    ['/bridge', /^404\n/],
  ])('%s answers a plain 404', async (path, body) => {
    const r = await get(path);
    expect(r.status).toBe(404);
    expect(r.text).toMatch(body);
    expect(r.type).toMatch(/^text\/plain/);
  });

  it('/api answers JSON', async () => {
    const r = await get('/api/nope');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toEqual({ error: 'not found' });
  });
});

describe('EXTNUM_STATE', () => {
  it('lists every extension with the manual fields', async () => {
    const r = await get('/bridge/jsoncfg?opt=EXTNUM_STATE');
    expect(r.type).toMatch(/^application\/json/);
    expect(JSON.parse(r.text)).toEqual([
      {
        telNum: '801',
        userName: '李阳',
        telRegState: 0,
        phoneType: '',
        state: 'OFFLINE',
        presence: 'offline',
        missingCallCount: 0,
      },
      expect.objectContaining({ telNum: '802', userName: '张霞', state: 'OFFLINE' }),
    ]);
    expect((await get('/bridge/jsoncfg?opt=OTHER')).status).toBe(400);
  });
});

describe('CALL_LOG_QUERY and CALL_LOG_GET_WITH_CALLID', () => {
  const query = (q: string) => get(`/bridge/callctrl?${q}&opt=CALL_LOG_QUERY`);
  const ids = (text: string) => (JSON.parse(text) as { callid: string }[]).map((r) => r.callid);

  it('answers the manual example: all directions in a date range, newest first, without test calls', async () => {
    const r = await query('first=0&maxResults=1000&beginDate=2016-03-01&endDate=2016-03-29&dirction=0');
    expect(r.status).toBe(200);
    expect(ids(r.text)).toEqual(['c@h', 'b@h', 'a@h']);
  });

  it('filters by number and direction, and pages with first/maxResults', async () => {
    const all = 'beginDate=2016-03-01&endDate=2016-03-31';
    expect(ids((await query(`first=0&maxResults=10&${all}&dirction=0&telnum=801`)).text)).toEqual([
      'c@h',
      'b@h',
    ]);
    expect(ids((await query(`first=0&maxResults=10&${all}&dirction=2`)).text)).toEqual(['b@h']);
    expect(ids((await query(`first=0&maxResults=10&${all}&dirction=1`)).text)).toEqual(['d@h', 'c@h', 'a@h']);
    expect(ids((await query(`first=1&maxResults=2&${all}&dirction=0`)).text)).toEqual(['c@h', 'b@h']);
  });

  it('writes each Calllog with the manual field names and types', async () => {
    const r = await query('first=0&maxResults=1&beginDate=2016-03-28&endDate=2016-03-28&dirction=2');
    const [log] = JSON.parse(r.text) as Record<string, unknown>[];
    expect(log).toEqual({
      id: expect.any(Number),
      caller: '801',
      callee: '60610123',
      beginTime: at('2016-03-28', 18),
      duration: 41,
      state: 'STATE_RECEIVED',
      callType: 'LOCAL_CALL',
      estimate: '',
      channel: '',
      callid: 'b@h',
      record: '',
      recordVoice: join(api.dir, 'recordings', '2016-03-28', 'b.wav'),
      cname: '',
      servicetype: '',
      manustate: '',
      clickcallid: '',
      fxonum: '',
      productid: 0,
      _callTime: 'Mar 28, 2016 6:00:00 PM',
      _judge: 0,
    });
  });

  it.each([
    'first=0&maxResults=10&beginDate=2016-3-1&endDate=2016-03-29&dirction=0',
    'first=0&maxResults=10&beginDate=2016-02-30&endDate=2016-03-29&dirction=0',
    'first=0&maxResults=10&beginDate=2016-03-29&endDate=2016-03-01&dirction=0',
    'first=-1&maxResults=10&beginDate=2016-03-01&endDate=2016-03-29&dirction=0',
    'first=0&beginDate=2016-03-01&endDate=2016-03-29&dirction=0',
    'first=0&maxResults=10&beginDate=2016-03-01&endDate=2016-03-29&dirction=3',
    'first=0&maxResults=10&beginDate=2016-03-01&endDate=2016-03-29&dirction=0&telnum=80%3B1',
  ])('answers 400 for %s', async (q) => {
    expect((await query(q)).text).toMatch(/^400\n/);
  });

  it('gets one call log by callid, 404 for an unknown one', async () => {
    const one = await get('/bridge/callctrl?callid=c%40h&opt=CALL_LOG_GET_WITH_CALLID');
    expect(ids(one.text)).toEqual(['c@h']);
    expect((await get('/bridge/callctrl?callid=zz%40h&opt=CALL_LOG_GET_WITH_CALLID')).text).toMatch(/^404\n/);
    expect((await get('/bridge/callctrl?callid=t%40h&opt=CALL_LOG_GET_WITH_CALLID')).status).toBe(404);
    expect((await get('/bridge/callctrl?opt=CALL_LOG_GET_WITH_CALLID')).status).toBe(400);
  });
});

describe('/Oms/FileDownServlet and /Oms/RecordPlayerSvlt', () => {
  it('downloads a call recording by callid and by the call log path', async () => {
    expect(await get('/Oms/FileDownServlet?callid=b%40h')).toMatchObject({ status: 200, text: 'RIFF-b' });
    const path = encodeURIComponent(join(api.dir, 'recordings', '2016-03-28', 'b.wav'));
    expect(await get(`/Oms/FileDownServlet?filename=${path}`)).toMatchObject({ status: 200, text: 'RIFF-b' });
    expect(await get('/Oms/FileDownServlet?filename=2016-03-28/b.wav')).toMatchObject({ text: 'RIFF-b' });
  });

  it.each([
    `filename=${encodeURIComponent('../secret.wav')}`,
    'filename=2016-03-28/../../secret.wav',
    `filename=${encodeURIComponent(join('/tmp', '..', 'etc', 'passwd'))}`,
    'filename=/etc/passwd',
    'filename=D:/records/monitor/2016-08-22/801_803_20160822160201.wav',
    'callid=a%40h',
    'callid=nope',
    '',
  ])('never serves anything outside the recordings root: %s', async (q) => {
    const r = await get(`/Oms/FileDownServlet?${q}`);
    expect(r.status).toBe(404);
    expect(r.text).toMatch(/^404\n/);
  });

  it('plays a recording in a small page, and 404s what it cannot find', async () => {
    const page = await get('/Oms/RecordPlayerSvlt?browsertype=other&callid=b%40h');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<audio controls');
    expect(page.text).toContain('/Oms/FileDownServlet?filename=2016-03-28%2Fb.wav');
    expect((await get('/Oms/RecordPlayerSvlt?browsertype=other&voiceFile=F:/test.wav')).status).toBe(404);
  });
});

describe('authentication of the manual interfaces', () => {
  it('refuses a client without a key in plain text when loopback is not open; a key or a trusted address passes', async () => {
    const closed = await startApi({
      overrides: { 'auth.loopbackOpen': false, 'auth.apiKeys': ['k'.repeat(32)] },
    });
    try {
      const r = await fetch(`${closed.base}/bridge/jsoncfg?opt=EXTNUM_STATE`);
      expect(r.status).toBe(401);
      expect(await r.text()).toMatch(/^401\nAPI key required/);
      const ok = await fetch(`${closed.base}/bridge/jsoncfg?opt=EXTNUM_STATE`, {
        headers: { authorization: `Bearer ${'k'.repeat(32)}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      await closed.close();
    }
    const trusted = await startApi({
      overrides: { 'auth.loopbackOpen': false, 'auth.trustedClients': ['127.0.0.0/8'] },
    });
    try {
      expect((await fetch(`${trusted.base}/bridge/jsoncfg?opt=EXTNUM_STATE`)).status).toBe(200);
      expect((await fetch(`${trusted.base}/api/flows`)).status).toBe(401);
    } finally {
      await trusted.close();
    }
  });
});

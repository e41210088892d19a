// The SOAP services (manual sections 25, 27, 28) on live calls through the embedded engine, called by zeep (a
// client no one here wrote) from our WSDLs: click-to-dial with its states, voicemail left by a baresip caller and
// read back byte for byte, call logs and their recordings.
import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import { callsOver, CUSTOMER, startCenter, type Center } from '../../callcenter/control/center.ts';
import { zeep, zeepOne, type ZeepOutcome } from './zeep.ts';

let c: Center;
let base: string;

const VM = 'http://www.example.org/voicemail';
/** A caller keys a reply number, 802 is rung and does not answer, then a private message is recorded for 802. */
const privateFlow = {
  id: 'vm-private',
  number: '7001',
  xml: `<tns:vxml xmlns:tns="${VM}"><tns:form id="main">
  <tns:field name="reply" length="4" inputexpires="10000"/>
  <tns:transfer dest="802" timeout="5"/>
  <tns:record name="msg" maxtime="2" public="false" beep="false"/>
</tns:form></tns:vxml>`,
};
/** A public message, straight away. */
const publicFlow = {
  id: 'vm-public',
  number: '7002',
  xml: `<tns:vxml xmlns:tns="${VM}"><tns:form id="main">
  <tns:record name="msg" maxtime="2" public="true" beep="false"/>
</tns:form></tns:vxml>`,
};

beforeAll(async () => {
  c = await startCenter({
    agents: [
      { number: '801', hz: 600 },
      { number: '802', hz: 800 },
      { number: '804', hz: 1000, offline: true },
    ],
    flows: [privateFlow, publicFlow],
    overrides: { 'callCenter.recordCalls': true },
  });
  base = `http://127.0.0.1:${c.runtime.http.port}/bridge/services`;
});
afterAll(async () => {
  await c?.stop();
});

const wsdl = (service: string) => `${base}/${service}?wsdl`;
const result = (o: ZeepOutcome) => {
  if (!('result' in o)) throw new Error(`fault: ${o.fault.message}`);
  return o.result;
};
const faultOf = (o: ZeepOutcome) => ('fault' in o ? o.fault.message : `no fault: ${JSON.stringify(o)}`);
const state = async (id: string) =>
  result(await zeepOne(wsdl('Click2CallControl'), 'state4click', { clickCallId: id }));

let clickCallId = '';

describe('Click2CallControl', () => {
  it('click2call rings the agent, then the customer; state4click follows 1, 2, 3; click2hungup ends it (0)', async () => {
    const agent = c.agents.get('801')!;
    clickCallId = result(
      await zeepOne(wsdl('Click2CallControl'), 'click2call', { extnum: '801', callee: CUSTOMER }),
    ) as string;
    expect(clickCallId).toMatch(/^[0-9a-f-]{36}@127\.0\.0\.1$/);
    await agent.event('CALL_INCOMING');
    expect(await state(clickCallId)).toBe(1);
    await agent.command('accept');
    await c.trunk.event('CALL_INCOMING');
    expect(await state(clickCallId)).toBe(2);
    await c.trunk.command('accept');
    await agent.event('CALL_ESTABLISHED');
    await c.trunk.event('CALL_ESTABLISHED');
    await waitFor(
      () => c.runtime.calls.registry.get(clickCallId)?.customer?.status === 'talking' || undefined,
      10_000,
      'talking',
    );
    expect(await state(clickCallId)).toBe(3);
    // Let the recording hold some audio before the hang-up.
    await waitFor(() => agent.heard().length > 8000 || undefined, 10_000, 'a second of the call');
    expect(result(await zeepOne(wsdl('Click2CallControl'), 'click2hungup', { clickCallId }))).toBeNull();
    await agent.event('CALL_CLOSED');
    await c.trunk.event('CALL_CLOSED');
    await callsOver(c);
    expect(await state(clickCallId)).toBe(0);
  });

  it('answers faults with the manual codes: offline agent 480, bad number 400, unknown call 404', async () => {
    const [offline, bad, unknown, ipcall] = await zeep(wsdl('Click2CallControl'), [
      ['click2ipcall', { extnum: '804', callee: CUSTOMER }],
      ['click2call', { extnum: 'eight', callee: CUSTOMER }],
      ['click2hungup', { clickCallId: 'nobody@127.0.0.1' }],
      ['click2ipcall', { extnum: '809', callee: CUSTOMER }],
    ]);
    expect(faultOf(offline)).toBe('480 extension 804 is offline');
    expect(faultOf(bad)).toMatch(/^400 bad parameter extnum/);
    expect(faultOf(unknown)).toBe('404 no live call nobody@127.0.0.1');
    expect(faultOf(ipcall)).toBe('404 no extension 809');
  });
});

describe('CallRecordHome', () => {
  const today = () => {
    const d = new Date();
    const two = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  };

  it('lists the call log of the click-to-dial call and downloads its recording by path and by callid', async () => {
    const [list, none] = await zeep(wsdl('CallRecordHome'), [
      [
        'listCalllog',
        {
          first: 0,
          maxResults: 10,
          beginDate: `${today()} 00:00:00`,
          endDate: `${today()} 23:59:59`,
          telnum: CUSTOMER,
          dirction: 2,
        },
      ],
      [
        'listCalllog',
        {
          first: 0,
          maxResults: 10,
          beginDate: `${today()} 00:00:00`,
          endDate: `${today()} 23:59:59`,
          telnum: CUSTOMER,
          dirction: 1,
        },
      ],
    ]);
    const rows = result(list) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      caller: '801',
      callee: CUSTOMER,
      state: 'STATE_RECEIVED',
      callType: 'LOCAL_CALL',
      estimate: null,
    });
    expect(typeof rows[0].beginTime).toBe('number');
    expect(result(none)).toEqual([]);
    const recordVoice = rows[0].recordVoice as string;
    expect(existsSync(recordVoice)).toBe(true);
    const onDisk = readFileSync(recordVoice).toString('base64');
    const [byPath, byCallId, outside, badDate] = await zeep(wsdl('CallRecordHome'), [
      ['downloadVoice', { filepath: recordVoice }],
      ['downloadVoiceWithCallId', { callid: clickCallId }],
      ['downloadVoice', { filepath: '/etc/passwd' }],
      ['listCalllog', { beginDate: 'yesterday', endDate: `${today()} 23:59:59` }],
    ]);
    expect(result(byPath)).toEqual({ base64: onDisk });
    expect(result(byCallId)).toEqual({ base64: onDisk });
    expect(faultOf(outside)).toBe('404 no such recording');
    expect(faultOf(badDate)).toMatch(/^400 bad parameter beginDate/);
  });
});

/** A customer phone dials `number` and, once the flow collects, keys `keys`; resolves when the call is over. */
async function leaveMessage(user: string, number: string, keys = ''): Promise<void> {
  const collecting = new Promise<void>((resolve) => {
    const off = c.runtime.calls.bus.on('call.trace', ({ event }) => {
      if (event.type === 'collect.start' || event.type === 'record') {
        off();
        resolve();
      }
    });
  });
  const phone = await c.customer(user, 400);
  expect((await phone.command('dial', `sip:${number}@${c.sip}`)).ok).toBe(true);
  await collecting;
  for (const k of keys) await phone.command('sndcode', k);
  await phone.event('CALL_CLOSED', 30_000);
  await callsOver(c, 30_000);
}

describe('VoiceMailHome', () => {
  it('lists messages left by live callers, downloads them byte for byte, plays them on the web, deletes them', async () => {
    await leaveMessage('13700000001', '7001', '1234');
    await leaveMessage('13700000002', '7002');
    const vm = wsdl('VoiceMailHome');
    const [mine, withPublic, pubOnly] = await zeep(vm, [
      ['getMails', { extnum: '802' }],
      [
        'getMailsIncludePub',
        {
          first: 0,
          maxresults: 10,
          extnum: '801',
          begin: { datetime: '2020-01-01T00:00:00' },
          end: { datetime: '2099-01-01T00:00:00' },
        },
      ],
      ['getMailsIncludePub', { first: 0, maxresults: 10 }],
    ]);
    const mails = result(mine) as Record<string, unknown>[];
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ caller: '13700000001', ivrInput: '1234', publicMail: false });
    expect(mails[0].duration).toBeGreaterThanOrEqual(1);
    // 801 sees the public message, not 802's private one.
    const pub = result(withPublic) as Record<string, unknown>[];
    // zeep reads an empty element as None: no IVR input before the public message.
    expect(pub.map((m) => [m.caller, m.publicMail, m.ivrInput])).toEqual([['13700000002', true, null]]);
    expect(result(pubOnly)).toEqual(pub);

    const filepath = mails[0].filepath as string;
    const onDisk = readFileSync(filepath);
    expect(onDisk.toString('latin1', 0, 4)).toBe('RIFF');
    expect(result(await zeepOne(vm, 'downloadVoice', { filepath }))).toEqual({
      base64: onDisk.toString('base64'),
    });
    const page = await c.get(
      `/Oms/RecordPlayerSvlt?browsertype=other&voiceFile=${encodeURIComponent(filepath)}`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('<audio controls');
    const audio = await fetch(
      `http://127.0.0.1:${c.runtime.http.port}/Oms/FileDownServlet?filename=${encodeURIComponent(filepath)}`,
    );
    expect(Buffer.from(await audio.arrayBuffer()).equals(onDisk)).toBe(true);

    const [deleted, again, after, outside] = await zeep(vm, [
      ['deleteWithId', { mailId: mails[0].id }],
      ['deleteWithId', { mailId: mails[0].id }],
      ['getMails', { extnum: '802' }],
      ['downloadVoice', { filepath: '/etc/passwd' }],
    ]);
    expect(result(deleted)).toBeNull();
    expect(faultOf(again)).toBe('404 no such message');
    expect(result(after)).toEqual([]);
    expect(faultOf(outside)).toBe('404 no such voicemail');
    expect(existsSync(filepath)).toBe(false);
  });
});

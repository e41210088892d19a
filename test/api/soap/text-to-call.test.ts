// TextToCallService (manual section 26) called by zeep against live calls: sipp customers behind the trunk answer,
// are busy, never answer or do not exist. Calls wait for their calldate, are placed by the one dialer, read the
// text to the customer and end; WAITING tasks can be changed and removed; listings filter by business.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../runtime/config/load.ts';
import { EspeakTts } from '../../../runtime/media/audio/tts.ts';
import { until } from '../../calls/harness.ts';
import { startDialerCenter, type DialerCenter } from '../../callcenter/dialer/center.ts';
import {
  BUSY,
  NEVER_ANSWERS,
  NO_SUCH_NUMBER,
  startCustomers,
  type Customers,
} from '../../callcenter/dialer/customers.ts';
import { zeep, zeepOne, type ZeepOutcome } from './zeep.ts';

let customers: Customers;
let c: DialerCenter;
let wsdl: string;

beforeAll(async () => {
  customers = await startCustomers({ keys: '1' });
  // The configuration dials every task once: text calls get the manual's 3 attempts all the same.
  c = await startDialerCenter({
    trunkPort: customers.port,
    overrides: { 'dialer.retry': { maxAttempts: 1, delaySec: 0, on: ['busy'] } },
  });
  wsdl = `http://127.0.0.1:${c.runtime.http.port}/bridge/services/TextToCallService?wsdl`;
});
afterAll(async () => {
  await c?.stop();
  await customers?.stop();
});

interface Texttocal {
  id: number;
  caller: string;
  callee: string;
  content: string;
  assisid: number;
  calldate: string;
  voipcall: boolean;
  servicetype: string;
  linkkey: number | null;
  createTime: string;
  state: string;
  ttsfile: string | null;
  calltime: number;
  playingtime: number | null;
}

const result = (o: ZeepOutcome) => {
  if (!('result' in o)) throw new Error(`fault: ${o.fault.message}`);
  return o.result;
};
const faultOf = (o: ZeepOutcome) => ('fault' in o ? o.fault.message : `no fault: ${JSON.stringify(o)}`);
const at = (ms: number) => ({ datetime: new Date(ms).toISOString().replace('Z', '+00:00') });

async function makeCall(info: Record<string, unknown>): Promise<number> {
  return result(await zeepOne(wsdl, 'makeCall', { info: { id: -1, ...info } })) as number;
}

async function list(op: 'listWithToken' | 'listUnCalled', servicetype: string, linkkey?: number) {
  const args = { first: 0, maxResults: 100, servicetype, ...(linkkey !== undefined && { linkkey }) };
  return ((result(await zeepOne(wsdl, op, args)) as Texttocal[] | null) ?? []) as Texttocal[];
}

/** Waits until task `id` of `servicetype` is in a final state; answers it. */
async function finished(servicetype: string, id: number, ms = 60_000): Promise<Texttocal> {
  let task: Texttocal | undefined;
  await until(
    async () => {
      task = (await list('listWithToken', servicetype)).find((t) => t.id === id);
      return task !== undefined && !['WAITING', 'TRYING'].includes(task.state);
    },
    ms,
    `text call ${id} to finish`,
  );
  return task!;
}

const timesDialled = (callee: string) => customers.dialled().filter((n) => n === callee).length;

describe('TextToCallService', () => {
  it('waits for calldate, then reads the text to the customer once: CONFIRM with the time the text played', async () => {
    const content = '您的快递已到达，请在今天下午五点前到前台领取。';
    const callee = '13900000101';
    // Far enough ahead for zeep (a Python process loading the WSDL) to list the task before it is due.
    const calldate = Date.now() + 10_000;
    const [made, uncalled] = await zeep(wsdl, [
      [
        'makeCall',
        {
          info: {
            id: -1,
            caller: '801',
            callee,
            content,
            calldate: at(calldate),
            servicetype: 'EXPRESS',
            linkkey: 7,
          },
        },
      ],
      ['listUnCalled', { first: 0, maxResults: 10, servicetype: 'EXPRESS' }],
    ]);
    const id = result(made) as number;
    expect(id).toBeGreaterThan(0);
    const [waiting] = result(uncalled) as Texttocal[];
    expect(waiting).toMatchObject({ id, caller: '801', callee, content, servicetype: 'EXPRESS', linkkey: 7 });
    expect(waiting).toMatchObject({
      state: 'WAITING',
      calltime: 0,
      playingtime: null,
      assisid: 0,
      voipcall: false,
    });
    expect(customers.dialled()).not.toContain(callee);
    expect(new Date(waiting.calldate).getTime()).toBe(calldate);

    const done = await finished('EXPRESS', id);
    expect(done).toMatchObject({ state: 'CONFIRM', calltime: 1, ttsfile: null });
    const invite = customers.invites().find((i) => i.user === callee);
    expect(invite!.at).toBeGreaterThanOrEqual(calldate);
    // The customer never hangs up: the text played to its end, as long as the runtime's TTS speaks it.
    const voice = loadConfig({ env: {}, overrides: { db: ':memory:' } }).tts.voice;
    const speech = await new EspeakTts({ voice }).synthesize(content);
    expect(Math.abs(done.playingtime! - speech.length / 8000)).toBeLessThanOrEqual(1);
    expect(await list('listUnCalled', 'EXPRESS')).toEqual([]);
  });

  it('changes a WAITING task under the same id, and refuses to change one that was dialled (403)', async () => {
    const id = await makeCall({
      callee: '13900000201',
      content: '旧的通知',
      calldate: at(Date.now() + 3_600_000),
      servicetype: 'ARREARS',
    });
    const changed = await zeepOne(wsdl, 'makeCall', {
      info: {
        id,
        callee: '13900000202',
        content: '您的话费已欠费十元',
        calldate: at(Date.now()),
        servicetype: 'ARREARS',
      },
    });
    expect(result(changed)).toBe(id);
    const done = await finished('ARREARS', id);
    expect(done).toMatchObject({ callee: '13900000202', content: '您的话费已欠费十元', state: 'CONFIRM' });
    expect(timesDialled('13900000201')).toBe(0);
    const again = await zeepOne(wsdl, 'makeCall', {
      info: { id, callee: '13900000203', content: 'x', servicetype: 'ARREARS' },
    });
    expect(faultOf(again)).toBe(`403 task ${id} is no longer WAITING`);
    expect(
      faultOf(await zeepOne(wsdl, 'makeCall', { info: { id: 999_999, callee: '1', content: 'x' } })),
    ).toBe('404 no task 999999');
  });

  it('tries a busy number and one that never answers 3 times (CALL_FAILED, RING_TIME_OUT); a number that does not exist once', async () => {
    const busy = `${BUSY}00000301`;
    const silent = `${NEVER_ANSWERS}00000302`;
    const missing = `${NO_SUCH_NUMBER}00000303`;
    const ids = [];
    for (const callee of [busy, silent, missing])
      ids.push(await makeCall({ callee, content: '投诉进度通知', servicetype: 'COMPLAINT' }));
    const [b, s, m] = await Promise.all(ids.map((id) => finished('COMPLAINT', id, 90_000)));
    expect([b.state, b.calltime, timesDialled(busy)]).toEqual(['CALL_FAILED', 3, 3]);
    expect([s.state, s.calltime, timesDialled(silent)]).toEqual(['RING_TIME_OUT', 3, 3]);
    expect([m.state, m.calltime, timesDialled(missing)]).toEqual(['CALL_FAILED', 1, 1]);
    expect([b, s, m].map((t) => t.playingtime)).toEqual([null, null, null]);
  });

  it('removes a WAITING task, which is then never dialled; an unknown id is a 404 fault', async () => {
    const soon = Date.now() + 12_000;
    const made = await zeep(wsdl, [
      [
        'makeCall',
        {
          info: {
            id: -1,
            callee: '13900000401',
            content: '取消的通知',
            calldate: at(soon),
            servicetype: 'REMOVE',
          },
        },
      ],
      [
        'makeCall',
        {
          info: {
            id: -1,
            callee: '13900000402',
            content: '保留的通知',
            calldate: at(soon + 500),
            servicetype: 'REMOVE',
          },
        },
      ],
    ]);
    const [removed, kept] = made.map((o) => result(o) as number);
    const [gone, left] = await zeep(wsdl, [
      ['remove', { texttocalld: removed }],
      ['listWithToken', { first: 0, maxResults: 10, servicetype: 'REMOVE' }],
    ]);
    expect(result(gone)).toBeNull();
    expect((result(left) as Texttocal[]).map((t) => [t.id, t.state])).toEqual([[kept, 'WAITING']]);
    // The kept task was due after the removed one: once it is done, the removed one would have been dialled.
    expect((await finished('REMOVE', kept)).state).toBe('CONFIRM');
    expect(timesDialled('13900000401')).toBe(0);
    expect(faultOf(await zeepOne(wsdl, 'remove', { texttocalld: removed }))).toBe(`404 no task ${removed}`);
  });

  it('lists by servicetype and linkkey, pages with first and maxResults', async () => {
    const later = at(Date.now() + 3_600_000);
    const ids = [];
    for (const linkkey of [1, 2, 1])
      ids.push(
        await makeCall({
          callee: '13900000501',
          content: 'x',
          calldate: later,
          servicetype: 'PAGED',
          linkkey,
        }),
      );
    expect((await list('listUnCalled', 'PAGED', 1)).map((t) => t.id)).toEqual([ids[0], ids[2]]);
    expect((await list('listWithToken', 'PAGED', 2)).map((t) => t.id)).toEqual([ids[1]]);
    const page = result(
      await zeepOne(wsdl, 'listWithToken', { first: 1, maxResults: 1, servicetype: 'PAGED' }),
    ) as Texttocal[];
    expect(page.map((t) => t.id)).toEqual([ids[1]]);
    expect(await list('listWithToken', 'OTHER')).toEqual([]);
    for (const id of ids) expect(result(await zeepOne(wsdl, 'remove', { texttocalld: id }))).toBeNull();
  });

  it('refuses what it cannot call with 400 faults, and creates nothing', async () => {
    const outcomes = await zeep(wsdl, [
      ['makeCall', { info: { id: -1, content: 'no callee', servicetype: 'BAD' } }],
      ['makeCall', { info: { id: -1, callee: '139 0000', content: 'x', servicetype: 'BAD' } }],
      ['makeCall', { info: { id: -1, callee: '13900000601', servicetype: 'BAD' } }],
      [
        'makeCall',
        { info: { id: -1, callee: '13900000601', content: 'x'.repeat(1001), servicetype: 'BAD' } },
      ],
      ['listWithToken', { first: -1, maxResults: 10, servicetype: 'BAD' }],
      ['listUnCalled', { first: 0, maxResults: 10 }],
    ]);
    expect(outcomes.map(faultOf)).toEqual([
      '400 missing parameter callee',
      '400 bad parameter callee: not a number or extension',
      '400 missing parameter content',
      '400 bad parameter content: longer than 1000 characters',
      '400 bad parameter first or maxResults: negative',
      '400 missing parameter servicetype',
    ]);
    expect(await list('listWithToken', 'BAD')).toEqual([]);
  });
});

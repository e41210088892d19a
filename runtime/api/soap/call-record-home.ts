// CallRecordHome (manual section 28): listCalllog, downloadVoice, downloadVoiceWithCallId over the call-log store
// and the recordings root, with table 10-1's Calllog (a subset of the HTTP section 21 record).
import type { Store } from '../../callcenter/store/db.ts';
import type { CallLog } from '../../callcenter/store/call-logs.ts';
import type { ConfinedRoot } from '../../files/confined-root.ts';
import { localDay, MAX_RESULTS } from '../bridge/call-logs.ts';
import { required } from './args.ts';
import { fileBytes } from './download.ts';
import { namespaceOf, SoapFault, type Args, type ServiceSpec } from './spec.ts';

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/**
 * `yyyy-MM-dd HH:mm:ss` in the server's time zone (section 28), or a bare `yyyy-MM-dd` (the whole day as HTTP
 * section 21 has it: its start for beginDate, the next midnight for endDate).
 */
export function localTime(text: string, end: boolean): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  const day = m ? localDay(m[1]) : undefined;
  if (!m || day === undefined) return undefined;
  if (m[2] === undefined) {
    const d = new Date(day);
    return end ? d.setDate(d.getDate() + 1) : day;
  }
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const d = new Date(day);
  d.setHours(h, mi, s, 0);
  // endDate names a second: everything that began within it is included.
  return end ? d.getTime() + 1000 : d.getTime();
}

const DIRECTIONS = [undefined, 'inbound', 'outbound'] as const;

function period(args: Args): { from: number; to: number } {
  const from = localTime(String(required(args, 'beginDate')), false);
  const to = localTime(String(required(args, 'endDate')), true);
  if (from === undefined) throw new SoapFault(400, 'bad parameter beginDate: yyyy-MM-dd HH:mm:ss expected');
  if (to === undefined) throw new SoapFault(400, 'bad parameter endDate: yyyy-MM-dd HH:mm:ss expected');
  if (to < from) throw new SoapFault(400, 'bad parameter endDate: before beginDate');
  return { from, to };
}

const calllog = (r: CallLog) => ({
  id: r.id,
  caller: r.caller,
  callee: r.callee,
  channel: r.channel ?? '',
  beginTime: r.beginTime,
  duration: r.duration,
  state: r.state,
  callType: r.callType ?? 'UNKNOW_CALL',
  estimate: undefined,
  record: '',
  recordVoice: r.recordVoice ?? '',
});

export function callRecordHome(store: Store, recordings: ConfinedRoot): ServiceSpec {
  const name = 'CallRecordHome';
  return {
    name,
    namespace: namespaceOf(name),
    types: {
      Calllog: [
        { name: 'id', type: 'int' },
        { name: 'caller', type: 'string' },
        { name: 'callee', type: 'string' },
        { name: 'channel', type: 'string' },
        // Epoch ms (as section 21's example) does not fit the manual's Integer: xsd:long (decisions.md).
        { name: 'beginTime', type: 'long' },
        { name: 'duration', type: 'int' },
        { name: 'state', type: 'string' },
        { name: 'callType', type: 'string' },
        { name: 'estimate', type: 'int' },
        { name: 'record', type: 'string' },
        { name: 'recordVoice', type: 'string' },
      ],
    },
    operations: [
      {
        name: 'listCalllog',
        params: [
          { name: 'first', type: 'int' },
          { name: 'maxResults', type: 'int' },
          { name: 'beginDate', type: 'string' },
          { name: 'endDate', type: 'string' },
          { name: 'telnum', type: 'string' },
          { name: 'dirction', type: 'int' },
        ],
        returns: { name: 'return', type: { complex: 'Calllog' }, array: true },
        handler: async (args) => {
          const { from, to } = period(args);
          const first = (args.first as number | undefined) ?? 0;
          const max = (args.maxResults as number | undefined) ?? MAX_RESULTS;
          const dir = (args.dirction as number | undefined) ?? 0;
          if (first < 0 || max < 0) throw new SoapFault(400, 'bad parameter first or maxResults: negative');
          if (dir < 0 || dir > 2) throw new SoapFault(400, 'bad parameter dirction: 0, 1 or 2');
          const telnum = args.telnum === undefined ? '' : String(args.telnum).trim();
          if (telnum !== '' && !/^[0-9*#+]{1,32}$/.test(telnum))
            throw new SoapFault(400, 'bad parameter telnum');
          const rows = await store.callLogs.query({
            from,
            to,
            number: telnum || undefined,
            direction: DIRECTIONS[dir],
            offset: first,
            limit: Math.min(max, MAX_RESULTS),
          });
          return rows.map(calllog);
        },
      },
      {
        name: 'downloadVoice',
        params: [{ name: 'filepath', type: 'string' }],
        returns: { name: 'return', type: 'base64Binary' },
        handler: async (args) =>
          fileBytes(await recordings.open(String(required(args, 'filepath'))), 'recording'),
      },
      {
        name: 'downloadVoiceWithCallId',
        params: [{ name: 'callid', type: 'string' }],
        returns: { name: 'return', type: 'base64Binary' },
        handler: async (args) => {
          const row = await store.callLogs.get(String(required(args, 'callid')).trim());
          const found =
            row?.recordVoice && row.direction !== 'test' ? await recordings.open(row.recordVoice) : undefined;
          return fileBytes(found, 'recording');
        },
      },
    ],
  };
}

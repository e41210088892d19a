// CALL_LOG_QUERY and CALL_LOG_GET_WITH_CALLID (manual section 21): call logs as the manual's JSON Calllog array.
import type { CallLog } from '../../callcenter/store/call-logs.ts';
import type { OptHandler } from './callctrl.ts';
import { param } from './params.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INT = /^\d{1,9}$/;
const CALL_ID = /^[^\s]{1,200}$/;
/** Largest page one query returns. */
export const MAX_RESULTS = 10_000;

/** Local midnight of a `yyyy-MM-dd` date (the server's time zone), or undefined when it is not a real date. */
export function localDay(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(y, mo - 1, d);
  return t.getFullYear() === y && t.getMonth() === mo - 1 && t.getDate() === d ? t.getTime() : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's default date text, as the manual's `_callTime` shows it: `Mar 28, 2016 6:27:47 PM` (local time). */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getHours() % 12 || 12;
  const two = (n: number) => String(n).padStart(2, '0');
  const ampm = d.getHours() < 12 ? 'AM' : 'PM';
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()} ${h}:${two(d.getMinutes())}:${two(d.getSeconds())} ${ampm}`;
}

/** One Calllog with the manual's field names and types (section 21); fields this system has no data for are empty. */
export function calllog(r: CallLog): Record<string, unknown> {
  return {
    id: r.id,
    caller: r.caller,
    callee: r.callee,
    beginTime: r.beginTime,
    duration: r.duration,
    state: r.state,
    callType: r.callType ?? 'UNKNOW_CALL',
    estimate: '',
    channel: r.channel ?? '',
    callid: r.callid,
    record: '',
    recordVoice: r.recordVoice ?? '',
    cname: '',
    servicetype: '',
    manustate: '',
    clickcallid: r.clickCallId ?? '',
    fxonum: '',
    productid: 0,
    _callTime: javaDate(r.beginTime),
    _judge: 0,
  };
}

const DIRECTIONS = { '0': undefined, '1': 'inbound', '2': 'outbound' } as const;

export function callLogHandlers(): Record<string, OptHandler> {
  return {
    CALL_LOG_QUERY: async (p, control) => {
      const first = param(p, 'first', INT);
      const max = param(p, 'maxResults', INT);
      const begin = localDay(p.get('beginDate')?.trim() ?? '');
      const end = localDay(p.get('endDate')?.trim() ?? '');
      const dir = param(p, 'dirction', /^[012]$/) ?? param(p, 'direction', /^[012]$/);
      const telnum = p.get('telnum')?.trim();
      if (first === undefined || max === undefined || begin === undefined || end === undefined || !dir)
        return { code: 400, reason: 'missing or malformed: first, maxResults, beginDate, endDate, dirction' };
      if (telnum !== undefined && telnum !== '' && !/^[0-9*#+]{1,32}$/.test(telnum))
        return { code: 400, reason: 'malformed: telnum' };
      if (end < begin) return { code: 400, reason: 'endDate is before beginDate' };
      const rows = await control.store.callLogs.query({
        from: begin,
        // endDate is a whole day: up to the next local midnight.
        to: new Date(new Date(end).setDate(new Date(end).getDate() + 1)).getTime(),
        number: telnum || undefined,
        direction: DIRECTIONS[dir as '0' | '1' | '2'],
        offset: Number(first),
        limit: Math.min(Number(max), MAX_RESULTS),
      });
      return { json: rows.map(calllog) };
    },
    CALL_LOG_GET_WITH_CALLID: async (p, control) => {
      const callid = param(p, 'callid', CALL_ID);
      if (!callid) return { code: 400, reason: 'missing or malformed: callid' };
      const row = await control.store.callLogs.get(callid);
      return row && row.direction !== 'test'
        ? { json: [calllog(row)] }
        : { code: 404, reason: 'unknown callid' };
    },
  };
}

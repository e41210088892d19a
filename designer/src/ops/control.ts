// The supervisor's actions, each one opt of the manual's control API (docs/api-bridge.md) on the same origin; the
// plain-text answer `<code>\n<reason>` read as a value, so the page can show the reason of a refusal.
import { getText } from '../runtime/api.ts';
import type { Calllog, SettablePresence } from './types.ts';

/** The manual's answer: its code (200 is success) and the reason or data of the second line. */
export interface Answer {
  code: number;
  /** The second line: the reason of a refusal, or CLICK_TO_DIAL's clickcallid. */
  text: string;
}

/** Reads `<code>\n<reason>\n`; a runtime out of reach is code 0 with the network error. */
export function readAnswer(status: number, body: string): Answer {
  if (status === 0) return { code: 0, text: body };
  const [first, ...rest] = body.split('\n');
  const code = Number(first);
  return Number.isInteger(code) && first.trim() !== ''
    ? { code, text: rest.join('\n').trim() }
    : { code: status, text: body.trim().slice(0, 200) };
}

async function callctrl(opt: string, params: Record<string, string>): Promise<Answer> {
  const q = new URLSearchParams({ ...params, opt });
  const res = await getText(`/bridge/callctrl?${q}`);
  return readAnswer(res.status, res.text);
}

export const control = {
  /** CLICK_TO_HUNGUP: the call between the two numbers (its caller and callee). */
  hangUp: (caller: string, callee: string) => callctrl('CLICK_TO_HUNGUP', { caller, callee }),
  /** CLICK_TO_TRANSFER: blind; answers once the target answered (or did not). */
  transfer: (extnum: string, target: string) => callctrl('CLICK_TO_TRANSFER', { extnum, target }),
  /** CALL_MONITOR: rings the supervisor `me`; answers once it answered. */
  monitor: (me: string, agent: string) => callctrl('CALL_MONITOR', { leaderExtnum: me, wokerExtnum: agent }),
  /** FORCE_HUNGUP: ends every leg of the agent's call, as supervisor `me`. */
  forceHangUp: (me: string, agent: string) =>
    callctrl('FORCE_HUNGUP', { leaderExtnum: me, wokerExtnum: agent }),
  setPresence: (extnum: string, state: SettablePresence) =>
    callctrl('SET_EXT_PRESENCE_STATE', { extnum, state }),
  /** CLICK_TO_DIAL: rings `agent` first, then `number`; 200's text is the clickcallid. */
  dial: (agent: string, number: string) =>
    callctrl('CLICK_TO_DIAL', { caller: agent, callee: number, authtype: 'no' }),
};

export interface LogQuery {
  /** A number any party had; empty for all. */
  telnum: string;
  /** yyyy-MM-dd, the server's days. */
  beginDate: string;
  endDate: string;
  /** 0 all, 1 received, 2 placed. */
  dirction: '0' | '1' | '2';
  first: number;
  maxResults: number;
}

/** CALL_LOG_QUERY: the page of call logs, newest first, or the manual's refusal. */
export async function queryCallLogs(
  q: LogQuery,
): Promise<{ ok: true; logs: Calllog[] } | { ok: false; answer: Answer }> {
  const params = new URLSearchParams({
    first: String(q.first),
    maxResults: String(q.maxResults),
    beginDate: q.beginDate,
    endDate: q.endDate,
    dirction: q.dirction,
    opt: 'CALL_LOG_QUERY',
  });
  if (q.telnum.trim()) params.set('telnum', q.telnum.trim());
  const res = await getText(`/bridge/callctrl?${params}`);
  if (res.status === 200 && res.text.trimStart().startsWith('[')) {
    try {
      return { ok: true, logs: JSON.parse(res.text) as Calllog[] };
    } catch {
      // Falls through: shown as the answer it was.
    }
  }
  return { ok: false, answer: readAnswer(res.status, res.text) };
}

/** The recording as a file (an `<audio>` plays it), and the manual's player page (section 27). */
export const recordingUrl = (callid: string) => `/Oms/FileDownServlet?${new URLSearchParams({ callid })}`;
export const playerUrl = (callid: string) =>
  `/Oms/RecordPlayerSvlt?${new URLSearchParams({ browsertype: 'other', callid })}`;

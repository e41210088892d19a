// Table 6-1's Texttocal (manual section 26) as read from a task and its dialer task, and the manual's states
// mapped from the dialer's (decisions.md): what TextToCallService's listings answer.
import { parseJob } from '../dialer/job.ts';
import { TaskState } from '../store/dialer-tasks.ts';
import type { TextToCallRow } from '../store/text-to-calls.ts';

export const TEXT_CALL_STATES = ['WAITING', 'TRYING', 'CONFIRM', 'RING_TIME_OUT', 'CALL_FAILED'] as const;
export type TextCallState = (typeof TEXT_CALL_STATES)[number];

export interface Texttocal {
  id: number;
  caller: string;
  callee: string;
  content: string;
  assisid: number;
  /** ms since the epoch. */
  calldate: number;
  voipcall: boolean;
  servicetype: string;
  linkkey: number | null;
  createTime: number;
  state: TextCallState;
  /** No file per task: the speech lives in the TTS engine's shared cache (decisions.md). */
  ttsfile: null;
  /** Attempts made. */
  calltime: number;
  /** Seconds from the start of the text to the hang-up; null until answered. */
  playingtime: number | null;
}

/**
 * WAITING: queued, never dialled (the only state a task can be modified in). TRYING: being dialled, or waiting
 * for its next attempt. CONFIRM: answered and the text spoken. RING_TIME_OUT: its last attempt rang out unanswered.
 * CALL_FAILED: every other end (busy, unreachable, no such number, the text could not be spoken, …).
 */
export function textCallState(
  r: Pick<TextToCallRow, 'state' | 'attempts' | 'endReason' | 'result'>,
): TextCallState {
  if (r.state === TaskState.queued) return r.attempts === 0 ? 'WAITING' : 'TRYING';
  if (r.state === TaskState.calling) return 'TRYING';
  if (r.state === TaskState.answered)
    return /(^|;)tts=failed(;|$)/.test(r.result ?? '') ? 'CALL_FAILED' : 'CONFIRM';
  return r.endReason === 'no-answer' ? 'RING_TIME_OUT' : 'CALL_FAILED';
}

const playingTime = (result: string | null): number | null => {
  const m = /(?:^|;)playingtime=(\d+)/.exec(result ?? '');
  return m ? Number(m[1]) : null;
};

export function texttocalOf(r: TextToCallRow): Texttocal {
  const job = parseJob(r.job);
  return {
    id: r.id,
    caller: r.caller,
    callee: r.callee,
    content: job?.kind === 'text' ? job.content : '',
    assisid: r.assisid,
    calldate: r.calldate,
    voipcall: r.voipcall,
    servicetype: r.servicetype,
    linkkey: r.linkkey,
    createTime: r.createdAt,
    state: textCallState(r),
    ttsfile: null,
    calltime: r.attempts,
    playingtime: playingTime(r.result),
  };
}

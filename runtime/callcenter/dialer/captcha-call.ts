// A CAPTCHA call once the customer answered (manual section 3): on a fixed line without answer supervision a
// lead-in loops until a key; then the tone and the spoken code `playtimes` times; then the call goes to
// `extnum` (extension or group) or ends.
import type { CallLeg, MediaSource } from '../../media/contract.ts';
import type { Call } from '../calls/call.ts';
import type { CallTransfer } from '../ivr.ts';
import type { CaptchaJob } from './job.ts';

/** Resolves once `signal` is aborted. */
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * Loops the lead-in (`file`) until the customer presses a key (true), or for `ms` without one, or the call ends
 * (false). On a line that reports no answer, the key is the answer.
 */
export async function keyDuringLeadIn(leg: CallLeg, file: string, ms: number, signal: AbortSignal) {
  const stop = new AbortController();
  let key = false;
  const onKey = () => {
    key = true;
    stop.abort();
  };
  leg.on('dtmf', onKey);
  const timer = setTimeout(() => stop.abort(), ms);
  const until = AbortSignal.any([signal, stop.signal]);
  try {
    while (!until.aborted) {
      const r = await leg.play([{ kind: 'file', path: file }], { bargein: true, signal: until });
      if (r.reason === 'interrupted') return true;
      if (r.reason === 'hungup') return false;
      // A lead-in that cannot be played still waits for the key, silently, rather than looping at once.
      if (r.errors.length > 0) await aborted(until);
    }
    return key;
  } finally {
    clearTimeout(timer);
    leg.off('dtmf', onKey);
  }
}

/** The tone, then the code read digit by digit ("1 1 2 2 3 3"), whatever the TTS does with numbers. */
export function captchaSources(tone: string | undefined, code: string): MediaSource[] {
  const sources: MediaSource[] = [];
  if (tone) sources.push({ kind: 'file', path: tone });
  if (code !== '') sources.push({ kind: 'tts', text: code.split('').join(' ') });
  return sources;
}

export interface PlaybackDeps {
  /** How the call reaches `extnum`; absent (no engine attached): the call ends after the playback. */
  transfer?: CallTransfer;
  /** Seconds an extension rings before the transfer fails. */
  ringSec: number;
}

/**
 * Plays tone and code `playtimes` times and hands the call to `extnum`; resolves `handed-over` once an agent
 * answered, `played` when the call is to end (no `extnum`, the transfer failed, or the customer left).
 */
export async function captchaPlayback(
  d: PlaybackDeps,
  call: Call,
  leg: CallLeg,
  job: CaptchaJob,
  tone: string | undefined,
): Promise<'handed-over' | 'played'> {
  // The customer hanging up stops whatever runs (a play, a queue) at once.
  const gone = new AbortController();
  const onHangup = () => gone.abort();
  leg.on('hangup', onHangup);
  const signal = AbortSignal.any([call.abort.signal, gone.signal]);
  try {
    const sources = captchaSources(tone, job.code);
    for (let i = 0; i < Math.max(1, job.playtimes); i++) {
      const r = await leg.play(sources, { bargein: false, signal });
      if (r.reason === 'hungup' || r.reason === 'aborted') return 'played';
    }
    if (!job.extnum || !d.transfer || signal.aborted) return 'played';
    const outcome = await d.transfer(call, job.extnum, { timeoutSec: d.ringSec, signal });
    if (outcome.status === 'transferred') return 'handed-over';
    call.endReason ??= `transfer-${outcome.status}`;
    return 'played';
  } finally {
    leg.off('hangup', onHangup);
  }
}

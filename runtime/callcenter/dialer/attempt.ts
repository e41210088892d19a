// One dial attempt of a task: the customer's leg through the trunk (or to an extension), then what the task's
// call does once answered — a CAPTCHA playback, an IVR run with the request's TTS variables, or a text read.
import type { OriginateFailure } from '../../media/contract.ts';
import type { Call } from '../calls/call.ts';
import type { ControlDeps } from '../control/context.ts';
import { placeLeg } from '../control/originate.ts';
import { runIvr, type RunnableFlow } from '../ivr.ts';
import { captchaPlayback, keyDuringLeadIn } from './captcha-call.ts';
import type { Job } from './job.ts';
import type { ToneFiles } from './tones.ts';
import { textPlayback } from './text-call.ts';

export type AttemptEnd =
  | { answered: false; failure: OriginateFailure }
  /** `result`: the IVR's `state=1;name=value;…`, a text call's `playingtime=…`, null for a CAPTCHA call. */
  | { answered: true; handedOver: boolean; result: string | null };

export interface AttemptDeps {
  control: ControlDeps;
  tones: ToneFiles;
  /** The number customers see. */
  callerId: string;
  ringSec: number;
  /** The fixed line's lead-in; absent when the line reports the answer itself. */
  leadIn?: { file: string; seconds: number };
  /** Resolves when the trunk's calls per second let the INVITE go. */
  admit: (signal: AbortSignal) => Promise<void>;
  now: () => number;
  /** Resolves once a text's speech is in the TTS cache (never rejects); absent without a TTS engine. */
  prepare?: (text: string) => Promise<void>;
}

/**
 * Dials `callee` as the call's customer and runs `job` once answered (an IVR job runs `flow`, looked up before the
 * call was opened); `onAnswered` is awaited first (the task is marked answered in the store before the customer
 * hears anything). Runs inside `call.during`, so the call ends when the attempt is over unless an agent took it.
 */
export function dialAttempt(
  d: AttemptDeps,
  call: Call,
  callee: string,
  job: Job,
  flow: RunnableFlow | undefined,
  onAnswered: () => Promise<void>,
): Promise<AttemptEnd> {
  return call.during(async (): Promise<AttemptEnd> => {
    if (job.kind === 'ivr-tts' && !flow) {
      call.endReason ??= 'no-such-ivr';
      return { answered: false, failure: 'failed' };
    }
    await d.admit(call.abort.signal);
    const placed = await placeLeg(d.control, call, {
      role: 'customer',
      number: callee,
      from: d.callerId,
      businessId: 'maincall',
      timeoutSec: d.ringSec,
      signal: call.abort.signal,
    });
    if (!placed.media) {
      call.endReason ??= `customer-${placed.failure ?? 'failed'}`;
      return { answered: false, failure: placed.failure ?? 'failed' };
    }
    const leg = placed.media;
    if (job.kind === 'captcha' && job.fixedLine && d.leadIn) {
      const key = await keyDuringLeadIn(leg, d.leadIn.file, d.leadIn.seconds * 1000, call.abort.signal);
      // Without answer supervision the key is the answer: none means nobody (a person) picked up.
      if (!key) {
        call.endReason ??= 'no-key-after-lead-in';
        return { answered: false, failure: leg.state === 'ended' ? 'failed' : 'no-answer' };
      }
    }
    await onAnswered();
    if (job.kind === 'captcha') {
      const tone = await d.tones.toneFile(job.toneid);
      const how = await captchaPlayback(
        { transfer: d.control.ivr.transfer, ringSec: d.ringSec },
        call,
        leg,
        job,
        tone,
      );
      return { answered: true, handedOver: how === 'handed-over', result: null };
    }
    if (job.kind === 'text') {
      await textPlayback(call, leg, job, d);
      return { answered: true, handedOver: false, result: call.result };
    }
    const outcome = await runIvr(call, flow!, d.control.ivr, { vars: job.vars });
    return { answered: true, handedOver: outcome.endReason === 'transferred', result: outcome.result };
  });
}

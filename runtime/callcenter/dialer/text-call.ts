// A TextToCallService call once the customer answered (manual section 26): the text read once by the runtime's
// TTS, then the call ends. The call's result is `playingtime=<seconds>` (from the start of the text until it ended
// or the customer hung up), followed by `;tts=failed` when the text could not be spoken.
import type { CallLeg } from '../../media/contract.ts';
import type { Call } from '../calls/call.ts';
import type { TextJob } from './job.ts';

export interface TextPlaybackDeps {
  now: () => number;
  /** Resolves once the text's speech is ready (in the TTS cache), so `playingtime` counts only what was heard. */
  prepare?: (text: string) => Promise<void>;
}

export async function textPlayback(
  call: Call,
  leg: CallLeg,
  job: TextJob,
  d: TextPlaybackDeps,
): Promise<void> {
  const gone = new AbortController();
  const onHangup = () => gone.abort();
  leg.on('hangup', onHangup);
  await d.prepare?.(job.content);
  const started = d.now();
  let failed = true;
  try {
    const r = await leg.play([{ kind: 'tts', text: job.content }], {
      bargein: false,
      signal: AbortSignal.any([call.abort.signal, gone.signal]),
    });
    failed = r.errors.length > 0;
  } finally {
    leg.off('hangup', onHangup);
    const seconds = Math.round((d.now() - started) / 1000);
    call.result = failed ? `playingtime=${seconds};tts=failed` : `playingtime=${seconds}`;
  }
}

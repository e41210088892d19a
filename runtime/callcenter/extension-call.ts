// A call an extension places from its phone (it proved who it is with digest credentials): to another extension,
// a group's queue, or an outside number through the trunk. The caller hears ringing until the other side answers.
import type { CallLeg, HangupCause, OriginateFailure } from '../media/contract.ts';
import type { Call } from './calls/call.ts';
import type { ControlDeps } from './control/context.ts';
import { placeLeg } from './control/originate.ts';

const CAUSE: Record<OriginateFailure, HangupCause> = {
  busy: 'busy',
  'not-found': 'rejected',
  unavailable: 'no-answer',
  'no-answer': 'no-answer',
  failed: 'error',
  cancelled: 'normal',
};

/** Rings `call.callee` for the extension on `leg` and connects them; the call ends when either leaves. */
export async function connectExtensionCall(
  d: Pick<ControlDeps, 'engine' | 'directory' | 'ringSec'>,
  call: Call,
  leg: CallLeg,
): Promise<void> {
  await call.during(async () => {
    const placed = await placeLeg(d, call, {
      role: 'customer',
      number: call.callee,
      from: call.caller,
      businessId: 'maincall',
      timeoutSec: Math.max(d.ringSec, 60),
      // The caller giving up (CANCEL) stops the ringing.
      signal: AbortSignal.any([call.abort.signal, endedSignal(leg)]),
    });
    if (!placed.media) {
      call.endReason ??= `callee-${placed.failure}`;
      await leg.hangup(CAUSE[placed.failure ?? 'failed']);
      return;
    }
    if (leg.state === 'ended') return;
    await leg.answer();
    await leg.bridge(placed.media);
  });
}

function endedSignal(leg: CallLeg): AbortSignal {
  const ac = new AbortController();
  if (leg.state === 'ended') ac.abort();
  else leg.on('hangup', () => ac.abort());
  return ac.signal;
}

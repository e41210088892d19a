// `<tns:transfer>` on a live call: rings the extension (or the trunk) as a new leg of the same call and bridges the
// customer to it on answer. The call goes on until nobody is left to talk.
import { OriginateError, type MediaEngine, type Target } from '../media/contract.ts';
import type { TransferOutcome, TransferRequest } from '../interpreter/context.ts';
import type { Call } from './calls/call.ts';
import type { CallTransfer } from './ivr.ts';

export interface TransferSetup {
  engine: MediaEngine;
  /** True for numbers that are extensions; any other destination goes out through the trunk. */
  isExtension: (n: string) => boolean;
}

/** The call center's handler of `<tns:transfer>`. */
export function agentTransfer(setup: TransferSetup): CallTransfer {
  return async (call: Call, dest: string, req: TransferRequest): Promise<TransferOutcome> => {
    const customer = call.customer;
    if (!customer?.media) return { status: 'failed', detail: 'the call has no customer leg' };
    const extension = setup.isExtension(dest) ? dest : undefined;
    const target: Target = extension ? { kind: 'extension', number: dest } : { kind: 'trunk', number: dest };
    const leg = call.addLeg({
      role: 'agent',
      number: dest,
      extension,
      direction: 'incoming',
      status: 'calling',
    });
    let media;
    try {
      media = await setup.engine.originate(target, {
        from: customer.number,
        callId: call.callId,
        timeoutSec: req.timeoutSec,
        signal: req.signal,
      });
    } catch (err) {
      call.setStatus(leg, 'ended', err instanceof OriginateError ? err.outcome : 'failed');
      if (err instanceof OriginateError) return { status: err.outcome, detail: err.message };
      throw err;
    }
    call.attach(leg, media);
    // The caller may have hung up while the destination rang.
    if (customer.media.state === 'ended' || req.signal.aborted) {
      await media.hangup('normal');
      return { status: 'cancelled', detail: 'the caller left before the answer' };
    }
    await customer.media.bridge(media);
    return { status: 'transferred', detail: `bridged to ${dest}` };
  };
}

// `<tns:transfer>` on a live call: rings the extension (or the trunk) as a new leg of the same call, or queues the
// caller for a group, and bridges the customer to whoever answers. The call goes on until nobody is left to talk.
import { ConfinedRoot } from '../files/confined-root.ts';
import type { TransferOutcome, TransferRequest } from '../interpreter/context.ts';
import type { Call } from './calls/call.ts';
import type { ControlDeps } from './control/context.ts';
import { placeLeg } from './control/originate.ts';
import type { CallTransfer } from './ivr.ts';
import { queueForGroup } from './queue.ts';

/** The call center's handler of `<tns:transfer>`; `soundRoot` resolves a group's hold music. */
export function agentTransfer(d: ControlDeps, soundRoot: string): CallTransfer {
  const sounds = new ConfinedRoot(soundRoot);
  return async (call: Call, dest: string, req: TransferRequest): Promise<TransferOutcome> => {
    const customer = call.customer;
    if (!customer?.media) return { status: 'failed', detail: 'the call has no customer leg' };
    const group = d.directory.group(dest);
    if (group) {
      const music = group.holdMusic ? sounds.pathOf(group.holdMusic) : undefined;
      return queueForGroup(d, call, group, req, music ?? d.sounds.holdMusic);
    }
    const placed = await placeLeg(d, call, {
      role: 'agent',
      number: dest,
      from: customer.number,
      timeoutSec: req.timeoutSec,
      signal: req.signal,
    });
    if (!placed.media) return { status: placed.failure ?? 'failed', detail: `${dest}: ${placed.failure}` };
    // The caller may have hung up while the destination rang.
    if (customer.media.state === 'ended' || req.signal.aborted) {
      await placed.media.hangup('normal');
      return { status: 'cancelled', detail: 'the caller left before the answer' };
    }
    await customer.media.bridge(placed.media);
    return { status: 'transferred', detail: `bridged to ${dest}` };
  };
}

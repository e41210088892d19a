// Places one leg of a call: adds it as `calling`, rings the extension or the trunk, attaches the answered media
// leg, or ends the leg with the failure's outcome.
import { OriginateError, type CallLeg, type OriginateFailure, type Target } from '../../media/contract.ts';
import type { Call } from '../calls/call.ts';
import type { Leg } from '../calls/leg.ts';
import type { LegRole } from '../events.ts';
import type { ControlDeps } from './context.ts';

export interface Placed {
  leg: Leg;
  media?: CallLeg;
  failure?: OriginateFailure;
}

export async function placeLeg(
  d: Pick<ControlDeps, 'engine' | 'directory'>,
  call: Call,
  o: {
    role: LegRole;
    number: string;
    from: string;
    timeoutSec: number;
    signal: AbortSignal;
    businessId?: string;
    /** Also told when the far end rings. */
    onRinging?: () => void;
    /** Fails at once with this outcome, without ringing (see `cannotTake`). */
    refused?: OriginateFailure;
  },
): Promise<Placed> {
  const extension = d.directory.isExtension(o.number) ? o.number : undefined;
  const target: Target = extension
    ? { kind: 'extension', number: o.number }
    : { kind: 'trunk', number: o.number };
  const leg = call.addLeg({
    role: o.role,
    number: o.number,
    extension,
    direction: 'incoming',
    status: 'calling',
    businessId: o.businessId,
  });
  try {
    if (!d.engine) throw new OriginateError('failed', undefined, 'no telephony engine');
    if (o.refused) throw new OriginateError(o.refused, undefined, `${o.number}: ${o.refused}`);
    const media = await d.engine.originate(target, {
      from: o.from,
      callId: call.callId,
      timeoutSec: o.timeoutSec,
      signal: o.signal,
      onRinging: () => {
        call.setStatus(leg, 'ringing');
        o.onRinging?.();
      },
    });
    call.attach(leg, media);
    return { leg, media };
  } catch (err) {
    const failure: OriginateFailure = err instanceof OriginateError ? err.outcome : 'failed';
    call.setStatus(leg, 'ended', failure);
    return { leg, failure };
  }
}

/**
 * Why extension `number` cannot be offered a call now: `unavailable` when it is not registered, `busy` while it is
 * in a call (its phone would ring a second time, and the party asked for would wait out the ring time); undefined
 * when it can, or when `number` is no extension.
 */
export function cannotTake(
  d: Pick<ControlDeps, 'directory' | 'states'>,
  number: string,
): OriginateFailure | undefined {
  if (!d.directory.isExtension(number)) return undefined;
  if (!d.states.isRegistered(number)) return 'unavailable';
  return d.states.isFree(number) ? undefined : 'busy';
}

/** The manual's code for a failed attempt: 486 busy, 404 no such number, 480 everything else. */
export function codeOf(failure: OriginateFailure): number {
  return failure === 'busy' ? 486 : failure === 'not-found' ? 404 : 480;
}

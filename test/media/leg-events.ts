// Waiting on the contract's events in tests: the next incoming leg of an engine, the hang-up of a leg.
import type { CallLeg, HangupCause, MediaEngine } from '../../runtime/media/contract.ts';

export function nextIncoming(engine: MediaEngine): Promise<CallLeg> {
  return new Promise((resolve) => {
    const on = (leg: CallLeg): void => {
      engine.off('incoming', on);
      resolve(leg);
    };
    engine.on('incoming', on);
  });
}

export function hangupOf(leg: CallLeg): Promise<{ cause: HangupCause; by: 'local' | 'remote' }> {
  return new Promise((resolve) => leg.on('hangup', resolve));
}

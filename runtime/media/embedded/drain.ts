// Graceful shutdown of the embedded engine: wait until every live leg (including legs that start meanwhile,
// such as a consult call placed during the drain) has ended.
import type { CallLeg } from '../contract.ts';

function ended(leg: CallLeg): Promise<void> {
  if (leg.state === 'ended') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      leg.off('hangup', done);
      resolve();
    };
    leg.on('hangup', done);
  });
}

/** Resolves once `legs` (a live set the engine keeps: a leg leaves it when it ends) is empty. */
export async function untilEveryLegEnded(legs: ReadonlySet<CallLeg>): Promise<void> {
  while (legs.size > 0) await Promise.all([...legs].map(ended));
}

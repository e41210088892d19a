// <tns:transfer> on a live call: rings the extension (or the trunk), bridges the caller to it on answer.
import { OriginateError, type CallLeg, type MediaEngine, type Target } from '../media/contract.ts';
import type { TransferOutcome, TransferRequest } from '../interpreter/context.ts';

export interface TransferSetup {
  engine: MediaEngine;
  /** Configured extension numbers; any other destination goes out through the trunk. */
  extensions: ReadonlySet<string>;
}

/** The session's transfer handler for `caller`; `onBridged` receives the answered leg now owned by the call. */
export function transferFor(
  setup: TransferSetup,
  caller: CallLeg,
  onBridged: (agent: CallLeg) => void,
): (dest: string, req: TransferRequest) => Promise<TransferOutcome> {
  return async (dest, req) => {
    const target: Target = setup.extensions.has(dest)
      ? { kind: 'extension', number: dest }
      : { kind: 'trunk', number: dest };
    let agent: CallLeg;
    try {
      agent = await setup.engine.originate(target, {
        from: caller.from,
        callId: caller.callId,
        timeoutSec: req.timeoutSec,
        signal: req.signal,
      });
    } catch (err) {
      if (err instanceof OriginateError) return { status: err.outcome, detail: err.message };
      throw err;
    }
    // The caller may have hung up while the destination rang.
    if (caller.state === 'ended' || req.signal.aborted) {
      await agent.hangup('normal');
      return { status: 'cancelled', detail: 'the caller left before the answer' };
    }
    await caller.bridge(agent);
    onBridged(agent);
    return { status: 'transferred', detail: `bridged to ${dest}` };
  };
}

/** Resolves once either leg of a bridged pair ends (or `signal` aborts), after hanging up the other. */
export function untilEitherEnds(a: CallLeg, b: CallLeg, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      a.off('hangup', finish);
      b.off('hangup', finish);
      signal.removeEventListener('abort', finish);
      const cause = signal.aborted ? 'shutdown' : 'normal';
      void Promise.all([a.hangup(cause), b.hangup(cause)].map((p) => p.catch(() => undefined))).then(() =>
        resolve(),
      );
    };
    if (a.state === 'ended' || b.state === 'ended' || signal.aborted) return finish();
    a.on('hangup', finish);
    b.on('hangup', finish);
    signal.addEventListener('abort', finish);
  });
}

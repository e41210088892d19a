// Calls arriving from the engine: refused when nothing answers the number (or the runtime is draining), otherwise
// logged, answered and handed to the number's flow.
import type { CallLeg, HangupCause, RefusedCall } from '../media/contract.ts';
import { callLogger, type Logger } from '../log.ts';
import type { CallRegistry } from './calls/registry.ts';
import type { Call } from './calls/call.ts';
import { runIvr, type IvrDeps, type RunnableFlow } from './ivr.ts';

export interface InboundOptions {
  registry: CallRegistry;
  ivr: IvrDeps;
  log: Logger;
  /** Whether a number is an extension (its legs carry the extension). */
  isExtension: (n: string) => boolean;
  /** The flow for a called number, or undefined when none answers it. */
  resolve: (called: string) => Promise<RunnableFlow | undefined>;
}

export class InboundCalls {
  /** Calls whose flow is being looked up (a drain waits for them to start or be refused). */
  private readonly arriving = new Set<Promise<void>>();
  /** Connects a call an authenticated extension placed to a number no flow answers (set with an engine). */
  extensionCall?: (call: Call, leg: CallLeg) => Promise<void>;

  constructor(private readonly opts: InboundOptions) {}

  /** Handler for the engine's `incoming` event. Never throws into the engine. */
  readonly incoming = (leg: CallLeg): void => {
    const admitted = this.admit(leg).catch((err: unknown) => {
      this.opts.log.error({ err, callee: leg.to }, 'cannot take the call');
      void leg.hangup('error').catch(() => undefined);
    });
    this.arriving.add(admitted);
    void admitted.finally(() => this.arriving.delete(admitted));
  };

  /** Settles once every call that arrived so far has started or been refused. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.arriving]);
  }

  private async admit(leg: CallLeg): Promise<void> {
    const { registry } = this.opts;
    // A call that arrived before a drain began is taken (the drain waits for it).
    if (!registry.isAccepting) return this.refuse(leg, 'shutdown', 'shutdown');
    const flow = await this.opts.resolve(leg.to);
    const placed = leg.authenticatedAs !== undefined && !flow && this.extensionCall !== undefined;
    if (!flow && !placed) return this.refuse(leg, 'no-route', 'rejected');
    const call = await registry.open({
      kind: placed ? 'outbound' : 'inbound',
      caller: leg.from,
      callee: leg.to,
      flowId: flow?.flowId ?? null,
      flowVersion: flow?.version ?? null,
    });
    leg.callId = call.callId;
    const extension = this.opts.isExtension(leg.from) ? leg.from : undefined;
    call.addLeg({
      role: placed ? 'agent' : 'customer',
      number: leg.from,
      extension,
      direction: 'outgoing',
      businessId: placed ? undefined : 'maincall',
      status: 'calling',
      media: leg,
    });
    const log = callLogger(this.opts.log, call.callId);
    log.info({ caller: leg.from, callee: leg.to, flow: flow?.flowId, version: flow?.version }, 'call');
    const running = flow ? this.run(call, flow) : this.extensionCall!(call, leg);
    void running
      .catch(async (err: unknown) => {
        log.error({ err }, 'call failed');
        await call.finish('error', 'error');
      })
      .then(() => call.ended)
      .then(() => log.info({ endReason: call.endReason, result: call.result }, 'call ended'));
  }

  private async run(call: Call, flow: RunnableFlow): Promise<void> {
    try {
      await call.customer?.media?.answer();
      await runIvr(call, flow, this.opts.ivr);
    } catch (err) {
      void this.opts.ivr.bus.emit({
        type: 'call.trace',
        at: Date.now(),
        callId: call.callId,
        event: { t: Date.now(), callId: call.callId, type: 'error', code: 'E_RUNTIME', message: String(err) },
      });
      await call.finish('error', 'error');
    }
  }

  /** Logs an INVITE the engine refused before any leg existed (admission, no media port, bad offer…). */
  async logRefused(ev: RefusedCall): Promise<void> {
    const call = await this.opts.registry.open({ kind: 'inbound', caller: ev.from, callee: ev.to });
    const leg = call.addLeg({
      role: 'customer',
      number: ev.from,
      direction: 'outgoing',
      businessId: 'maincall',
      status: 'calling',
      channel: `${ev.source.address}:${ev.source.port}`,
      sipCallId: ev.sipCallId,
    });
    call.endReason = `refused ${ev.status}: ${ev.reason}`;
    call.setStatus(leg, 'ended', `${ev.status}`);
    await call.finish(call.endReason);
  }

  /** Logs a refused call (a row with its reason) and hangs it up. */
  private async refuse(leg: CallLeg, reason: string, cause: HangupCause): Promise<void> {
    const call = await this.opts.registry.open({ kind: 'inbound', caller: leg.from, callee: leg.to });
    leg.callId = call.callId;
    call.addLeg({
      role: 'customer',
      number: leg.from,
      direction: 'outgoing',
      businessId: 'maincall',
      status: 'ringing',
      media: leg,
    });
    this.opts.log.warn({ callId: call.callId, callee: leg.to, reason }, 'call refused');
    await call.finish(reason, cause);
  }
}

// The call center's composition: the event bus, the call registry, the call-log writer, inbound calls and IVR runs.
// The HTTP API and the composition root (runtime/server.ts) talk to this.
import type { CallLeg, MediaEngine } from '../media/contract.ts';
import type { TraceEvent } from '../interpreter/trace.ts';
import type { Logger } from '../log.ts';
import { EventBus } from './events.ts';
import { CallRegistry } from './calls/registry.ts';
import { CallLogWriter } from './call-log-writer.ts';
import { InboundCalls } from './inbound.ts';
import { runIvr, type IvrDeps, type RunnableFlow, type SessionExtras } from './ivr.ts';
import { agentTransfer } from './transfer.ts';
import type { Store } from './store/db.ts';

export type { RunnableFlow, SessionExtras } from './ivr.ts';

export interface CallOutcome {
  callId: string;
  answered: boolean;
  endReason: string;
  result: string;
}

export interface CallCenterOptions {
  store: Store;
  log: Logger;
  /** The host part of every callId (`<uuid>@<host>`). */
  host: string;
  maxTraceEvents: number;
  session: SessionExtras;
  /** The telephony engine; absent = no SIP (transfers fail with `transfer_status`). */
  engine?: MediaEngine;
  /** True for numbers that are extensions. */
  isExtension: (n: string) => boolean;
  /** The flow for a called number, or undefined when none answers it. */
  resolve: (called: string) => Promise<RunnableFlow | undefined>;
}

export interface TestCallOptions {
  vars?: Record<string, string>;
  onTrace?: (event: TraceEvent) => void;
  session?: Partial<SessionExtras>;
}

export class CallCenter {
  readonly bus: EventBus;
  readonly registry: CallRegistry;
  readonly inbound: InboundCalls;
  private readonly writer: CallLogWriter;
  private readonly ivr: IvrDeps;

  constructor(private readonly opts: CallCenterOptions) {
    this.bus = new EventBus((err, ev) => opts.log.error({ err, event: ev.type }, 'event reader failed'));
    this.registry = new CallRegistry(this.bus, opts.host);
    this.writer = new CallLogWriter(opts.store, {
      maxTraceEvents: opts.maxTraceEvents,
      isExtension: opts.isExtension,
      log: opts.log,
    });
    this.writer.attach(this.bus);
    this.ivr = {
      bus: this.bus,
      session: opts.session,
      transfer: opts.engine && agentTransfer({ engine: opts.engine, isExtension: opts.isExtension }),
    };
    this.inbound = new InboundCalls({
      registry: this.registry,
      ivr: this.ivr,
      log: opts.log,
      resolve: opts.resolve,
    });
  }

  /** Calls in progress. */
  get count(): number {
    return this.registry.count;
  }

  /** Handler for the engine's `incoming` event. */
  get incoming(): (leg: CallLeg) => void {
    return this.inbound.incoming;
  }

  /** Runs a flow on a designer test leg (browser channel): a real IVR run with its call log, marked `test`. */
  async startTest(
    leg: CallLeg,
    flow: RunnableFlow,
    o: TestCallOptions = {},
  ): Promise<{ callId: string; done: Promise<CallOutcome> }> {
    const call = await this.registry.open({
      kind: 'test',
      caller: leg.from,
      callee: leg.to,
      flowId: flow.flowId,
      flowVersion: flow.version,
    });
    leg.callId = call.callId;
    call.addLeg({
      role: 'customer',
      number: leg.from,
      direction: 'outgoing',
      businessId: 'maincall',
      status: 'ringing',
      media: leg,
    });
    const done = (async (): Promise<CallOutcome> => {
      try {
        await leg.answer();
        await runIvr(call, flow, this.ivr, { ...o, transfers: false });
      } catch (err) {
        this.opts.log.error({ err, callId: call.callId }, 'test call failed');
        await call.finish('error', 'error');
      }
      await call.ended;
      return {
        callId: call.callId,
        answered: call.answeredAt !== undefined,
        endReason: call.endReason ?? 'error',
        result: call.result ?? 'state=2',
      };
    })();
    return { callId: call.callId, done };
  }

  /**
   * Stops taking calls and waits for the live ones to end; at the deadline the rest are cut (their logs are
   * still written). Resolves with how many had to be cut.
   */
  async drain(deadlineMs: number): Promise<number> {
    this.registry.refuseNew();
    await this.inbound.settled();
    return this.registry.drain(deadlineMs);
  }
}

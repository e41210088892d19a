// The call center's composition: the event bus, the call registry, the call-log writer, extensions and their live
// state, inbound calls, IVR runs and the control operations. The HTTP API and runtime/server.ts talk to this.
import type { CallLeg, MediaEngine } from '../media/contract.ts';
import type { TraceEvent } from '../interpreter/trace.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { EventBus } from './events.ts';
import { CallRegistry } from './calls/registry.ts';
import { CallLogWriter } from './call-log-writer.ts';
import { InboundCalls } from './inbound.ts';
import { runIvr, type IvrDeps, type RunnableFlow, type SessionExtras } from './ivr.ts';
import { agentTransfer } from './transfer.ts';
import { Directory } from './extensions/directory.ts';
import { ExtensionStates } from './extensions/live-state.ts';
import { admissionPolicy } from './admission.ts';
import { connectExtensionCall } from './extension-call.ts';
import { Control } from './control/control.ts';
import type { ControlDeps, ControlSounds } from './control/context.ts';
import type { FlowRegistry } from './flow-registry.ts';
import type { Store } from './store/db.ts';
import { ScreenPops, type ScreenPopOptions } from './screen-pops.ts';
import { recordCalls } from './call-recorder.ts';
import { ConfinedRoot } from '../files/confined-root.ts';
import { Tones } from './tones/tones.ts';
import { VoiceMail } from './voicemail/voicemail.ts';

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
  flows: Pick<FlowRegistry, 'forNumber' | 'isRouted' | 'ivr'>;
  /** Files the control operations play. */
  sounds: ControlSounds;
  /** Seconds extensions and customers are rung by the control API. */
  ringSec: number;
  /** Whether calls to outside numbers can go out through a trunk. */
  hasTrunk: boolean;
  /** Where screen pops go (section 4); absent: none. */
  screenPops?: Omit<ScreenPopOptions, 'groupOf' | 'log'>;
  /** Where answered calls are recorded; absent: they are not. */
  recordCallsTo?: ConfinedRoot;
  /** The voicemail root (`<tns:record>` writes there: set `session.recordingsDir` to it); absent: no voicemail rows. */
  voicemail?: ConfinedRoot;
}

export interface TestCallOptions {
  vars?: Record<string, string>;
  onTrace?: (event: TraceEvent) => void;
  session?: Partial<SessionExtras>;
}

export class CallCenter {
  readonly bus: EventBus;
  readonly registry: CallRegistry;
  readonly directory: Directory;
  readonly states: ExtensionStates;
  readonly inbound: InboundCalls;
  /** The manual's call-control operations (those that place calls answer 503 until an engine is attached). */
  readonly control: Control;
  /** Screen pops to the CRM, when configured. */
  readonly screenPops?: ScreenPops;
  /** Tone files (section 24) in the sound root; `tones.toneFile(id)` is what CAPTCHA calls play. */
  readonly tones: Tones;
  /** Voicemail messages (section 27), when a voicemail root is configured. */
  readonly voicemail?: VoiceMail;
  private readonly writer: CallLogWriter;
  private readonly ivr: IvrDeps;
  private readonly deps: ControlDeps;

  constructor(private readonly opts: CallCenterOptions) {
    this.bus = new EventBus((err, ev) => opts.log.error({ err, event: ev.type }, 'event reader failed'));
    this.registry = new CallRegistry(this.bus, opts.host);
    this.directory = new Directory(opts.store, this.bus);
    this.states = new ExtensionStates(this.directory, this.registry, this.bus);
    this.writer = new CallLogWriter(opts.store, {
      maxTraceEvents: opts.maxTraceEvents,
      isExtension: this.directory.isExtension,
      log: opts.log,
    });
    this.writer.attach(this.bus);
    this.ivr = { bus: this.bus, session: opts.session };
    this.tones = new Tones(opts.store, new ConfinedRoot(opts.session.soundRoot));
    if (opts.voicemail) {
      const voicemail = new VoiceMail(opts.store, opts.voicemail, opts.log);
      this.voicemail = voicemail;
      this.ivr.onRecording = (call, rec) => voicemail.keep(call, rec);
    }
    this.inbound = new InboundCalls({
      registry: this.registry,
      ivr: this.ivr,
      log: opts.log,
      resolve: (n) => opts.flows.forNumber(n),
      isExtension: this.directory.isExtension,
    });
    this.deps = {
      registry: this.registry,
      directory: this.directory,
      states: this.states,
      ivr: this.ivr,
      log: opts.log,
      sounds: opts.sounds,
      ringSec: opts.ringSec,
      ivrFor: (id) => opts.flows.ivr(id),
    };
    this.control = new Control(this.deps, opts.store);
    if (opts.recordCallsTo) recordCalls(this.registry, opts.recordCallsTo, opts.log);
    if (opts.screenPops) {
      this.screenPops = new ScreenPops({
        ...opts.screenPops,
        groupOf: (n) => this.directory.extension(n)?.group ?? undefined,
        log: opts.log,
      });
      this.screenPops.attach(this.bus);
    }
  }

  /** Loads extensions and groups (the configuration's entries are written to the store first). */
  async load(config: Pick<Config, 'extensions' | 'groups'>): Promise<void> {
    await this.directory.load(config);
  }

  /** Takes calls from `engine`: admission, incoming calls, refusals, registrations, transfers, the control API. */
  attach(engine: MediaEngine): void {
    const deps = this.deps;
    deps.engine = engine;
    this.ivr.transfer = agentTransfer(deps, this.opts.session.soundRoot);
    this.inbound.extensionCall = (call, leg) => connectExtensionCall(deps, call, leg);
    engine.setAdmission(
      admissionPolicy({
        directory: this.directory,
        isRouted: (n) => this.opts.flows.isRouted(n),
        hasTrunk: this.opts.hasTrunk,
      }),
    );
    this.directory.onAccounts((accounts) => engine.setAccounts(accounts));
    this.states.follow(engine);
    engine.on('incoming', this.inbound.incoming);
    engine.on('refused', (ev) => {
      void this.inbound
        .logRefused(ev)
        .catch((err: unknown) => this.opts.log.error({ err }, 'cannot log a refused call'));
    });
  }

  /** Calls in progress. */
  get count(): number {
    return this.registry.count;
  }

  /** Handler for an engine's `incoming` event. */
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
      status: 'calling',
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

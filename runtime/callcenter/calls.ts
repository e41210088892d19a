// Live calls: gives each call its callId, resolves its flow, runs the session, and writes the call log and trace.
import { randomUUID } from 'node:crypto';
import type { Document } from '../../schema/ast.ts';
import { realClock, type CallLeg, type HangupCause } from '../media/contract.ts';
import { runSession } from '../interpreter/session.ts';
import type { TraceEvent } from '../interpreter/trace.ts';
import { callLogger, type Logger } from '../log.ts';
import type { Store } from './store/db.ts';
import type { CallDirection, CallEnd } from './store/call-logs.ts';
import { TraceBuffer } from './trace-buffer.ts';
import { transferFor, untilEitherEnds, type TransferSetup } from './transfer.ts';

/** A document ready to run, and where it came from (null ids for a `--flow` file or a designer test). */
export interface RunnableFlow {
  document: Document;
  flowId: string | null;
  version: number | null;
}

export interface CallOutcome {
  callId: string;
  answered: boolean;
  endReason: string;
  result: string;
}

/** Options handed to every session unchanged (check policy, recordings, transfer). */
export type SessionExtras = Omit<
  Parameters<typeof runSession>[0],
  'document' | 'leg' | 'clock' | 'vars' | 'onTrace' | 'signal'
>;

export interface CallsOptions {
  store: Store;
  log: Logger;
  /** The host part of every callId (`<uuid>@<host>`). */
  host: string;
  maxTraceEvents: number;
  session: SessionExtras;
  /** How `<tns:transfer>` reaches extensions and the trunk; absent = transfers fail (`transfer_status`). */
  transfer?: TransferSetup;
  /** The flow for a called number, or undefined when none answers it. */
  resolve: (called: string) => Promise<RunnableFlow | undefined>;
}

export interface StartOptions {
  direction: CallDirection;
  vars?: Record<string, string>;
  /** Sees every trace event as it happens (the designer's test panel). */
  onTrace?: (event: TraceEvent) => void;
  /** Per-call changes to the session options (a test call has no recordings directory). */
  session?: Partial<SessionExtras>;
}

interface LiveCall {
  callId: string;
  leg: CallLeg;
  flowId: string | null;
  beginTime: number;
  abort: AbortController;
  done: Promise<CallOutcome>;
}

export class Calls {
  private readonly live = new Map<string, LiveCall>();
  /** Calls whose flow is being looked up (drain waits for them to start or be refused). */
  private readonly arriving = new Set<Promise<void>>();
  private accepting = true;

  constructor(private readonly opts: CallsOptions) {}

  /** Number of calls in progress. */
  get count(): number {
    return this.live.size;
  }

  /** The calls in progress, oldest first (for drain and the call-control APIs). */
  list(): { callId: string; caller: string; callee: string; flowId: string | null; beginTime: number }[] {
    return [...this.live.values()].map((c) => ({
      callId: c.callId,
      caller: c.leg.from,
      callee: c.leg.to,
      flowId: c.flowId,
      beginTime: c.beginTime,
    }));
  }

  /** Handler for the engine's `incoming` event: routes by called number or rejects. */
  readonly incoming = (leg: CallLeg): void => {
    const admitted = this.admit(leg).catch((err: unknown) => {
      // A store failure must not escape into the engine's event loop: the caller is refused instead.
      this.opts.log.error({ err, callee: leg.to }, 'cannot take the call');
      void leg.hangup('error').catch(() => undefined);
    });
    this.arriving.add(admitted);
    void admitted.finally(() => this.arriving.delete(admitted));
  };

  /** Resolves the called number's flow and starts the call, or refuses it; settles once either is done. */
  private async admit(leg: CallLeg): Promise<void> {
    // A call that arrived before a drain began is taken (the drain waits for it).
    if (!this.accepting) return this.reject(leg, 'shutdown');
    const flow = await this.opts.resolve(leg.to);
    if (!flow) return this.reject(leg, 'no-route');
    const { done } = this.start(leg, flow, { direction: 'inbound' });
    done.catch((err: unknown) => this.opts.log.error({ err }, 'call failed'));
  }

  /** Runs `flow` on `leg` (answering it first); the callId is known at once, the outcome when the call ends. */
  start(leg: CallLeg, flow: RunnableFlow, o: StartOptions): { callId: string; done: Promise<CallOutcome> } {
    const callId = this.assignCallId(leg);
    const beginTime = Date.now();
    const abort = new AbortController();
    const call = { callId, leg, flowId: flow.flowId, beginTime, abort } as LiveCall;
    call.done = this.run(call, flow, o);
    this.live.set(callId, call);
    return { callId, done: call.done };
  }

  private async run(call: LiveCall, flow: RunnableFlow, o: StartOptions): Promise<CallOutcome> {
    const log = callLogger(this.opts.log, call.callId);
    const trace = new TraceBuffer(this.opts.maxTraceEvents);
    const end: CallEnd = {
      answerTime: null,
      endTime: 0,
      state: 'STATE_FAILED',
      endReason: 'error',
      result: 'state=2',
    };
    try {
      log.info(
        { caller: call.leg.from, callee: call.leg.to, flow: flow.flowId, version: flow.version },
        'call',
      );
      // The row exists before the call is answered, so a crash mid-call still leaves a STATE_RECEIVING record.
      await this.opts.store.callLogs.insert({
        callid: call.callId,
        caller: call.leg.from,
        callee: call.leg.to,
        direction: o.direction,
        beginTime: call.beginTime,
        state: 'STATE_RECEIVING',
        flowId: flow.flowId,
        flowVersion: flow.version,
      });
      await call.leg.answer();
      end.answerTime = Date.now();
      const outcome = await this.session(call, flow, o, trace);
      end.endReason = outcome.endReason;
      end.result = outcome.result;
    } catch (err) {
      log.error({ err }, 'session failed');
      trace.push({
        t: Date.now(),
        callId: call.callId,
        type: 'error',
        code: 'E_RUNTIME',
        message: String(err),
      });
    }
    end.endTime = Date.now();
    end.state = end.answerTime === null ? 'STATE_FAILED' : 'STATE_RECEIVED';
    // Written before the leg and the call's slot are released: once a caller hears the line drop, the row is final.
    try {
      await this.opts.store.transaction(async (tx) => {
        await tx.callLogs.finish(call.callId, end);
        await tx.traces.append(call.callId, trace.drain(call.callId, Date.now()));
      });
    } catch (err) {
      // The call still has to be released; its row stays STATE_RECEIVING, which is what the store can prove.
      log.error({ err }, 'cannot write the call log');
    }
    log.info({ endReason: end.endReason, result: end.result }, 'call ended');
    await call.leg.hangup(call.abort.signal.aborted ? 'shutdown' : 'normal').catch(() => undefined);
    this.live.delete(call.callId);
    return {
      callId: call.callId,
      answered: end.answerTime !== null,
      endReason: end.endReason!,
      result: end.result!,
    };
  }

  /** Runs the document on the answered leg; a transferred call is held until either side hangs up. */
  private async session(call: LiveCall, flow: RunnableFlow, o: StartOptions, trace: TraceBuffer) {
    let agent: CallLeg | undefined;
    const transfer =
      this.opts.transfer && o.direction !== 'test'
        ? transferFor(this.opts.transfer, call.leg, (a) => (agent = a))
        : undefined;
    const outcome = await runSession({
      ...this.opts.session,
      transfer,
      ...o.session,
      document: flow.document,
      leg: call.leg,
      clock: realClock,
      vars: o.vars,
      signal: call.abort.signal,
      onTrace: (ev: TraceEvent) => {
        trace.push(ev);
        o.onTrace?.(ev);
      },
    });
    if (agent) await untilEitherEnds(call.leg, agent, call.abort.signal);
    return outcome;
  }

  /** Gives the leg its call id (`<uuid>@<host>`, as in the manual), the one shared by logs, traces and webhooks. */
  private assignCallId(leg: CallLeg): string {
    leg.callId = `${randomUUID()}@${this.opts.host}`;
    return leg.callId;
  }

  /** Logs a refused call and rejects it. */
  private async reject(leg: CallLeg, reason: string): Promise<void> {
    const callId = this.assignCallId(leg);
    const now = Date.now();
    await this.opts.store.callLogs.insert({
      callid: callId,
      caller: leg.from,
      callee: leg.to,
      direction: 'inbound',
      beginTime: now,
      state: 'STATE_FAILED',
      endReason: reason,
    });
    this.opts.log.warn({ callId, callee: leg.to, reason }, 'call refused');
    const cause: HangupCause = reason === 'shutdown' ? 'shutdown' : 'rejected';
    await leg.hangup(cause).catch(() => undefined);
  }

  /**
   * Stops taking calls and waits for the live ones to end; at the deadline the rest are aborted (their sessions
   * end, their rows are written). Resolves with how many had to be aborted.
   */
  async drain(deadlineMs: number): Promise<number> {
    this.accepting = false;
    await Promise.allSettled([...this.arriving]);
    const all = () => Promise.allSettled([...this.live.values()].map((c) => c.done));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), deadlineMs))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return 0;
    const remaining = [...this.live.values()];
    for (const c of remaining) c.abort.abort();
    await all();
    return remaining.length;
  }
}

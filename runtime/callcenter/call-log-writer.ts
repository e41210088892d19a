// Writes call logs from the event bus: the row when a call starts (committed before it is answered), the trace in
// memory while it runs, and the row's end, every leg and the trace in one transaction when it ends.
import type { Logger } from '../log.ts';
import type { CallCenterEvent, CallEnding, CallView, EventBus, LegView } from './events.ts';
import type { Store } from './store/db.ts';
import type { CallDirection, CallState } from './store/call-logs.ts';
import type { CallLegRecord } from './store/call-legs.ts';
import { TraceBuffer } from './trace-buffer.ts';
import { callTypeOf } from './call-type.ts';

interface Open {
  /** The writes so far (insert, answer time); the end waits for them so they never race. */
  inserted: Promise<void>;
  trace: TraceBuffer;
  answered?: boolean;
}

const direction = (call: CallView): CallDirection => call.kind;

/** A leg as the call log keeps it; a leg still up when the call ends is released for the call's reason. */
function legRecord(l: LegView, ending: CallEnding): CallLegRecord {
  return {
    legId: l.legId,
    role: l.role,
    number: l.number,
    extension: l.extension ?? null,
    direction: l.direction,
    businessId: l.businessId,
    sipCallId: l.sipCallId ?? null,
    channel: l.channel ?? null,
    beganAt: l.beganAt,
    answeredAt: l.answeredAt ?? null,
    endedAt: l.endedAt ?? ending.endedAt,
    endCause: l.endCause ?? (l.answered ? ending.reason : 'canceled'),
  };
}

export interface CallLogWriterOptions {
  maxTraceEvents: number;
  /** Numbers that are extensions (CENTREX_CALL when both parties are). */
  isExtension: (n: string) => boolean;
  log: Logger;
}

export class CallLogWriter {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly store: Store,
    private readonly opts: CallLogWriterOptions,
  ) {}

  /** Subscribes to the bus; returns the unsubscribe function. */
  attach(bus: EventBus): () => void {
    return bus.onAny((ev) => this.handle(ev));
  }

  /** Calls whose end has not been written yet. */
  get pending(): number {
    return this.open.size;
  }

  private handle(ev: CallCenterEvent): Promise<void> | undefined {
    if (ev.type === 'call.started') return this.started(ev.call);
    if (ev.type === 'leg.changed') this.answered(ev.call);
    if (ev.type === 'call.trace') this.open.get(ev.callId)?.trace.push(ev.event);
    if (ev.type === 'call.ended') return this.ended(ev);
    return undefined;
  }

  /** The first answer of a call is written at once, after the row's insert (a crash then leaves it answered). */
  private answered(call: CallView): void {
    const open = this.open.get(call.callId);
    if (!open || open.answered || call.answeredAt === undefined) return;
    open.answered = true;
    const at = call.answeredAt;
    open.inserted = open.inserted.then(() =>
      this.store.callLogs.markAnswered(call.callId, at).catch((err: unknown) => {
        this.opts.log.warn({ err, callId: call.callId }, 'cannot record the answer time');
      }),
    );
  }

  private started(call: CallView): Promise<void> {
    const customer = call.legs.find((l) => l.role === 'customer');
    const inserted = this.store.callLogs.insert({
      callid: call.callId,
      caller: call.caller,
      callee: call.callee,
      direction: direction(call),
      beginTime: call.beganAt,
      state: 'STATE_RECEIVING',
      flowId: call.flowId,
      flowVersion: call.flowVersion,
      channel: customer?.channel ?? null,
      callType: callTypeOf(call.caller, call.callee, this.opts.isExtension),
      clickCallId: call.clickCallId ?? null,
    });
    this.open.set(call.callId, { inserted, trace: new TraceBuffer(this.opts.maxTraceEvents) });
    return inserted;
  }

  private async ended(ev: Extract<CallCenterEvent, { type: 'call.ended' }>): Promise<void> {
    const { call, ending } = ev;
    const open = this.open.get(call.callId);
    this.open.delete(call.callId);
    await open?.inserted.catch(() => undefined);
    const state: CallState = ending.answered ? 'STATE_RECEIVED' : 'STATE_FAILED';
    const events = open?.trace.drain(call.callId, ending.endedAt) ?? [];
    try {
      await this.store.transaction(async (tx) => {
        if (!open) await tx.callLogs.insert(this.startOf(call));
        await tx.callLogs.finish(call.callId, {
          answerTime: call.answeredAt ?? null,
          endTime: ending.endedAt,
          state,
          result: ending.result,
          endReason: ending.reason,
          recordVoice: ending.recording ?? null,
          channel: call.legs.find((l) => l.role === 'customer')?.channel ?? null,
        });
        await tx.callLegs.save(
          call.callId,
          call.legs.map((l) => legRecord(l, ending)),
        );
        await tx.traces.append(call.callId, events);
      });
    } catch (err) {
      // The call is still released; its row stays STATE_RECEIVING, which is what the store can prove.
      this.opts.log.error({ err, callId: call.callId }, 'cannot write the call log');
      throw err;
    }
  }

  private startOf(call: CallView) {
    return {
      callid: call.callId,
      caller: call.caller,
      callee: call.callee,
      direction: direction(call),
      beginTime: call.beganAt,
      state: 'STATE_RECEIVING' as const,
      flowId: call.flowId,
      flowVersion: call.flowVersion,
      callType: callTypeOf(call.caller, call.callee, this.opts.isExtension),
      clickCallId: call.clickCallId ?? null,
    };
  }
}

// Runs a published flow on a call's customer leg: the interpreter's session, its trace on the event bus, and its
// `<tns:transfer>` through the call center. The call goes on after a transfer; otherwise the session ends it.
import type { Document } from '../../schema/ast.ts';
import { realClock } from '../media/contract.ts';
import {
  hangupCauseOf,
  runSession,
  type SessionOptions,
  type SessionResult,
} from '../interpreter/session.ts';
import type { RecordingInfo, TransferOutcome, TransferRequest } from '../interpreter/context.ts';
import type { TraceEvent } from '../interpreter/trace.ts';
import type { Call } from './calls/call.ts';
import type { EventBus } from './events.ts';

/** A document ready to run, and where it came from (null ids for a `--flow` file or a designer test). */
export interface RunnableFlow {
  document: Document;
  flowId: string | null;
  version: number | null;
}

/** Options handed to every session unchanged (sound root, check policy, recordings, step budget). */
export type SessionExtras = Omit<
  SessionOptions,
  'document' | 'leg' | 'clock' | 'vars' | 'onTrace' | 'signal' | 'transfer'
>;

/** How `<tns:transfer>` reaches a destination from within a call. */
export type CallTransfer = (call: Call, dest: string, req: TransferRequest) => Promise<TransferOutcome>;

export interface IvrDeps {
  bus: EventBus;
  session: SessionExtras;
  /** How `<tns:transfer>` reaches agents; set once an engine is attached (absent: transfers fail). */
  transfer?: CallTransfer;
  /** Keeps what `<tns:record>` recorded on the call (voicemail); the session waits for it. */
  onRecording?: (call: Call, rec: RecordingInfo) => Promise<void>;
}

export interface IvrRun {
  vars?: Record<string, string>;
  /** Sees every trace event as it happens (the designer's test panel). */
  onTrace?: (event: TraceEvent) => void;
  /** Per-call changes to the session options (a test call has no recordings directory and no transfers). */
  session?: Partial<SessionExtras>;
  /** False: `<tns:transfer>` fails and the flow goes on (designer test calls). */
  transfers?: boolean;
}

/**
 * Runs `flow` on the call's customer leg (answering it if needed) until the session ends. The call's first flow,
 * result and end reason are recorded on it; a session that ends other than by a transfer ends the call.
 */
export function runIvr(
  call: Call,
  flow: RunnableFlow,
  deps: IvrDeps,
  o: IvrRun = {},
): Promise<SessionResult> {
  const leg = call.customer?.media;
  if (!leg) return Promise.reject(new Error(`call ${call.callId} has no customer leg`));
  if (call.flowId === null) {
    call.flowId = flow.flowId;
    call.flowVersion = flow.version;
  }
  const transfer = o.transfers !== false ? deps.transfer : undefined;
  const keep = deps.onRecording;
  return call.during(async () => {
    const outcome = await runSession({
      ...deps.session,
      ...(keep && { onRecording: (rec: RecordingInfo) => keep(call, rec) }),
      ...o.session,
      transfer: transfer && ((dest, req) => transfer(call, dest, req)),
      document: flow.document,
      leg,
      clock: realClock,
      vars: o.vars,
      signal: call.abort.signal,
      leaveLegUp: true,
      onTrace: (event: TraceEvent) => {
        void deps.bus.emit({ type: 'call.trace', at: Date.now(), callId: call.callId, event });
        o.onTrace?.(event);
      },
    });
    call.result = outcome.result;
    // Anything but a transfer ends the call, for the session's reason; the call hangs the caller up once its log is
    // committed. A transfer is not an end: the call ends later for its own reason (a party hangs up, FORCE_HUNGUP).
    if (outcome.endReason !== 'transferred')
      void call.finish(outcome.endReason, hangupCauseOf(outcome.endReason));
    return outcome;
  });
}

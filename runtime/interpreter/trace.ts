// The trace of one IVR session: a JSON-serialisable event per step (the store keeps it, the designer overlays it).

/** Why a session ended. */
export type EndReason =
  | 'hangup'
  | 'caller-hangup'
  /** The engine hung up: no RTP from the phone for `sip.mediaTimeoutMs`. */
  | 'media-timeout'
  | 'transferred'
  | 'end-of-document'
  | 'step-budget'
  | 'no-input-budget'
  | 'error'
  | 'aborted';

/** Why digit collection ended. */
export type CollectReason = 'length' | 'terminator' | 'timeout' | 'no-input' | 'hangup' | 'aborted';

/** Fields every event has. `item` is the step's path in its form: `3`, `3/then/0`, `3/elseif/1/0`, `3/else/0`. */
export interface TraceBase {
  /** Clock ms (virtual in the simulator). */
  t: number;
  callId: string;
  form?: string;
  item?: string;
}

/** A played source as shown in the trace: an audio `src` as written, or `tts:` + the interpolated text. */
export type TraceSource = string;

export type TraceEventBody =
  | { type: 'call.start'; caller: string; callee: string; vars: Record<string, string> }
  | { type: 'form.enter'; kind: 'form' | 'menu' }
  | { type: 'prompt.start'; sources: TraceSource[]; bargein: boolean; play: number }
  | { type: 'prompt.end'; reason: 'completed' | 'interrupted' | 'aborted' | 'hungup'; digit?: string }
  | { type: 'collect.start'; field?: string; max: number; timeoutMs: number }
  | { type: 'collect.end'; field?: string; digits: string; reason: CollectReason }
  | { type: 'check.request'; url: string }
  | {
      type: 'check.response';
      url: string;
      status?: number;
      body?: string;
      latencyMs: number;
      error?: string;
      message?: string;
      value: string;
    }
  | { type: 'branch'; cond?: string; index: number }
  | { type: 'choice'; dtmf: string; next: string }
  | { type: 'goto'; next: string }
  | { type: 'assign'; name: string; value: string }
  | { type: 'transfer'; dest: string; status: string; detail?: string }
  | { type: 'record'; name: string; path?: string; durationMs?: number; reason?: string }
  | { type: 'hangup'; reason: EndReason }
  | { type: 'error'; code: string; message: string }
  | { type: 'result'; endReason: EndReason; result: string; steps: number };

/** One trace event. `branch.index`: 0 = the if, 1..n = the elseifs, n+1 = else, -1 = no branch taken. */
export type TraceEvent = TraceBase & TraceEventBody;

export type TraceType = TraceEvent['type'];

// The call center as the operations view holds it: folds the events of GET /api/live (snapshot, extension, call,
// call-ended) into extensions and live calls. Pure, no React: the runtime decides what a state is, this only keeps
// its latest word.
import type { CallEnding, CallView, ExtensionStatus } from './types.ts';

export interface LiveState {
  /** By extension number ({@link extensionList} puts them in number order). */
  extensions: Record<string, ExtensionStatus>;
  /** Live calls by callid. */
  calls: Record<string, CallView>;
  /** Calls that ended since the page opened, newest first (a few, so a supervisor sees what just happened). */
  ended: { call: CallView; ending: CallEnding }[];
  /** Ids of calls that ended lately, newest last: their legs' last changes come after `call-ended`. */
  gone: string[];
}

export type LiveEvent =
  | { event: 'snapshot'; data: { extensions: ExtensionStatus[]; calls: CallView[] } }
  | { event: 'extension'; data: ExtensionStatus }
  | { event: 'call'; data: CallView }
  | { event: 'call-ended'; data: { callId: string; ending: CallEnding } };

/** How many ended calls stay listed. */
export const ENDED_KEPT = 5;
/** How many ended call ids are remembered (a callid never comes back; this only bounds the memory). */
export const GONE_KEPT = 500;

export const EMPTY: LiveState = { extensions: {}, calls: {}, ended: [], gone: [] };

export function applyLive(state: LiveState, ev: LiveEvent): LiveState {
  switch (ev.event) {
    case 'snapshot':
      // A reconnect brings a new snapshot: what happened while the stream was down is in it, nothing else counts.
      return {
        extensions: Object.fromEntries(ev.data.extensions.map((e) => [e.telNum, e])),
        calls: Object.fromEntries(
          ev.data.calls.filter((c) => !state.gone.includes(c.callId)).map((c) => [c.callId, c]),
        ),
        ended: state.ended,
        gone: state.gone,
      };
    case 'extension':
      return { ...state, extensions: { ...state.extensions, [ev.data.telNum]: ev.data } };
    case 'call':
      // A call's legs are hung up after its end is announced: their changes update the ended entry, never revive it.
      if (state.gone.includes(ev.data.callId))
        return {
          ...state,
          ended: state.ended.map((e) => (e.call.callId === ev.data.callId ? { ...e, call: ev.data } : e)),
        };
      return { ...state, calls: { ...state.calls, [ev.data.callId]: ev.data } };
    case 'call-ended': {
      const { [ev.data.callId]: call, ...calls } = state.calls;
      const gone = [...state.gone, ev.data.callId].slice(-GONE_KEPT);
      if (!call) return { ...state, gone };
      const ended = [{ call, ending: ev.data.ending }, ...state.ended].slice(0, ENDED_KEPT);
      return { ...state, calls, ended, gone };
    }
  }
}

const byNumber = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

export function extensionList(extensions: LiveState['extensions']): ExtensionStatus[] {
  return Object.values(extensions).sort((a, b) => byNumber(a.telNum, b.telNum));
}

/** Live calls, oldest first (the longest-waiting customer on top). */
export function callList(calls: LiveState['calls']): CallView[] {
  return Object.values(calls).sort((a, b) => a.beganAt - b.beganAt);
}

/**
 * The agent the call's actions act on (transfer, monitor, force hang-up): the newest live agent leg with an
 * extension, talking before ringing.
 */
export function agentOf(call: CallView): string | undefined {
  const agents = call.legs.filter((l) => l.role === 'agent' && l.extension && l.status !== 'ended');
  const talking = agents.filter((l) => l.status === 'talking' || l.status === 'held');
  return (talking.at(-1) ?? agents.at(-1))?.extension;
}

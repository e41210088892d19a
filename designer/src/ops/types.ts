// What the operations view reads from the runtime, in the manual's field names: EXTNUM_STATE rows, live calls and
// their legs (GET /api/live), and Calllog rows (CALL_LOG_QUERY). The designer imports nothing from runtime/, so the
// shapes are declared here; test/designer/ops checks they still match the runtime's.

/** ONLINE, OFFLINE, BUSY_OUTGOING, BUSY_INCOMING (manual section 14). */
export type ExtensionState = 'ONLINE' | 'OFFLINE' | 'BUSY_OUTGOING' | 'BUSY_INCOMING';
/** As printed in the manual, `unkown` included. */
export type Presence = 'online' | 'offline' | 'reducing' | 'busy' | 'unkown';
/** What SET_EXT_PRESENCE_STATE accepts (manual section 8). */
export const SETTABLE_PRESENCE = ['online', 'reducing', 'busy'] as const;
export type SettablePresence = (typeof SETTABLE_PRESENCE)[number];

/** One row of EXTNUM_STATE. */
export interface ExtensionStatus {
  telNum: string;
  userName: string;
  telRegState: 0 | 1;
  phoneType: string;
  state: ExtensionState;
  presence: Presence;
  missingCallCount: number;
  remoteNum?: string;
}

export type LegStatus = 'calling' | 'ringing' | 'talking' | 'held' | 'ended';
export type LegRole = 'customer' | 'agent' | 'third' | 'supervisor';

export interface LegView {
  legId: string;
  role: LegRole;
  number: string;
  extension?: string;
  direction: 'incoming' | 'outgoing';
  businessId: string;
  status: LegStatus;
  answered: boolean;
  beganAt: number;
  answeredAt?: number;
  endedAt?: number;
  endCause?: string;
}

export interface CallView {
  callId: string;
  kind: 'inbound' | 'outbound' | 'test';
  caller: string;
  callee: string;
  flowId: string | null;
  clickCallId?: string;
  beganAt: number;
  answeredAt?: number;
  legs: LegView[];
}

/** How a call ended (the `call-ended` event). */
export interface CallEnding {
  endedAt: number;
  answered: boolean;
  reason: string;
}

/** One Calllog of CALL_LOG_QUERY (manual section 21), the fields the view shows. */
export interface Calllog {
  id: number;
  caller: string;
  callee: string;
  /** Milliseconds since the epoch. */
  beginTime: number;
  /** Seconds of talk time. */
  duration: number;
  state: string;
  callType: string;
  channel: string;
  callid: string;
  /** The recording's path, `""` when the call was not recorded. */
  recordVoice: string;
  clickcallid: string;
}

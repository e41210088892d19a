// The call_logs table: one row per call, inserted when the call arrives and completed when it ends.
import type { Db } from './db.ts';

export type CallState = 'STATE_RECEIVING' | 'STATE_RECEIVED' | 'STATE_FAILED';
/** `inbound`/`outbound` for SIP calls, `test` for the designer's browser test calls. */
export type CallDirection = 'inbound' | 'outbound' | 'test';

export interface CallLog {
  callid: string;
  caller: string;
  callee: string;
  direction: CallDirection;
  /** Ms since the epoch. */
  beginTime: number;
  answerTime: number | null;
  endTime: number | null;
  /** Seconds of talk time. */
  duration: number;
  state: CallState;
  /** `state=<code>;<name>=<value>;…` (decisions.md). */
  result: string | null;
  endReason: string | null;
  flowId: string | null;
  flowVersion: number | null;
}

interface Row {
  callid: string;
  caller: string;
  callee: string;
  direction: CallDirection;
  begin_time: number;
  answer_time: number | null;
  end_time: number | null;
  duration: number;
  state: CallState;
  result: string | null;
  end_reason: string | null;
  flow_id: string | null;
  flow_version: number | null;
}

function fromRow(r: Row): CallLog {
  return {
    callid: r.callid,
    caller: r.caller,
    callee: r.callee,
    direction: r.direction,
    beginTime: r.begin_time,
    answerTime: r.answer_time,
    endTime: r.end_time,
    duration: r.duration,
    state: r.state,
    result: r.result,
    endReason: r.end_reason,
    flowId: r.flow_id,
    flowVersion: r.flow_version,
  };
}

export interface CallStart {
  callid: string;
  caller: string;
  callee: string;
  direction: CallDirection;
  beginTime: number;
  state: CallState;
  flowId?: string | null;
  flowVersion?: number | null;
  endReason?: string | null;
}

export interface CallEnd {
  answerTime: number | null;
  endTime: number;
  state: CallState;
  result: string | null;
  endReason: string | null;
}

export class CallLogs {
  constructor(private readonly db: Db) {}

  insert(c: CallStart): void {
    this.db
      .prepare(
        `INSERT INTO call_logs (callid, caller, callee, direction, begin_time, state, flow_id, flow_version, end_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.callid,
        c.caller,
        c.callee,
        c.direction,
        c.beginTime,
        c.state,
        c.flowId ?? null,
        c.flowVersion ?? null,
        c.endReason ?? null,
      );
  }

  /** Completes the row; duration is the talk time in whole seconds (0 when never answered). */
  finish(callid: string, e: CallEnd): void {
    const duration = e.answerTime === null ? 0 : Math.max(0, Math.round((e.endTime - e.answerTime) / 1000));
    this.db
      .prepare(
        `UPDATE call_logs SET answer_time = ?, end_time = ?, duration = ?, state = ?, result = ?, end_reason = ?
         WHERE callid = ?`,
      )
      .run(e.answerTime, e.endTime, duration, e.state, e.result, e.endReason, callid);
  }

  get(callid: string): CallLog | undefined {
    const row = this.db.prepare('SELECT * FROM call_logs WHERE callid = ?').get(callid) as Row | undefined;
    return row && fromRow(row);
  }

  /** Newest first. */
  list(limit: number, offset: number): CallLog[] {
    const rows = this.db
      .prepare('SELECT * FROM call_logs ORDER BY begin_time DESC, callid LIMIT ? OFFSET ?')
      .all(limit, offset) as Row[];
    return rows.map(fromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM call_logs').get() as { n: number }).n;
  }

  /** Calls of one flow that began in [from, to). */
  idsOfFlow(flowId: string, from: number, to: number): string[] {
    const rows = this.db
      .prepare('SELECT callid FROM call_logs WHERE flow_id = ? AND begin_time >= ? AND begin_time < ?')
      .all(flowId, from, to) as { callid: string }[];
    return rows.map((r) => r.callid);
  }
}

// The call_logs table: one row per call, inserted when the call arrives and completed when it ends.
import type { Kysely, Selectable } from 'kysely';
import type { CallLogTable, Database } from './tables.ts';

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

function fromRow(r: Selectable<CallLogTable>): CallLog {
  return {
    callid: r.callid,
    caller: r.caller,
    callee: r.callee,
    direction: r.direction as CallDirection,
    beginTime: r.begin_time,
    answerTime: r.answer_time,
    endTime: r.end_time,
    duration: r.duration,
    state: r.state as CallState,
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
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: CallStart): Promise<void> {
    await this.db
      .insertInto('call_logs')
      .values({
        callid: c.callid,
        caller: c.caller,
        callee: c.callee,
        direction: c.direction,
        begin_time: c.beginTime,
        state: c.state,
        flow_id: c.flowId ?? null,
        flow_version: c.flowVersion ?? null,
        end_reason: c.endReason ?? null,
      })
      .execute();
  }

  /** Completes the row; duration is the talk time in whole seconds (0 when never answered). */
  async finish(callid: string, e: CallEnd): Promise<void> {
    const duration = e.answerTime === null ? 0 : Math.max(0, Math.round((e.endTime - e.answerTime) / 1000));
    await this.db
      .updateTable('call_logs')
      .set({
        answer_time: e.answerTime,
        end_time: e.endTime,
        duration,
        state: e.state,
        result: e.result,
        end_reason: e.endReason,
      })
      .where('callid', '=', callid)
      .execute();
  }

  async get(callid: string): Promise<CallLog | undefined> {
    const row = await this.db
      .selectFrom('call_logs')
      .selectAll()
      .where('callid', '=', callid)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<CallLog[]> {
    const rows = await this.db
      .selectFrom('call_logs')
      .selectAll()
      .orderBy('begin_time', 'desc')
      .orderBy('callid')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(fromRow);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('call_logs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Calls of one flow that began in [from, to). */
  async idsOfFlow(flowId: string, from: number, to: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('call_logs')
      .select('callid')
      .where('flow_id', '=', flowId)
      .where('begin_time', '>=', from)
      .where('begin_time', '<', to)
      .execute();
    return rows.map((r) => r.callid);
  }
}

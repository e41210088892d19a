// The call_logs table: one row per call, inserted when the call arrives and completed when it ends.
import { sql, type Kysely, type Selectable } from 'kysely';
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
  /** The manual's numeric call-log id, in insertion order (0 for rows older than the column). */
  id: number;
  /** Where the caller's signalling came from (`ip:port`). */
  channel: string | null;
  /** CENTREX_CALL, LOCAL_CALL, NATIONAL_CALL, OVERSEAS_CALL or UNKNOW_CALL (sic). */
  callType: string | null;
  /** The recording (absolute path inside the recordings root), when the call was recorded. */
  recordVoice: string | null;
  clickCallId: string | null;
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
    id: r.log_id ?? 0,
    channel: r.channel,
    callType: r.call_type,
    recordVoice: r.record_voice,
    clickCallId: r.click_call_id,
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
  channel?: string | null;
  callType?: string | null;
  clickCallId?: string | null;
}

export interface CallEnd {
  answerTime: number | null;
  endTime: number;
  state: CallState;
  result: string | null;
  endReason: string | null;
  recordVoice?: string | null;
  /** Where the customer's signalling came from or went (known once the leg exists). */
  channel?: string | null;
}

/** What CALL_LOG_QUERY selects: a time range, a number any party had, a direction. */
export interface CallLogQuery {
  /** Ms since the epoch, inclusive. */
  from: number;
  /** Ms since the epoch, exclusive. */
  to: number;
  /** A number the caller, the callee or any leg had. */
  number?: string;
  direction?: 'inbound' | 'outbound';
  offset: number;
  limit: number;
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
        channel: c.channel ?? null,
        call_type: c.callType ?? null,
        click_call_id: c.clickCallId ?? null,
        // One statement, so the next number is taken atomically (one writer in SQLite; a sequence on PostgreSQL).
        log_id: sql<number>`(SELECT COALESCE(MAX(log_id), 0) + 1 FROM call_logs)`,
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
        ...(e.recordVoice === undefined ? {} : { record_voice: e.recordVoice }),
        ...(e.channel ? { channel: e.channel } : {}),
      })
      .where('callid', '=', callid)
      .execute();
  }

  /** Records when the call was answered, while it runs (so a crash leaves a row that says so). */
  async markAnswered(callid: string, at: number): Promise<void> {
    await this.db
      .updateTable('call_logs')
      .set({ answer_time: at })
      .where('callid', '=', callid)
      .where('answer_time', 'is', null)
      .execute();
  }

  /**
   * Closes the rows a crash left open: calls of this host (`…@host`) with no end. Answered ones become
   * STATE_RECEIVED, the others STATE_FAILED, with end reason `interrupted` and no talk time (the end is unknown).
   * Returns how many were closed.
   */
  async closeInterrupted(host: string): Promise<number> {
    const suffix = `@${host}`;
    const r = await this.db
      .updateTable('call_logs')
      .set((eb) => ({
        state: eb.case().when('answer_time', 'is', null).then('STATE_FAILED').else('STATE_RECEIVED').end(),
        end_time: eb.fn.coalesce('answer_time', 'begin_time'),
        end_reason: 'interrupted',
      }))
      .where('end_time', 'is', null)
      // The callid's suffix, compared exactly (no LIKE patterns), in SQL both SQLite and PostgreSQL run.
      .where(sql<string>`substr(callid, length(callid) - ${suffix.length - 1})`, '=', suffix)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
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

  /** Call logs of phone calls (not designer tests) in a time range, newest first. */
  async query(q: CallLogQuery): Promise<CallLog[]> {
    let select = this.db
      .selectFrom('call_logs as c')
      .selectAll('c')
      .where('c.begin_time', '>=', q.from)
      .where('c.begin_time', '<', q.to)
      .where('c.direction', q.direction ? '=' : '<>', q.direction ?? 'test');
    const n = q.number;
    // Three index lookups joined by UNION (caller, callee, any leg's number), not an OR that scans every row.
    if (n !== undefined)
      select = select.where('c.callid', 'in', (eb) =>
        eb
          .selectFrom('call_logs as a')
          .select('a.callid')
          .where('a.caller', '=', n)
          .union(eb.selectFrom('call_logs as b').select('b.callid').where('b.callee', '=', n))
          .union(eb.selectFrom('call_legs as l').select('l.callid').where('l.number', '=', n)),
      );
    const rows = await select
      .orderBy('c.begin_time', 'desc')
      .orderBy('c.callid')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    return rows.map(fromRow);
  }

  /** The call whose leg had this SIP Call-ID (a softphone's call). */
  async bySipCallId(sipCallId: string): Promise<CallLog | undefined> {
    const row = await this.db
      .selectFrom('call_logs as c')
      .selectAll('c')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('call_legs as l')
            .select('l.leg_id')
            .whereRef('l.callid', '=', 'c.callid')
            .where('l.sip_call_id', '=', sipCallId),
        ),
      )
      .executeTakeFirst();
    return row && fromRow(row);
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

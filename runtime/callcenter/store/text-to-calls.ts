// The text_to_calls table: TextToCallService's tasks (manual section 26). Each is made by one dialer task, whose
// row holds the call (callee, text, state, attempts, outcome); this one holds the manual's other fields.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, DialerTaskTable, TextToCallTable } from './tables.ts';
import { TaskState, type TaskStateCode } from './dialer-tasks.ts';

export interface TextToCallFields {
  caller: string;
  assisid: number;
  calldate: number;
  voipcall: boolean;
  servicetype: string;
  linkkey: number | null;
}

/** A task with its dialer task's side: what a listing answers. */
export interface TextToCallRow extends TextToCallFields {
  id: number;
  taskId: string;
  createdAt: number;
  callee: string;
  /** The dialer task's job (JSON text). */
  job: string;
  state: TaskStateCode;
  attempts: number;
  endReason: string | null;
  result: string | null;
}

export interface TextToCallQuery {
  servicetype: string;
  /** Absent: any. */
  linkkey?: number;
  /** Only tasks not dialled yet (queued, no attempt made). */
  waitingOnly: boolean;
  offset: number;
  limit: number;
}

type Joined = Selectable<TextToCallTable> &
  Pick<Selectable<DialerTaskTable>, 'callee' | 'job' | 'state' | 'attempts' | 'end_reason' | 'result'>;

function fromRow(r: Joined): TextToCallRow {
  return {
    id: r.id,
    taskId: r.task_id,
    caller: r.caller,
    assisid: r.assisid,
    calldate: r.calldate,
    voipcall: r.voipcall === 1,
    servicetype: r.servicetype,
    linkkey: r.linkkey,
    createdAt: r.created_at,
    callee: r.callee,
    job: r.job,
    state: r.state as TaskStateCode,
    attempts: r.attempts,
    endReason: r.end_reason,
    result: r.result,
  };
}

export class TextToCalls {
  constructor(private readonly db: Kysely<Database>) {}

  private joined() {
    return this.db
      .selectFrom('text_to_calls as t')
      .innerJoin('dialer_tasks as d', 'd.task_id', 't.task_id')
      .selectAll('t')
      .select(['d.callee', 'd.job', 'd.state', 'd.attempts', 'd.end_reason', 'd.result']);
  }

  /** Adds a task (before its dialer task is queued); returns its id. */
  async add(taskId: string, f: TextToCallFields, now: number): Promise<number> {
    const row = await this.db
      .insertInto('text_to_calls')
      .values({
        id: sql<number>`(SELECT COALESCE(MAX(id), 0) + 1 FROM text_to_calls)`,
        task_id: taskId,
        caller: f.caller,
        assisid: f.assisid,
        calldate: f.calldate,
        voipcall: f.voipcall ? 1 : 0,
        servicetype: f.servicetype,
        linkkey: f.linkkey,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A task with its dialer task, or undefined (unknown id, or its dialer task is gone). */
  async get(id: number): Promise<TextToCallRow | undefined> {
    const r = await this.joined().where('t.id', '=', id).executeTakeFirst();
    return r && fromRow(r);
  }

  /** Changes the manual's fields of a task (the dialer task is changed by the dialer). */
  async update(id: number, f: TextToCallFields): Promise<void> {
    await this.db
      .updateTable('text_to_calls')
      .set({
        caller: f.caller,
        assisid: f.assisid,
        calldate: f.calldate,
        voipcall: f.voipcall ? 1 : 0,
        servicetype: f.servicetype,
        linkkey: f.linkkey,
      })
      .where('id', '=', id)
      .execute();
  }

  async remove(id: number): Promise<void> {
    await this.db.deleteFrom('text_to_calls').where('id', '=', id).execute();
  }

  /** Rows whose dialer task is gone (purged, or never queued because the runtime stopped in between). */
  async removeOrphans(): Promise<number> {
    const r = await this.db
      .deleteFrom('text_to_calls')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('dialer_tasks')
              .select('dialer_tasks.task_id')
              .whereRef('dialer_tasks.task_id', '=', 'text_to_calls.task_id'),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Tasks of a business (`servicetype`, and `linkkey` when given), by id. */
  async list(q: TextToCallQuery): Promise<TextToCallRow[]> {
    let query = this.joined().where('t.servicetype', '=', q.servicetype);
    if (q.linkkey !== undefined) query = query.where('t.linkkey', '=', q.linkkey);
    if (q.waitingOnly) query = query.where('d.state', '=', TaskState.queued).where('d.attempts', '=', 0);
    const rows = await query.orderBy('t.id').limit(q.limit).offset(q.offset).execute();
    return rows.map(fromRow);
  }
}

// The dialer_tasks table: the outbound dialer's persistent queue of call tasks and their outcomes (manual
// sections 3 and 18). Every change of a task's state is one committed statement, so a crash loses none.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, DialerTaskTable } from './tables.ts';
import { atomically } from './atomic.ts';

/** The manual's outcome codes (sections 3 and 18; decisions.md "Call outcome codes"). */
export const TaskState = {
  queued: 0,
  answered: 1,
  failed: 2,
  noSuchNumber: 3,
  calling: 4,
  busy: 5,
  unreachable: 6,
} as const;
export type TaskStateCode = (typeof TaskState)[keyof typeof TaskState];

/** A task is finished in one of these states and is never dialled again. */
export const isFinished = (state: number): boolean =>
  state !== TaskState.queued && state !== TaskState.calling;

export interface DialerTask {
  taskId: string;
  seq: number;
  kind: string;
  token: string;
  callee: string;
  /** What the call does once answered, as the dialer wrote it (JSON text). */
  job: string;
  state: TaskStateCode;
  attempts: number;
  dueAt: number;
  createdAt: number;
  updatedAt: number;
  callid: string | null;
  answeredAt: number | null;
  finishedAt: number | null;
  /** Collected variables, `name=value;…`, or null. */
  result: string | null;
  endReason: string | null;
}

export interface NewTask {
  taskId: string;
  kind: string;
  token: string;
  callee: string;
  job: string;
  now: number;
  /** Not dialled before this time (default: now). */
  dueAt?: number;
}

function fromRow(r: Selectable<DialerTaskTable>): DialerTask {
  return {
    taskId: r.task_id,
    seq: r.seq,
    kind: r.kind,
    token: r.token,
    callee: r.callee,
    job: r.job,
    state: r.state as TaskStateCode,
    attempts: r.attempts,
    dueAt: r.due_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    callid: r.callid,
    answeredAt: r.answered_at,
    finishedAt: r.finished_at,
    result: r.result,
    endReason: r.end_reason,
  };
}

export class DialerTasks {
  constructor(private readonly db: Kysely<Database>) {}

  /** Queues a task; `duplicate` when its kind already has a task with this token (nothing is written then). */
  async insert(t: NewTask): Promise<'inserted' | 'duplicate'> {
    return atomically(this.db, async (trx) => {
      const existing = await trx
        .selectFrom('dialer_tasks')
        .select('task_id')
        .where('kind', '=', t.kind)
        .where('token', '=', t.token)
        .executeTakeFirst();
      if (existing) return 'duplicate';
      await trx
        .insertInto('dialer_tasks')
        .values({
          task_id: t.taskId,
          // One statement takes the next number (one writer in SQLite; a sequence would do on PostgreSQL).
          seq: sql<number>`(SELECT COALESCE(MAX(seq), 0) + 1 FROM dialer_tasks)`,
          kind: t.kind,
          token: t.token,
          callee: t.callee,
          job: t.job,
          state: TaskState.queued,
          attempts: 0,
          due_at: t.dueAt ?? t.now,
          created_at: t.now,
          updated_at: t.now,
        })
        .execute();
      return 'inserted';
    });
  }

  async get(kind: string, token: string): Promise<DialerTask | undefined> {
    const row = await this.db
      .selectFrom('dialer_tasks')
      .selectAll()
      .where('kind', '=', kind)
      .where('token', '=', token)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async byId(taskId: string): Promise<DialerTask | undefined> {
    const row = await this.db
      .selectFrom('dialer_tasks')
      .selectAll()
      .where('task_id', '=', taskId)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /** Tasks not finished (queued or calling), in submission order: what a starting dialer takes up. */
  async unfinished(): Promise<DialerTask[]> {
    const rows = await this.db
      .selectFrom('dialer_tasks')
      .selectAll()
      .where('state', 'in', [TaskState.queued, TaskState.calling])
      .orderBy('seq')
      .execute();
    return rows.map(fromRow);
  }

  /** Every task, newest first (for inspection and tests). */
  async list(limit: number, offset = 0): Promise<DialerTask[]> {
    const rows = await this.db
      .selectFrom('dialer_tasks')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(fromRow);
  }

  /** The task is being dialled now (state 4), as attempt number `attempts`, on the call `callid`. */
  async calling(taskId: string, o: { callid: string; attempts: number; now: number }): Promise<void> {
    await this.db
      .updateTable('dialer_tasks')
      .set({ state: TaskState.calling, callid: o.callid, attempts: o.attempts, updated_at: o.now })
      .where('task_id', '=', taskId)
      .execute();
  }

  /** The customer answered the attempt: from now on the task is never dialled again. */
  async answered(taskId: string, at: number): Promise<void> {
    await this.db
      .updateTable('dialer_tasks')
      .set({ answered_at: at, updated_at: at })
      .where('task_id', '=', taskId)
      .execute();
  }

  /** Back in the queue (state 0) until `dueAt`: a retry, or an attempt cut short before the answer. */
  async requeue(
    taskId: string,
    o: { dueAt: number; attempts: number; endReason: string; now: number },
  ): Promise<void> {
    await this.db
      .updateTable('dialer_tasks')
      .set({
        state: TaskState.queued,
        due_at: o.dueAt,
        attempts: o.attempts,
        end_reason: o.endReason,
        updated_at: o.now,
      })
      .where('task_id', '=', taskId)
      .where('state', 'in', [TaskState.queued, TaskState.calling])
      .execute();
  }

  /** Finishes a task with its outcome; false when it was finished already (the first outcome stands). */
  async finish(
    taskId: string,
    o: { state: TaskStateCode; result: string | null; endReason: string; now: number },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('dialer_tasks')
      .set({
        state: o.state,
        result: o.result,
        end_reason: o.endReason,
        finished_at: o.now,
        updated_at: o.now,
      })
      .where('task_id', '=', taskId)
      .where('state', 'in', [TaskState.queued, TaskState.calling])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Changes a task not dialled yet (queued, no attempt made): its number, job and due time; false when it is
   * no longer such a task.
   */
  async reschedule(
    taskId: string,
    o: { callee: string; job: string; dueAt: number; now: number },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('dialer_tasks')
      .set({ callee: o.callee, job: o.job, due_at: o.dueAt, updated_at: o.now })
      .where('task_id', '=', taskId)
      .where('state', '=', TaskState.queued)
      .where('attempts', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Deletes a task; false when there was none. */
  async remove(taskId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('dialer_tasks').where('task_id', '=', taskId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Deletes tasks finished before `before` (ms since the epoch); returns how many. */
  async purgeFinished(before: number): Promise<number> {
    const r = await this.db
      .deleteFrom('dialer_tasks')
      .where('finished_at', 'is not', null)
      .where('finished_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

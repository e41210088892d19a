// What the store records of a task when an attempt ends (answered, retried, finished) and when a start finds it
// interrupted by a crash: the dialer's decisions about outcomes, apart from its queue.
import type { OriginateFailure } from '../../media/contract.ts';
import { RETRYABLE, type DialerConfig } from '../../config/schema.ts';
import { TaskState, type DialerTask, type DialerTasks } from '../store/dialer-tasks.ts';
import { parseJob, type Job } from './job.ts';
import { retryNameOf, stateOf } from './outcome.ts';
import { varsOf } from './result.ts';

/** A task as the queue holds it. */
export interface QueuedTask {
  taskId: string;
  callee: string;
  job: Job;
  /** Attempts made (counted against `retry.maxAttempts`). */
  attempts: number;
  /** Not dialled before this time (ms since the epoch). */
  dueAt: number;
}

/** Attempts a TextToCallService task gets (section 26: "默认尝试 3 次不接通，则放弃"). */
export const TEXT_CALL_ATTEMPTS = 3;

/**
 * The retry policy of a task: the configuration's, except for TextToCallService tasks, which the manual gives 3
 * attempts on any outcome but a number that does not exist (the delay between them is the configuration's).
 */
export function retryPolicyOf(job: Job, retry: DialerConfig['retry']): DialerConfig['retry'] {
  return job.kind === 'text' ? { ...retry, maxAttempts: TEXT_CALL_ATTEMPTS, on: [...RETRYABLE] } : retry;
}

/** Finishes an answered task as 1 with the IVR's variables (`result` is `state=1;…` or null). */
export async function finishAnswered(
  tasks: DialerTasks,
  taskId: string,
  result: string | null,
  why: string,
  now: number,
): Promise<void> {
  await tasks.finish(taskId, { state: TaskState.answered, result: varsOf(result), endReason: why, now });
}

/**
 * An attempt that was not answered: queued again when the retry policy says so (`requeued`, due after the delay),
 * else finished with the failure's state. A ring cut short by a shutdown (`stopping`) is no attempt: the task
 * waits for the next start, uncounted. Updates `t` as the store now has it.
 */
export async function recordFailure(
  tasks: DialerTasks,
  retry: DialerConfig['retry'],
  t: QueuedTask,
  failure: OriginateFailure,
  o: { stopping: boolean; now: number },
): Promise<'requeued' | 'finished' | 'waits-for-start'> {
  const { now } = o;
  if (failure === 'cancelled' && o.stopping) {
    t.attempts -= 1;
    await tasks.requeue(t.taskId, { dueAt: now, attempts: t.attempts, endReason: 'shutdown', now });
    return 'waits-for-start';
  }
  const name = retryNameOf(failure);
  if (name && retry.on.includes(name) && t.attempts < retry.maxAttempts) {
    t.dueAt = now + retry.delaySec * 1000;
    await tasks.requeue(t.taskId, { dueAt: t.dueAt, attempts: t.attempts, endReason: failure, now });
    return 'requeued';
  }
  await tasks.finish(t.taskId, { state: stateOf(failure), result: null, endReason: failure, now });
  return 'finished';
}

/**
 * A task the store has unfinished at start: one that was `calling` when the runtime stopped is finished as
 * answered when its customer had answered (the keys, if any, died with the process), else queued again without
 * counting that attempt. Returns the task to queue, or undefined when it is finished now.
 */
export async function recoverTask(
  tasks: DialerTasks,
  row: DialerTask,
  now: number,
): Promise<QueuedTask | undefined> {
  const job = parseJob(row.job);
  if (!job) {
    await tasks.finish(row.taskId, {
      state: TaskState.failed,
      result: null,
      endReason: 'unreadable-task',
      now,
    });
    return undefined;
  }
  let attempts = row.attempts;
  if (row.state === TaskState.calling) {
    if (row.answeredAt !== null) {
      await finishAnswered(tasks, row.taskId, row.result, 'interrupted-after-answer', now);
      return undefined;
    }
    attempts = Math.max(0, attempts - 1);
    await tasks.requeue(row.taskId, { dueAt: now, attempts, endReason: 'interrupted', now });
  }
  return { taskId: row.taskId, callee: row.callee, job, attempts, dueAt: row.dueAt };
}

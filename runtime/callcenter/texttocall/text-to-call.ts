// TextToCallService's tasks (manual section 26): scheduled calls that read a text to a customer. Each is a task of
// the one dialer (its queue, limits, retries and restart recovery), kind `text`, due at `calldate`; this module
// keeps the manual's other fields beside it and answers in the manual's terms.
import { randomUUID } from 'node:crypto';
import type { Dialer, SubmitOutcome } from '../dialer/dialer.ts';
import type { Store } from '../store/db.ts';
import type { TextToCallFields } from '../store/text-to-calls.ts';
import { texttocalOf, type Texttocal } from './record.ts';

/** What makeCall asks for: a new task (`id` -1 or absent) or a change of a WAITING one. */
export interface TextCallRequest extends TextToCallFields {
  id?: number;
  callee: string;
  content: string;
}

/** A refusal in the manual's codes (the SOAP layer sends it as a fault). */
export interface Refusal {
  code: number;
  reason: string;
}

type Why = Exclude<SubmitOutcome, { queued: true }>['why'];
/** As IVR_TTS_CALL (section 18), the HTTP opt of the same kind of call. */
const CODES: Record<Why, number> = {
  duplicate: 483,
  'queue-full': 486,
  unavailable: 480,
  'no-route': 480,
  invalid: 400,
};

export interface ListQuery {
  servicetype: string;
  linkkey?: number;
  offset: number;
  limit: number;
}

export class TextToCall {
  constructor(
    private readonly store: Store,
    private readonly dialer: Dialer,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forgets rows whose dialer task is gone (purged after `dialer.keepDays`, or never queued). */
  async load(): Promise<void> {
    await this.store.textToCalls.removeOrphans();
  }

  /** Queues a new task (answers its id) or changes a WAITING one (answers the same id). */
  async make(req: TextCallRequest): Promise<{ id: number } | Refusal> {
    const job = { kind: 'text' as const, content: req.content };
    if (req.id !== undefined && req.id !== -1) {
      const row = await this.store.textToCalls.get(req.id);
      if (!row) return { code: 404, reason: `no task ${req.id}` };
      const r = await this.dialer.reschedule(row.taskId, { callee: req.callee, job, dueAt: req.calldate });
      if (r === 'not-waiting') return { code: 403, reason: `task ${req.id} is no longer WAITING` };
      await this.store.textToCalls.update(req.id, req);
      return { id: req.id };
    }
    const taskId = randomUUID();
    // The row first: the dialer may dial at once, and a listing must find the task by then.
    const id = await this.store.textToCalls.add(taskId, req, this.now());
    const outcome = await this.dialer.submit({
      taskId,
      token: String(id),
      callee: req.callee,
      job,
      dueAt: req.calldate,
    });
    if (outcome.queued) return { id };
    await this.store.textToCalls.remove(id);
    return { code: CODES[outcome.why], reason: outcome.reason };
  }

  /** Deletes a task (and its call record); refused while it is being dialled. */
  async remove(id: number): Promise<Refusal | undefined> {
    const row = await this.store.textToCalls.get(id);
    if (!row) return { code: 404, reason: `no task ${id}` };
    const r = await this.dialer.remove(row.taskId);
    if (r === 'calling') return { code: 486, reason: `task ${id} is being dialled` };
    await this.store.textToCalls.remove(id);
    return undefined;
  }

  /** listWithToken: every task of the business. */
  async list(q: ListQuery): Promise<Texttocal[]> {
    return (await this.store.textToCalls.list({ ...q, waitingOnly: false })).map(texttocalOf);
  }

  /** listUnCalled: the business's tasks still WAITING (never dialled). */
  async listUncalled(q: ListQuery): Promise<Texttocal[]> {
    return (await this.store.textToCalls.list({ ...q, waitingOnly: true })).map(texttocalOf);
  }
}

// The one outbound dialer: a persistent queue of call tasks (CAPTCHA calls, IVR_TTS_CALL calls, TextToCallService's
// scheduled text calls), dialled first come first served once due within the trunk's channels and calls per second, retried by policy, gated by free agents
// for calls that go to agents (`precallcount`). Every state change is committed before it has effects: a task is
// `calling` in the store before its INVITE, `answered` before the customer hears anything, and finished before
// the customer's line is released — so a restart after SIGKILL redials nothing that was answered.
import { randomUUID } from 'node:crypto';
import type { ConfinedRoot } from '../../files/confined-root.ts';
import type { Call } from '../calls/call.ts';
import type { ControlDeps } from '../control/context.ts';
import type { CallCenterEvent } from '../events.ts';
import type { Store } from '../store/db.ts';
import type { TaskStateCode } from '../store/dialer-tasks.ts';
import type { OriginateFailure } from '../../media/contract.ts';
import type { DialerConfig } from '../../config/schema.ts';
import { dialAttempt, type AttemptDeps, type AttemptEnd } from './attempt.ts';
import type { Job } from './job.ts';
import { Pace } from './pace.ts';
import { mayPrecall } from './precall.ts';
import type { ToneFiles } from './tones.ts';
import { finishAnswered, recordFailure, recoverTask, retryPolicyOf, type QueuedTask } from './settle.ts';
import { pwdAccepted } from './pwd.ts';
import { knownSpeech } from './warm.ts';
import { captchaSources } from './captcha-call.ts';
import type { TtsEngine } from '../../media/audio/tts.ts';
import type { RunnableFlow } from '../ivr.ts';

export interface DialerDeps {
  store: Store;
  control: ControlDeps;
  tones: ToneFiles;
  /** The sound root (the fixed line's lead-in). */
  sounds: ConfinedRoot;
  /** Whether numbers that are not extensions can be dialled (a trunk is configured). */
  hasTrunk: boolean;
  config: DialerConfig;
  /** The engine's TTS: speech known before the answer is synthesised while the customer's phone rings. */
  tts?: TtsEngine;
  now?: () => number;
}

/** A task to queue: the manual's `id`/`token`, the number, what the call does. */
export interface TaskRequest {
  token: string;
  callee: string;
  job: Job;
  /** The task's id (default: a new UUID). */
  taskId?: string;
  /** Not dialled before this time (ms since the epoch; default: now). */
  dueAt?: number;
}

export type SubmitOutcome =
  | { queued: true; taskId: string }
  | {
      queued: false;
      /** duplicate token, queue full, no engine or shutting down, no way to reach the number, bad target. */
      why: 'duplicate' | 'queue-full' | 'unavailable' | 'no-route' | 'invalid';
      reason: string;
    };

interface Pending extends QueuedTask {
  /** Queue order (submission order; a retry keeps its place among tasks that are due). */
  order: number;
}

interface Active {
  task: Pending;
  call?: Call;
  answered: boolean;
  handedOver: boolean;
  settled: boolean;
  run?: Promise<void>;
}

const noop = () => undefined;
const PURGE_EVERY_MS = 6 * 3600 * 1000;
/** The longest sleep before the queue is looked at again (a timer cannot wait longer than ~24.8 days). */
const MAX_WAIT_MS = 3600 * 1000;
const refused = (why: Exclude<SubmitOutcome, { queued: true }>['why'], reason: string): SubmitOutcome => ({
  queued: false,
  why,
  reason,
});

export class Dialer {
  private readonly pending: Pending[] = [];
  private readonly active = new Map<string, Active>();
  private readonly byCall = new Map<string, Active>();
  private readonly pace: Pace;
  private readonly now: () => number;
  private order = 0;
  private running = false;
  private timer?: ReturnType<typeof setTimeout>;
  private purger?: ReturnType<typeof setInterval>;

  constructor(private readonly d: DialerDeps) {
    this.now = d.now ?? Date.now;
    this.pace = new Pace(d.config.trunk.channels, d.config.trunk.callsPerSecond, this.now);
    const bus = d.control.registry.bus;
    bus.on('call.ended', (ev) => this.onCallEnded(ev));
    // An agent becoming free may let a task gated on its agents go.
    bus.on('extension.changed', () => this.pump());
    bus.on('leg.changed', (ev) => {
      if (ev.leg.extension !== undefined && ev.leg.status === 'ended' && this.pending.length > 0) this.pump();
    });
  }

  /** Tasks waiting to be dialled. */
  get queued(): number {
    return this.pending.length;
  }

  /** Attempts under way (ringing or talking). */
  get calling(): number {
    return this.active.size;
  }

  /** Takes up the store's unfinished tasks (after a restart; see `recoverTask`). */
  async load(): Promise<void> {
    const now = this.now();
    await this.purge();
    for (const row of await this.d.store.dialerTasks.unfinished()) {
      const task = await recoverTask(this.d.store.dialerTasks, row, now);
      if (task) this.pending.push({ ...task, order: ++this.order });
    }
  }

  /** Starts dialling (once the engine takes calls). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.purger = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.purger.unref();
    this.pump();
  }

  /** Dials no more; resolves once the attempts under way are over (a drain ends their calls). */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearInterval(this.purger);
    await Promise.all([...this.active.values()].map((a) => a.run));
  }

  /**
   * The manual's `pwd` for a call to `callee` with `code` (empty for IVR_TTS_CALL); `undefined` when the request
   * had none.
   */
  pwdAccepted(pwd: string | undefined, callee: string, code: string): boolean {
    return pwdAccepted(this.d.config.pwd, pwd, callee, code, this.now());
  }

  /** Queues a task (committed before the answer); the caller maps refusals to its opt's codes. */
  async submit(req: TaskRequest): Promise<SubmitOutcome> {
    const { control } = this.d;
    if (!control.engine || !control.registry.isAccepting)
      return refused('unavailable', 'no telephony engine, or the runtime is shutting down');
    if (!this.d.hasTrunk && !control.directory.isExtension(req.callee))
      return refused('no-route', `no trunk to reach ${req.callee}`);
    const invalid = await this.invalidTarget(req.job);
    if (invalid) return refused('invalid', invalid);
    if (this.pending.length >= this.d.config.maxQueued)
      return refused('queue-full', `${this.pending.length} tasks are waiting`);
    const taskId = req.taskId ?? randomUUID();
    const now = this.now();
    const dueAt = req.dueAt ?? now;
    const inserted = await this.d.store.dialerTasks.insert({
      taskId,
      kind: req.job.kind,
      token: req.token,
      callee: req.callee,
      job: JSON.stringify(req.job),
      now,
      dueAt,
    });
    if (inserted === 'duplicate') return refused('duplicate', `${req.token} was submitted before`);
    this.pending.push({ taskId, order: ++this.order, callee: req.callee, job: req.job, attempts: 0, dueAt });
    this.pump();
    return { queued: true, taskId };
  }

  /**
   * Changes a task not dialled yet (queued, no attempt made): its number, job and due time. `not-waiting` when it
   * is being dialled, was dialled before, or is finished or unknown.
   */
  async reschedule(
    taskId: string,
    change: { callee: string; job: Job; dueAt: number },
  ): Promise<'rescheduled' | 'not-waiting'> {
    const t = this.pending.find((p) => p.taskId === taskId);
    if (!t || t.attempts > 0) return 'not-waiting';
    // Out of the queue while the store changes, so the pump cannot dial the old version meanwhile.
    this.pending.splice(this.pending.indexOf(t), 1);
    try {
      const done = await this.d.store.dialerTasks.reschedule(taskId, {
        callee: change.callee,
        job: JSON.stringify(change.job),
        dueAt: change.dueAt,
        now: this.now(),
      });
      if (done) Object.assign(t, change);
      return done ? 'rescheduled' : 'not-waiting';
    } finally {
      this.pending.push(t);
      this.pump();
    }
  }

  /**
   * Deletes a task that is not being dialled (queued, waiting for a retry, or finished): `calling` when an
   * attempt is under way, `unknown` when there is no such task.
   */
  async remove(taskId: string): Promise<'removed' | 'calling' | 'unknown'> {
    if (this.active.has(taskId)) return 'calling';
    const at = this.pending.findIndex((p) => p.taskId === taskId);
    if (at >= 0) this.pending.splice(at, 1);
    return (await this.d.store.dialerTasks.remove(taskId)) ? 'removed' : 'unknown';
  }

  private async invalidTarget(job: Job): Promise<string | undefined> {
    const { directory } = this.d.control;
    if (job.kind === 'text') return undefined;
    if (job.kind === 'ivr-tts')
      return (await this.d.control.ivrFor(job.ivr)) ? undefined : `no published IVR ${job.ivr}`;
    if (job.extnum !== undefined && !directory.isExtension(job.extnum) && !directory.group(job.extnum))
      return `no extension or group ${job.extnum}`;
    return (await this.d.tones.toneFile(job.toneid)) ? undefined : `no tone ${job.toneid}`;
  }

  /** A task's state and collected variables (`name=value;…`), or undefined for an unknown token. */
  async status(
    kind: Job['kind'],
    token: string,
  ): Promise<{ state: TaskStateCode; vars: string } | undefined> {
    const t = await this.d.store.dialerTasks.get(kind, token);
    return t && { state: t.state, vars: t.result ?? '' };
  }

  /**
   * IVR_TTS_CALL_MONITOR: `queue` counts the dialer's customers waiting for an agent (held in a group's queue),
   * `playcount` those answered and hearing prompts (not with an agent).
   */
  monitor(): { queue: number; playcount: number } {
    let queue = 0;
    let playcount = 0;
    for (const a of this.active.values()) {
      const customer = a.call?.customer;
      if (!a.answered || a.handedOver || !customer || a.call?.isOver) continue;
      if (customer.status === 'held') queue++;
      else if (customer.status === 'talking') playcount++;
    }
    return { queue, playcount };
  }

  /** Starts every task that may go now; sets a timer for the next that will. */
  private pump(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pace.hasChannel(this.active.size) && this.d.control.registry.isAccepting) {
      const wait = this.pace.wait();
      if (wait > 0) return this.wakeIn(wait);
      const now = this.now();
      let next: Pending | undefined;
      let dueNext = Infinity;
      for (const t of this.pending) {
        if (t.dueAt > now) dueNext = Math.min(dueNext, t.dueAt);
        else if ((!next || t.order < next.order) && this.mayDial(t)) next = t;
      }
      if (!next) {
        if (dueNext < Infinity) this.wakeIn(dueNext - now);
        return;
      }
      this.pending.splice(this.pending.indexOf(next), 1);
      this.pace.take();
      this.launch(next);
    }
  }

  private wakeIn(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), Math.min(MAX_WAIT_MS, Math.max(1, ms)));
  }

  /** A task for agents goes only while its agents (or `precallcount`) can take one more customer. */
  private mayDial(t: Pending): boolean {
    if (t.job.kind !== 'captcha' || t.job.extnum === undefined) return true;
    const target = t.job.extnum;
    let inFlight = 0;
    for (const a of this.active.values())
      if (a.task.job.kind === 'captcha' && a.task.job.extnum === target && !a.handedOver) inFlight++;
    return mayPrecall(this.d.control, target, t.job.precallcount, inFlight);
  }

  private launch(task: Pending): void {
    const a: Active = { task, answered: false, handedOver: false, settled: false };
    this.active.set(task.taskId, a);
    a.run = this.runAttempt(a)
      .catch((err: unknown) =>
        this.d.control.log.error({ err, taskId: task.taskId }, 'dialer attempt failed'),
      )
      .finally(() => {
        this.active.delete(task.taskId);
        if (a.call) this.byCall.delete(a.call.callId);
        this.pump();
      });
  }

  private attemptDeps(): AttemptDeps {
    const { config, tts } = this.d;
    const leadIn = this.d.sounds.pathOf(config.fixedLine.leadIn);
    return {
      control: this.d.control,
      tones: this.d.tones,
      callerId: config.callerId,
      ringSec: config.ringSec,
      admit: (signal) => this.pace.admit(signal),
      now: this.now,
      prepare: tts ? (text) => tts.synthesize(text).then(noop, noop) : undefined,
      leadIn:
        config.fixedLine.answerSupervision || !leadIn
          ? undefined
          : { file: leadIn, seconds: config.fixedLine.leadInSec },
    };
  }

  private async runAttempt(a: Active): Promise<void> {
    const t = a.task;
    const { registry, log } = this.d.control;
    const tasks = this.d.store.dialerTasks;
    const callId = registry.newCallId();
    t.attempts += 1;
    // Committed before the INVITE: a crash from here on finds the task `calling`.
    await tasks.calling(t.taskId, { callid: callId, attempts: t.attempts, now: this.now() });
    // The IVR is looked up before the customer is dialled: a flow deleted meanwhile costs no call.
    const flow = t.job.kind === 'ivr-tts' ? await this.d.control.ivrFor(t.job.ivr) : undefined;
    const call = await registry.open({
      kind: 'outbound',
      caller: this.d.config.callerId,
      callee: t.callee,
      callId,
      flowId: flow?.flowId ?? null,
      flowVersion: flow?.version ?? null,
    });
    a.call = call;
    this.byCall.set(callId, a);
    this.prepareSpeech(t, flow);
    let end: AttemptEnd;
    try {
      end = await dialAttempt(this.attemptDeps(), call, t.callee, t.job, flow, async () => {
        a.answered = true;
        await tasks.answered(t.taskId, this.now());
      });
    } catch (err) {
      log.error({ err, callId, taskId: t.taskId }, 'dialer call failed');
      void call.finish('error', 'error');
      end = a.answered
        ? { answered: true, handedOver: false, result: call.result }
        : { answered: false, failure: 'failed' };
    }
    if (end.answered) {
      a.handedOver = end.handedOver;
      await this.settleAnswered(a, end.result, end.handedOver ? 'handed-over' : 'answered');
    } else await this.settleFailure(a, end.failure);
    // The trunk's channel stays taken until the customer's line is released.
    await call.ended;
  }

  /** Synthesises (into the TTS cache) what the call will say that is known now; failures show at play time. */
  private prepareSpeech(t: Pending, flow: RunnableFlow | undefined): void {
    const tts = this.d.tts;
    if (!tts) return;
    const speech =
      t.job.kind === 'captcha'
        ? captchaSources(undefined, t.job.code)
        : t.job.kind === 'text'
          ? [{ kind: 'tts' as const, text: t.job.content }]
          : flow
            ? knownSpeech(flow.document, { ...t.job.vars, caller: this.d.config.callerId, callee: t.callee })
            : [];
    for (const s of speech) if (s.kind === 'tts') void tts.synthesize(s.text, s.voice).catch(() => undefined);
  }

  /**
   * The call's end is committed before its legs are released: an answered task is finished in the same moment,
   * so no restart can find it unfinished once the customer heard the line drop.
   */
  private onCallEnded(ev: Extract<CallCenterEvent, { type: 'call.ended' }>): Promise<void> | undefined {
    const a = this.byCall.get(ev.call.callId);
    if (!a?.answered || a.settled) return undefined;
    return this.settleAnswered(a, ev.ending.result, 'answered');
  }

  private async settleAnswered(a: Active, result: string | null, why: string): Promise<void> {
    if (a.settled) return;
    a.settled = true;
    await finishAnswered(this.d.store.dialerTasks, a.task.taskId, result, why, this.now());
  }

  private async settleFailure(a: Active, failure: OriginateFailure): Promise<void> {
    a.settled = true;
    const retry = retryPolicyOf(a.task.job, this.d.config.retry);
    const what = await recordFailure(this.d.store.dialerTasks, retry, a.task, failure, {
      stopping: !this.running,
      now: this.now(),
    });
    if (what === 'requeued') this.pending.push(a.task);
  }

  private async purge(): Promise<void> {
    const before = this.now() - this.d.config.keepDays * 86_400_000;
    try {
      await this.d.store.dialerTasks.purgeFinished(before);
    } catch (err) {
      this.d.control.log.warn({ err }, 'cannot purge old dialer tasks');
    }
  }
}

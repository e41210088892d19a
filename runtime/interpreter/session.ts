// Runs one tns:vxml document on one call: enter `main`, run items in order, follow Next, end cleanly.
import type { Document, Form, Item } from '../../schema/ast.ts';
import type { CallLeg, Clock, HangupCause } from '../media/contract.ts';
import { ConfinedRoot } from '../files/confined-root.ts';
import type { CheckClientOptions } from './check-client.ts';
import type {
  Next,
  RecordingInfo,
  SessionContext,
  SessionSettings,
  TransferOutcome,
  TransferRequest,
} from './context.ts';
import { CONTINUE } from './context.ts';
import { handlerOf } from './elements/index.ts';
import { runMenu } from './elements/menu.ts';
import { resultString } from './result.ts';
import type { EndReason, TraceEvent, TraceEventBody } from './trace.ts';

export type { TransferOutcome, TransferRequest, TransferStatus, RecordingInfo } from './context.ts';
export type { CheckClientOptions } from './check-client.ts';
export type { EndReason, TraceEvent } from './trace.ts';

export const ENTRY_FORM = 'main';
export const DEFAULT_MAX_STEPS = 10_000;
export const DEFAULT_MAX_NO_INPUT_TURNS = 20;

export interface SessionOptions {
  document: Document;
  leg: CallLeg;
  clock: Clock;
  /** `[FILE_PATH]` resolves here; audio paths must not leave it. */
  soundRoot: string;
  /** Initial variables (`tts*` of IVR_TTS_CALL, `code` of CAPTCHA calls…); `caller`, `callee`, `callid` win. */
  vars?: Record<string, string>;
  check?: CheckClientOptions;
  onTrace?: (ev: TraceEvent) => void;
  /** Transfers the call; absent -> a transfer fails with status `failed` and the flow goes on. */
  transfer?: (dest: string, req: TransferRequest) => Promise<TransferOutcome>;
  /** Where `<tns:record>` writes; absent -> record is an E_RECORD error in the trace and the flow goes on. */
  recordingsDir?: string;
  onRecording?: (rec: RecordingInfo) => unknown;
  /** Items run per call before it ends with `step-budget`; default 10 000. */
  maxSteps?: number;
  /** Consecutive input waits without input before the call ends with `no-input-budget`; default 20. */
  maxNoInputTurns?: number;
  /** Abort = hang up and end cleanly (`aborted`). */
  signal?: AbortSignal;
  /**
   * Leave the leg up when the session ends: its owner hangs it up (the call center commits the call log first, so
   * the row is final before the caller hears the line drop). Default: the session hangs up.
   */
  leaveLegUp?: boolean;
}

export interface SessionResult {
  endReason: EndReason;
  vars: Record<string, string>;
  collected: [name: string, value: string][];
  /** `state=1;<name>=<value>;…` (see result.ts). */
  result: string;
  /** Items run. */
  steps: number;
}

class Session implements SessionContext {
  readonly document: Document;
  readonly leg: CallLeg;
  readonly clock: Clock;
  readonly settings: SessionSettings;
  readonly vars: Record<string, string> = Object.create(null) as Record<string, string>;
  readonly collected: [string, string][] = [];
  readonly signal: AbortSignal;
  form = ENTRY_FORM;
  noInputTurns = 0;
  steps = 0;
  private readonly forms = new Map<string, Form>();
  private readonly controller = new AbortController();
  private stop: EndReason | undefined;
  private readonly maxSteps: number;

  constructor(private readonly opts: SessionOptions) {
    this.document = opts.document;
    this.leg = opts.leg;
    this.clock = opts.clock;
    this.signal = this.controller.signal;
    this.maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
    this.settings = {
      sounds: new ConfinedRoot(opts.soundRoot),
      check: opts.check ?? {},
      transfer: opts.transfer,
      recordingsDir: opts.recordingsDir,
      onRecording: opts.onRecording,
      maxNoInputTurns: opts.maxNoInputTurns ?? DEFAULT_MAX_NO_INPUT_TURNS,
    };
    for (const f of opts.document.forms) if (!this.forms.has(f.id)) this.forms.set(f.id, f);
    Object.assign(this.vars, opts.vars, {
      caller: opts.leg.from,
      callee: opts.leg.to,
      callid: opts.leg.callId,
      input: '',
      input_checked: '',
    });
  }

  readonly onHangup = (ev: { cause: HangupCause; by: 'local' | 'remote' }): void => {
    // The engine gave up on a phone that went silent: say so, not just that we hung up.
    if (ev.by === 'local' && ev.cause === 'media-timeout') return this.halt('media-timeout');
    this.halt(ev.by === 'remote' ? 'caller-hangup' : 'hangup');
  };

  readonly onAbort = (): void => this.halt('aborted');

  private halt(reason: EndReason): void {
    if (this.stop) return;
    this.stop = reason;
    this.controller.abort();
  }

  stopReason(): EndReason | undefined {
    return this.stop;
  }

  emit(body: TraceEventBody, item?: string): void {
    if (!this.opts.onTrace) return;
    // `type` first, then where and when, then the event's own fields: readable JSON lines.
    const ev: Record<string, unknown> = {
      type: body.type,
      t: this.clock.now(),
      callId: this.leg.callId,
      form: this.form,
    };
    if (item !== undefined) ev.item = item;
    for (const key in body) ev[key] = body[key as keyof TraceEventBody];
    this.opts.onTrace(ev as unknown as TraceEvent);
  }

  /** Counts a step; false once the budget is spent (traced as E_STEP_BUDGET). */
  private step(path: string): boolean {
    if (this.steps < this.maxSteps) {
      this.steps++;
      return true;
    }
    this.emit(
      { type: 'error', code: 'E_STEP_BUDGET', message: `step budget of ${this.maxSteps} items spent` },
      path,
    );
    return false;
  }

  async runItems(items: Item[], basePath: string): Promise<Next> {
    for (const [i, item] of items.entries()) {
      if (this.stop) return { kind: 'end', reason: this.stop };
      if (item.type === 'comment') continue;
      const path = basePath === '' ? String(i) : `${basePath}/${i}`;
      if (!this.step(path)) return { kind: 'end', reason: 'step-budget' };
      const next = await handlerOf(item)(this, item, path);
      if (next.kind !== 'continue') return next;
    }
    return this.stop ? { kind: 'end', reason: this.stop } : CONTINUE;
  }

  private async runForm(form: Form): Promise<Next> {
    this.form = form.id;
    this.emit({ type: 'form.enter', kind: form.kind });
    if (form.kind === 'menu')
      return this.step('') ? runMenu(this, form) : { kind: 'end', reason: 'step-budget' };
    return this.runItems(form.items, '');
  }

  /** The form loop; a form that ends without a transition ends the call. */
  async run(): Promise<EndReason> {
    if (this.leg.state === 'ended') return 'caller-hangup';
    if (this.leg.state !== 'answered') await this.leg.answer();
    let id = ENTRY_FORM;
    while (true) {
      const form = this.forms.get(id);
      if (!form) {
        this.emit({ type: 'error', code: 'E_GOTO_TARGET', message: `no form with id '${id}'` });
        return 'error';
      }
      const next = await this.runForm(form);
      if (next.kind === 'continue') return this.stop ?? 'end-of-document';
      if (next.kind === 'end') return next.reason;
      id = next.form;
    }
  }

  async finish(reason: EndReason): Promise<SessionResult> {
    if (reason !== 'transferred' && this.leg.state !== 'ended' && !this.opts.leaveLegUp) {
      await this.leg.hangup(hangupCauseOf(reason)).catch(() => undefined);
    }
    if (reason !== 'transferred') this.emit({ type: 'hangup', reason });
    const result = resultString(this.collected);
    this.emit({ type: 'result', endReason: reason, result, steps: this.steps });
    return {
      endReason: reason,
      vars: { ...this.vars },
      collected: [...this.collected],
      result,
      steps: this.steps,
    };
  }
}

/** How the leg is hung up when a session ends for `reason`. */
export function hangupCauseOf(reason: EndReason): HangupCause {
  return reason === 'error' ? 'error' : reason === 'aborted' ? 'shutdown' : 'normal';
}

/** Runs a document on a call until it ends; never rejects (an internal failure ends with `error`). */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const session = new Session(opts);
  opts.leg.on('hangup', session.onHangup);
  opts.signal?.addEventListener('abort', session.onAbort);
  if (opts.signal?.aborted) session.onAbort();
  session.emit({ type: 'call.start', caller: opts.leg.from, callee: opts.leg.to, vars: { ...opts.vars } });
  let reason: EndReason;
  try {
    reason = session.stopReason() ?? (await session.run());
  } catch (err) {
    session.emit({
      type: 'error',
      code: 'E_INTERNAL',
      message: err instanceof Error ? err.message : String(err),
    });
    reason = 'error';
  }
  try {
    return await session.finish(reason);
  } finally {
    opts.leg.off('hangup', session.onHangup);
    opts.signal?.removeEventListener('abort', session.onAbort);
  }
}

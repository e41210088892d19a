// The one DTMF digit collector used by field and menu: prompt rounds, barge-in, `#`, length and timeouts.
import type { Prompt } from '../../schema/ast.ts';
import type { ClockTimer, DtmfEvent } from '../media/contract.ts';
import type { SessionContext } from './context.ts';
import { bargeinOf, playPrompt, playsOf } from './playback.ts';
import type { CollectReason } from './trace.ts';

export interface CollectSpec {
  prompts: { prompt: Prompt; path: string }[];
  /** Most digits (>= 1); reaching it ends collection. */
  max: number;
  /** Ms allowed after the prompts end and between digits. */
  timeoutMs: number;
  /** Keys that end input early and are not part of it (`#` for fields, none for menus). */
  terminators: string;
  /** Variable name, for the trace. */
  field?: string;
  path?: string;
}

export interface CollectOutcome {
  digits: string;
  reason: CollectReason;
}

/**
 * One collection. Keys are accepted while a barge-in prompt plays and during the waits after a round of
 * prompts; keys during a non-barge-in prompt, or before the first accepting moment, are dropped. The first
 * accepting moment is traced as `collect.start` (the scripted caller keys off it). Without input, round r
 * replays the prompts with more than r plays, then waits `timeoutMs` again; after the last round: no-input.
 */
class DigitCollector {
  private digits = '';
  private accepting = false;
  private started = false;
  private outcome: CollectOutcome | undefined;
  private timer: ClockTimer | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: SessionContext,
    private readonly spec: CollectSpec,
  ) {
    ctx.leg.on('dtmf', this.onDtmf);
    ctx.signal.addEventListener('abort', this.onAbort);
    if (ctx.signal.aborted) this.onAbort();
  }

  private readonly onDtmf = (ev: DtmfEvent): void => {
    if (!this.accepting || this.outcome) return;
    if (this.spec.terminators.includes(ev.digit)) return this.finish('terminator');
    this.digits += ev.digit;
    if (this.digits.length >= this.spec.max) this.finish('length');
    else if (this.timer !== undefined) this.arm();
  };

  private readonly onAbort = (): void => {
    this.finish(this.ctx.stopReason() === 'aborted' ? 'aborted' : 'hangup');
  };

  private finish(reason: CollectReason): void {
    if (this.outcome) return;
    this.outcome = { digits: this.digits, reason };
    this.accepting = false;
    this.disarm();
    this.wake?.();
  }

  private arm(): void {
    this.disarm();
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = undefined;
      this.wake?.();
    }, this.spec.timeoutMs);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private accept(): void {
    this.accepting = true;
    if (this.started) return;
    this.started = true;
    const { field, max, timeoutMs, path } = this.spec;
    this.ctx.emit({ type: 'collect.start', field, max, timeoutMs }, path);
  }

  /** Waits until the timer expires (re-armed by each digit) or collection finishes. */
  private waitInput(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
      this.arm();
    });
  }

  private async playRound(round: number): Promise<void> {
    for (const { prompt, path } of this.spec.prompts) {
      if (this.outcome || this.digits !== '') return;
      if (round >= playsOf(prompt)) continue;
      if (bargeinOf(prompt)) this.accept();
      else this.accepting = false;
      await playPrompt(this.ctx, prompt, path, round + 1);
      this.accepting = false;
    }
  }

  async run(): Promise<CollectOutcome> {
    const rounds = Math.max(1, ...this.spec.prompts.map((p) => playsOf(p.prompt)));
    for (let round = 0; round < rounds && !this.outcome; round++) {
      await this.playRound(round);
      if (this.outcome) break;
      this.accept();
      await this.waitInput();
      if (!this.outcome && this.digits !== '') this.finish('timeout');
    }
    this.finish('no-input');
    return this.outcome as CollectOutcome;
  }

  dispose(): void {
    this.disarm();
    this.ctx.leg.off('dtmf', this.onDtmf);
    this.ctx.signal.removeEventListener('abort', this.onAbort);
  }
}

/** Collects digits; traces `collect.start` (when keys are first accepted) and `collect.end`. */
export async function collect(ctx: SessionContext, spec: CollectSpec): Promise<CollectOutcome> {
  const collector = new DigitCollector(ctx, spec);
  let outcome: CollectOutcome;
  try {
    outcome = await collector.run();
  } finally {
    collector.dispose();
  }
  ctx.emit(
    { type: 'collect.end', field: spec.field, digits: outcome.digits, reason: outcome.reason },
    spec.path,
  );
  return outcome;
}

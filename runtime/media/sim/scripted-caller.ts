// A scripted caller for the simulator: at each input wait it presses the next turn's keys, lets the wait time
// out, or hangs up.
import type { Clock, ClockTimer } from '../contract.ts';
import type { SimLeg } from './sim-leg.ts';

/** One turn of a keys script: the keys pressed at one input wait, then maybe a hang-up. */
export interface KeyTurn {
  keys: string;
  hangup: boolean;
}

const KEYS = /^[0-9*#A-D]*$/;

/**
 * Parses a keys script: comma-separated turns; a turn is keys (`0-9 * # A-D`), `_` (press nothing: let the
 * wait time out) or empty (same), optionally ending with `!` (hang up after the keys). Throws on bad input.
 */
export function parseKeyScript(script: string): KeyTurn[] {
  if (script.trim() === '') return [];
  return script.split(',').map((raw, i) => {
    let text = raw.trim().toUpperCase();
    const hangup = text.endsWith('!');
    if (hangup) text = text.slice(0, -1);
    if (text === '_') text = '';
    if (!KEYS.test(text))
      throw new Error(`keys script turn ${i + 1} ('${raw}'): use 0-9 * # A-D, '_' or a final '!'`);
    return { keys: text, hangup };
  });
}

export interface ScriptedCallerOptions {
  /** Virtual ms from the start of the wait to the first key; default 200. */
  firstKeyDelayMs?: number;
  /** Virtual ms between keys (and before a hang-up); default 200. */
  gapMs?: number;
}

/**
 * Feed it the session's trace events (`onTrace`). On each `collect.start` (the moment keys are accepted) it
 * plays the next turn; on `collect.end` it drops keys of the turn not yet pressed (a hang-up stays due). When
 * the turns run out the caller stays silent. It stops by itself when the leg ends.
 */
export class ScriptedCaller {
  private readonly turns: KeyTurn[];
  private readonly firstDelay: number;
  private readonly gap: number;
  private keyTimers: ClockTimer[] = [];
  private hangupTimer: ClockTimer | undefined;
  private readonly onHangup = (): void => this.stop();

  constructor(
    private readonly leg: SimLeg,
    private readonly clock: Clock,
    script: string | KeyTurn[],
    opts: ScriptedCallerOptions = {},
  ) {
    this.turns = typeof script === 'string' ? parseKeyScript(script) : [...script];
    this.firstDelay = opts.firstKeyDelayMs ?? 200;
    this.gap = opts.gapMs ?? 200;
    leg.on('hangup', this.onHangup);
  }

  /** Turns not yet played. */
  get remainingTurns(): number {
    return this.turns.length;
  }

  onTrace(ev: { type: string }): void {
    if (ev.type === 'collect.start') this.playTurn();
    else if (ev.type === 'collect.end') this.dropKeys();
  }

  private playTurn(): void {
    const turn = this.turns.shift();
    if (!turn) return;
    let at = this.firstDelay;
    for (const key of turn.keys) {
      this.keyTimers.push(this.clock.setTimeout(() => this.leg.pressKeys(key), at));
      at += this.gap;
    }
    if (turn.hangup) {
      const delay = turn.keys.length > 0 ? at : this.firstDelay;
      this.hangupTimer = this.clock.setTimeout(() => this.leg.hangupFromCaller(), delay);
    }
  }

  private dropKeys(): void {
    for (const t of this.keyTimers) this.clock.clearTimeout(t);
    this.keyTimers = [];
  }

  /** Cancels everything still scheduled and stops listening to the leg. */
  stop(): void {
    this.dropKeys();
    if (this.hangupTimer !== undefined) this.clock.clearTimeout(this.hangupTimer);
    this.hangupTimer = undefined;
    this.leg.off('hangup', this.onHangup);
  }
}

// What an element handler sees of its session: the call, variables, trace, limits; and what it returns (Next).
import type { Document, Item } from '../../schema/ast.ts';
import { HANGUP_TARGET, targetId } from '../../schema/ast.ts';
import type { CallLeg, Clock } from '../media/contract.ts';
import type { ConfinedRoot } from '../files/confined-root.ts';
import type { CheckClientOptions } from './check-client.ts';
import type { EndReason, TraceEventBody } from './trace.ts';

/** Where execution goes after an item: on to the next item, to another form, or the end of the call. */
export type Next = { kind: 'continue' } | { kind: 'goto'; form: string } | { kind: 'end'; reason: EndReason };

export const CONTINUE: Next = Object.freeze({ kind: 'continue' });

/** How a `<tns:transfer>` went; `transferred` ends the session, anything else continues with the next item. */
export type TransferStatus =
  'transferred' | 'busy' | 'not-found' | 'unavailable' | 'no-answer' | 'failed' | 'cancelled';

export interface TransferOutcome {
  status: TransferStatus;
  detail?: string;
}

export interface TransferRequest {
  /** Seconds to ring the destination (`timeout` attribute, default 30). */
  timeoutSec: number;
  /** Aborted when the caller hangs up or the session is aborted. */
  signal: AbortSignal;
}

export interface RecordingInfo {
  name: string;
  path: string;
  durationMs: number;
  public: boolean;
  /** The caller's last IVR input before the message (`input`; empty when none was collected). */
  ivrInput: string;
}

/** Session settings element handlers read (a subset of SessionOptions). */
export interface SessionSettings {
  /** The sound root `[FILE_PATH]` stands for; audio never leaves it. */
  sounds: ConfinedRoot;
  check: CheckClientOptions;
  transfer?: (dest: string, req: TransferRequest) => Promise<TransferOutcome>;
  recordingsDir?: string;
  /** Told of each message recorded; the session waits for it (a voicemail's row is kept before the call ends). */
  onRecording?: (rec: RecordingInfo) => unknown;
  maxNoInputTurns: number;
}

export interface SessionContext {
  readonly document: Document;
  readonly leg: CallLeg;
  readonly clock: Clock;
  readonly settings: SessionSettings;
  /** Every variable is a string; `Object.create(null)`, so names like `constructor` are plain variables. */
  readonly vars: Record<string, string>;
  /** Named fields in the order they were collected (every collection, including repeats). */
  readonly collected: [name: string, value: string][];
  /** Aborted when the caller hangs up or the session is aborted; every wait listens to it. */
  readonly signal: AbortSignal;
  /** Id of the form being run. */
  readonly form: string;
  /** Consecutive input waits that ended with no input. */
  noInputTurns: number;
  /** Why the session must stop now (caller hang-up or abort), or undefined while it may go on. */
  stopReason(): EndReason | undefined;
  /** Adds an event to the trace (time, call id and form are filled in). */
  emit(body: TraceEventBody, item?: string): void;
  /** Runs nested items (a branch of an `if`) with the session's step budget. */
  runItems(items: Item[], basePath: string): Promise<Next>;
}

/** A handler for one element type. `path` is the item's path in its form (for the trace). */
export type ElementHandler<I extends Item = Item> = (
  ctx: SessionContext,
  item: I,
  path: string,
) => Promise<Next>;

/** Reads a variable for expressions and `${var}` templates. */
export function lookup(ctx: SessionContext): (name: string) => string | undefined {
  return (name) => ctx.vars[name];
}

/** The Next of a `next` value: `hungup` ends the call, `#id` goes to a form; anything else is an error. */
export function nextOf(ctx: SessionContext, next: string, path: string): Next {
  if (next === HANGUP_TARGET) return { kind: 'end', reason: 'hangup' };
  const id = targetId(next);
  if (id !== undefined) return { kind: 'goto', form: id };
  ctx.emit({ type: 'error', code: 'E_GOTO_TARGET', message: `bad next value '${next}'` }, path);
  return { kind: 'end', reason: 'error' };
}

/** The end of the session when the caller hung up or it was aborted during a wait. */
export function stopped(ctx: SessionContext): Next | undefined {
  const reason = ctx.stopReason();
  return reason ? { kind: 'end', reason } : undefined;
}

/** Counts a no-input turn (or resets the count); ends the session once `maxNoInputTurns` are consecutive. */
export function countInputTurn(ctx: SessionContext, gotInput: boolean, path?: string): Next {
  ctx.noInputTurns = gotInput ? 0 : ctx.noInputTurns + 1;
  if (ctx.noInputTurns < ctx.settings.maxNoInputTurns) return CONTINUE;
  ctx.emit(
    {
      type: 'error',
      code: 'E_NO_INPUT_BUDGET',
      message: `${ctx.noInputTurns} input waits in a row without input`,
    },
    path,
  );
  return { kind: 'end', reason: 'no-input-budget' };
}

/** Records a value collected into a named variable; `input` and `default` stay out of the result. */
export function recordCollected(ctx: SessionContext, name: string | undefined, value: string): void {
  if (!name) return;
  ctx.vars[name] = value;
  if (name !== 'input' && name !== 'default') ctx.collected.push([name, value]);
}

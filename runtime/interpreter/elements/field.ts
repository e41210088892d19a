// <tns:field>: plays its prompts, collects DTMF into `input` and `<name>`, then calls its `check` URL.
import type { Field, Prompt } from '../../../schema/ast.ts';
import { CHECK_ERROR, checkRequestUrl, requestCheck } from '../check-client.ts';
import { collect } from '../collector.ts';
import {
  countInputTurn,
  recordCollected,
  stopped,
  type ElementHandler,
  type Next,
  type SessionContext,
} from '../context.ts';
import { playOnly } from '../playback.ts';

export const DEFAULT_INPUTEXPIRES_MS = 5000;
/** Most digits when `length` is absent: enough for any phone number; `#` or the timeout ends shorter input. */
export const DEFAULT_LENGTH = 32;

/** The field's prompts with their trace paths (comments skipped). */
export function promptsOf(item: Field, path: string): { prompt: Prompt; path: string }[] {
  const out: { prompt: Prompt; path: string }[] = [];
  item.prompts.forEach((p, i) => {
    if (p.type === 'prompt') out.push({ prompt: p, path: `${path}/prompt/${i}` });
  });
  return out;
}

/** A clock that can keep virtual time still while real work (an HTTP request) is pending. */
interface HoldingClock {
  hold(): () => void;
}

function holdClock(ctx: SessionContext): () => void {
  const clock = ctx.clock as Partial<HoldingClock>;
  return typeof clock.hold === 'function' ? clock.hold() : () => undefined;
}

/** Calls the check URL with the input; sets `input_checked` and `<name>_checked` to its answer or CHECK_ERROR. */
async function runCheck(
  ctx: SessionContext,
  item: Field,
  check: string,
  input: string,
  path: string,
): Promise<void> {
  const v = ctx.vars;
  const params = {
    input,
    caller: v.caller,
    callee: v.callee,
    callid: v.callid,
    form: ctx.form,
    field: item.name ?? '',
  };
  const url = checkRequestUrl(check, params);
  ctx.emit({ type: 'check.request', url }, path);
  const release = holdClock(ctx);
  let outcome;
  try {
    outcome = await requestCheck(url, ctx.settings.check, ctx.signal);
  } finally {
    release();
  }
  const value = outcome.ok ? outcome.body : CHECK_ERROR;
  const { latencyMs } = outcome;
  if (outcome.ok) {
    ctx.emit(
      { type: 'check.response', url, status: outcome.status, body: outcome.body, latencyMs, value },
      path,
    );
  } else {
    const { code: error, message, status } = outcome;
    ctx.emit({ type: 'check.response', url, status, latencyMs, error, message, value }, path);
  }
  setChecked(ctx, item, value);
}

function setChecked(ctx: SessionContext, item: Field, value: string): void {
  ctx.vars.input_checked = value;
  if (item.name && item.name !== 'input') ctx.vars[`${item.name}_checked`] = value;
}

export const field: ElementHandler<Field> = async (ctx, item, path): Promise<Next> => {
  const prompts = promptsOf(item, path);
  const max = item.length ?? DEFAULT_LENGTH;
  if (max <= 0) {
    // Play-only: the preset `value` goes into `<name>`; nothing is collected or checked.
    if (item.name && item.value !== undefined) ctx.vars[item.name] = item.value;
    return playOnly(ctx, prompts);
  }
  const timeoutMs = item.inputexpires ?? DEFAULT_INPUTEXPIRES_MS;
  const outcome = await collect(ctx, { prompts, max, timeoutMs, terminators: '#', field: item.name, path });
  const stop = stopped(ctx);
  if (stop) return stop;
  ctx.vars.input = outcome.digits;
  recordCollected(ctx, item.name, outcome.digits);
  if (item.check && outcome.digits !== '') await runCheck(ctx, item, item.check, outcome.digits, path);
  else setChecked(ctx, item, '');
  return stopped(ctx) ?? countInputTurn(ctx, outcome.digits !== '' || outcome.reason === 'terminator', path);
};

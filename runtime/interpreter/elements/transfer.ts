// <tns:transfer dest timeout/> (extension): hands the call to an extension, a group or an external number.
import type { Transfer } from '../../../schema/ast.ts';
import { interpolate } from '../../../schema/expr.ts';
import { CONTINUE, lookup, stopped, type ElementHandler, type TransferOutcome } from '../context.ts';

export const DEFAULT_TRANSFER_TIMEOUT_SEC = 30;

/**
 * A transfer that succeeds ends the session (`transferred`; the call center now owns the leg). One that fails,
 * or a session without a transfer handler, sets `transfer_status` and continues with the next item, so a flow
 * can say "all agents are busy" and take a voicemail.
 */
export const transfer: ElementHandler<Transfer> = async (ctx, item, path) => {
  const dest = interpolate(item.dest, lookup(ctx));
  let outcome: TransferOutcome;
  const handler = ctx.settings.transfer;
  if (!handler) {
    outcome = { status: 'failed', detail: 'no transfer handler in this session' };
  } else {
    try {
      const timeoutSec = item.timeout ?? DEFAULT_TRANSFER_TIMEOUT_SEC;
      outcome = await handler(dest, { timeoutSec, signal: ctx.signal });
    } catch (err) {
      outcome = { status: 'failed', detail: err instanceof Error ? err.message : String(err) };
    }
  }
  ctx.vars.transfer_status = outcome.status;
  const detail = outcome.detail === undefined ? {} : { detail: outcome.detail };
  ctx.emit({ type: 'transfer', dest, status: outcome.status, ...detail }, path);
  if (outcome.status === 'transferred') return { kind: 'end', reason: 'transferred' };
  return stopped(ctx) ?? CONTINUE;
};

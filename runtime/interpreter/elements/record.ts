// <tns:record name maxtime public beep/> (extension): records the caller (voicemail) into the session's
// recordings directory (the call center's voicemail root).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Record as RecordItem } from '../../../schema/ast.ts';
import { CONTINUE, stopped, type ElementHandler } from '../context.ts';

export const DEFAULT_MAXTIME_SEC = 60;

/** A file name from the call id and variable name: only `[A-Za-z0-9._-]`, so it cannot leave the directory. */
function fileName(callId: string, name: string, at: number): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `${safe(callId)}-${safe(name)}-${at}.wav`;
}

/**
 * Records until `#`, `maxtime` or the hang-up (a message left before hanging up is kept); sets `<name>` to the
 * file path. Without a recordings directory the step is an E_RECORD error in the trace and the call goes on.
 */
export const record: ElementHandler<RecordItem> = async (ctx, item, path) => {
  const dir = ctx.settings.recordingsDir;
  if (!dir) {
    ctx.emit({ type: 'error', code: 'E_RECORD', message: 'no recordings directory in this session' }, path);
    ctx.emit({ type: 'record', name: item.name, reason: 'unavailable' }, path);
    return CONTINUE;
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, fileName(ctx.leg.callId, item.name, ctx.clock.now()));
  const maxSeconds = item.maxtime ?? DEFAULT_MAXTIME_SEC;
  const result = await ctx.leg.record({
    path: file,
    maxSeconds,
    beep: item.beep ?? true,
    terminators: '#',
    signal: ctx.signal,
  });
  ctx.vars[item.name] = result.path;
  const { durationMs, reason } = result;
  ctx.emit({ type: 'record', name: item.name, path: result.path, durationMs, reason }, path);
  await ctx.settings.onRecording?.({
    name: item.name,
    path: result.path,
    durationMs,
    public: item.public ?? false,
    ivrInput: ctx.vars.input ?? '',
  });
  return stopped(ctx) ?? CONTINUE;
};

// Recordings on FreeSWITCH: uuid_record on the leg's channel, what the party says (`in`: RECORD_READ_ONLY) or
// both directions mixed; the runtime stops it at the time limit, on a terminator digit, an abort or the hangup.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordOptions, RecordResult } from '../contract.ts';
import { readWav } from '../audio/wav.ts';
import type { FreeswitchLeg } from './leg.ts';

const BEEP = 'tone_stream://%(250,0,1000)';

export async function recordLeg(leg: FreeswitchLeg, opts: RecordOptions): Promise<RecordResult> {
  const { path, maxSeconds, signal } = opts;
  const mix = opts.mix ?? 'in';
  const terminators = opts.terminators ?? (mix === 'in' ? '#' : '');
  if (!leg.hasMedia) return { reason: 'hungup', path, durationMs: 0 };
  await mkdir(dirname(path), { recursive: true });
  if (opts.beep) await leg.endpoint.execute('playback', BEEP).catch(() => undefined);
  if (!leg.hasMedia) return { reason: 'hungup', path, durationMs: 0 };
  const uuid = leg.uuid;
  await leg.api(`uuid_setvar ${uuid} RECORD_READ_ONLY ${mix === 'in'}`);
  await leg.api(`uuid_record ${uuid} start ${path}`);
  const reason = await until(leg, maxSeconds, terminators, signal);
  if (leg.hasMedia) {
    await leg.api(`uuid_record ${uuid} stop ${path}`).catch(() => undefined);
    await leg.api(`uuid_setvar ${uuid} RECORD_READ_ONLY false`).catch(() => undefined);
  }
  return { reason, path, durationMs: await durationOf(path) };
}

/** Waits for what ends the recording first. */
function until(
  leg: FreeswitchLeg,
  maxSeconds: number,
  terminators: string,
  signal?: AbortSignal,
): Promise<RecordResult['reason']> {
  return new Promise((resolve) => {
    const finish = (reason: RecordResult['reason']): void => {
      clearTimeout(timer);
      leg.off('dtmf', onDtmf);
      leg.off('hangup', onHangup);
      signal?.removeEventListener('abort', onAbort);
      resolve(reason);
    };
    const onDtmf = (e: { digit: string }): void => {
      if (terminators.includes(e.digit)) finish('terminator');
    };
    const onHangup = (): void => finish('hungup');
    const onAbort = (): void => finish('aborted');
    const timer = setTimeout(() => finish('max-time'), maxSeconds * 1000);
    leg.on('dtmf', onDtmf);
    leg.on('hangup', onHangup);
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) finish('aborted');
  });
}

/** The length of what FreeSWITCH wrote (0 when it wrote nothing). */
async function durationOf(path: string): Promise<number> {
  try {
    const wav = readWav(await readFile(path));
    return Math.round((wav.samples.length / wav.sampleRate) * 1000);
  } catch {
    return 0;
  }
}

// Prompts on FreeSWITCH: each source is one `playback` on the leg's channel; barge-in follows the leg's `dtmf`
// events (the digit is still delivered to every listener) and stops the prompt with uuid_break.
import type { MediaSource, PlayOptions, PlayResult } from '../contract.ts';
import { conferenceOf } from '../conference-roster.ts';
import { playMusic } from './hold.ts';
import type { FreeswitchLeg } from './leg.ts';

type Outcome = { reason: PlayResult['reason']; digit?: string } | { failed: string };

/** Plays `sources` in turn; a source that cannot be played is reported in `errors` and skipped. */
export async function playSources(
  leg: FreeswitchLeg,
  sources: MediaSource[],
  opts: PlayOptions,
): Promise<PlayResult> {
  const errors: PlayResult['errors'] = [];
  for (const source of sources) {
    if (!leg.hasMedia) return { reason: 'hungup', errors };
    let path: string;
    try {
      path = await leg.ctx.files.pathOf(source);
    } catch (err) {
      errors.push({ source, message: (err as Error).message });
      continue;
    }
    const outcome = await playOne(leg, path, opts);
    if ('failed' in outcome) {
      errors.push({ source, message: outcome.failed });
      continue;
    }
    if (outcome.reason !== 'completed') return { ...outcome, errors };
  }
  return { reason: leg.hasMedia ? 'completed' : 'hungup', errors };
}

async function playOne(leg: FreeswitchLeg, path: string, { bargein, signal }: PlayOptions): Promise<Outcome> {
  if (signal?.aborted) return { reason: 'aborted' };
  let stop: { reason: 'interrupted' | 'aborted'; digit?: string } | undefined;
  const breakPlayback = (): void => void breakPrompt(leg).catch(() => undefined);
  const onDtmf = (e: { digit: string }): void => {
    if (!bargein || stop) return;
    stop = { reason: 'interrupted', digit: e.digit };
    breakPlayback();
  };
  const onAbort = (): void => {
    if (stop) return;
    stop = { reason: 'aborted' };
    breakPlayback();
  };
  // A digit that came before the playback really started: break it as soon as it does (this prompt's start, not
  // that of hold music nested in it).
  const onStart = (e: { file?: string }): void => {
    if (stop && e.file === path) breakPlayback();
  };
  const endpoint = leg.endpoint;
  leg.on('dtmf', onDtmf);
  signal?.addEventListener('abort', onAbort);
  endpoint.on('playback-start', onStart);
  leg.prompts++;
  try {
    const done = endpoint
      .execute('playback', path)
      .then((evt) => evt.getHeader('Application-Response') ?? '');
    const response = await Promise.race([done, leg.whenEnded.then(() => 'HUNGUP')]);
    if (!leg.hasMedia) return { reason: 'hungup' };
    if (stop) return stop;
    if (response === 'FILE NOT FOUND' || response === 'PLAYBACK ERROR') return { failed: response };
    return { reason: 'completed' };
  } catch (err) {
    if (!leg.hasMedia) return { reason: 'hungup' };
    return { failed: (err as Error).message };
  } finally {
    leg.prompts--;
    leg.off('dtmf', onDtmf);
    signal?.removeEventListener('abort', onAbort);
    endpoint.off('playback-start', onStart);
  }
}

/**
 * Stops the prompt. A held leg hears its music nested inside the paused prompt: uuid_break alone would end the
 * music instead, so everything is broken and the music started again.
 */
async function breakPrompt(leg: FreeswitchLeg): Promise<void> {
  const music = leg.hold_?.music;
  if (!music || conferenceOf(leg)) {
    await leg.api(`uuid_break ${leg.uuid}`);
    return;
  }
  await leg.api(`uuid_break ${leg.uuid} all`);
  if (leg.hold_?.music === music && leg.hasMedia) await playMusic(leg, music);
}

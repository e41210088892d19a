// The runtime's hold on FreeSWITCH: the held party hears music (nested in a running prompt, which pauses), its
// bridge is parked on both sides so neither hears the other, and in a conference it is muted and deafened.
import type { MediaSource } from '../contract.ts';
import { conferenceOf } from '../conference-roster.ts';
import { FreeswitchConference } from './conference.ts';
import type { FreeswitchLeg } from './leg.ts';

export interface HoldState {
  music: string;
}

/**
 * How many times the music file repeats in one playback: FreeSWITCH's endless_playback ignores uuid_break, so
 * hold plays one long file_string that uuid_break ends (a 3 s file lasts 30 minutes).
 */
const REPEATS = 600;

/** The file the held party hears: `music` (a file or TTS), or the engine's default. */
export async function holdMusicOf(leg: FreeswitchLeg, music?: MediaSource): Promise<string> {
  if (!music) return leg.ctx.holdMusic;
  return leg.ctx.files.pathOf(music);
}

/** A playback of `path` over and over. */
export function looped(path: string): string {
  return `file_string://${Array.from({ length: REPEATS }, () => path).join('!')}`;
}

export async function startHold(leg: FreeswitchLeg, music: string): Promise<void> {
  const wasHeld = leg.hold_ !== undefined;
  // Holding again with the same music changes nothing (and must not restart it).
  if (leg.hold_?.music === music) return;
  leg.hold_ = { music };
  const conf = conferenceOf(leg);
  if (conf instanceof FreeswitchConference) {
    await conf.holdMember(leg, music);
    return;
  }
  if (wasHeld) await leg.api(`uuid_break ${leg.uuid}`).catch(() => undefined);
  else if (leg.bridged && !leg.bridged.hold_) await leg.park(true);
  await leg.api(`uuid_broadcast ${leg.uuid} ${looped(music)} aleg`);
}

export async function stopHold(leg: FreeswitchLeg): Promise<void> {
  leg.hold_ = undefined;
  const conf = conferenceOf(leg);
  if (conf instanceof FreeswitchConference) {
    await conf.holdMember(leg, undefined);
    return;
  }
  await leg.api(`uuid_break ${leg.uuid}`).catch(() => undefined);
  const other = leg.bridged;
  if (other?.hasMedia && !other.hold_) await leg.api(`uuid_bridge ${leg.uuid} ${other.uuid}`);
}

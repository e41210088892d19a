// The runtime's hold on FreeSWITCH: the held party hears music (nested in a running prompt, which pauses), its
// bridge is parked on both sides so neither hears the other, and in a conference it is muted and deafened.
import type { MediaSource } from '../contract.ts';
import { conferenceOf } from '../conference-roster.ts';
import { FreeswitchConference } from './conference.ts';
import type { FreeswitchLeg } from './leg.ts';

export interface HoldState {
  music: string;
  /**
   * The music plays nested inside a running prompt, which it pauses. FreeSWITCH runs that prompt (executed over
   * the event socket) as a broadcast too, so uuid_break on the music stops the broadcast and everything under it,
   * the prompt included: nested music is stopped through its file handle instead, and the prompt goes on.
   */
  nested: boolean;
}

/** How long hold waits for nested music to start before it lets unhold stop it (it starts within a frame). */
const MUSIC_START_MS = 2000;

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
  // Holding again with the same music changes nothing (and must not restart it).
  if (leg.hold_?.music === music) return;
  const previous = leg.hold_;
  leg.hold_ = { music, nested: false };
  const conf = conferenceOf(leg);
  if (conf instanceof FreeswitchConference) {
    await conf.holdMember(leg, music);
    return;
  }
  if (previous) await stopMusic(leg, previous);
  else if (leg.bridged && !leg.bridged.hold_) await leg.park(true);
  await playMusic(leg, music);
}

/** Starts the hold music (nested in the prompt when one is playing, which then pauses). */
export async function playMusic(leg: FreeswitchLeg, music: string): Promise<void> {
  const nested = leg.prompting;
  if (leg.hold_?.music === music) leg.hold_.nested = nested;
  // Unhold stops nested music through the channel's current file handle: it must be the music's by then.
  const started = nested ? untilPlaybackStart(leg) : undefined;
  await leg.api(`uuid_broadcast ${leg.uuid} ${looped(music)} aleg`);
  await started;
}

/** Stops the music `hold` started; a prompt it paused goes on. */
async function stopMusic(leg: FreeswitchLeg, hold: HoldState): Promise<void> {
  if (!hold.nested) {
    await leg.api(`uuid_break ${leg.uuid}`).catch(() => undefined);
    return;
  }
  // `stop` ends the music's file where it is read; playback has read up to 2 s ahead into its own buffer, which a
  // seek empties. The music's playback then ends as a file that ran out, and the paused prompt resumes.
  await leg.api(`uuid_fileman ${leg.uuid} stop`).catch(() => undefined);
  await leg.api(`uuid_fileman ${leg.uuid} seek:+0`).catch(() => undefined);
}

function untilPlaybackStart(leg: FreeswitchLeg): Promise<void> {
  const endpoint = leg.endpoint;
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      endpoint.off('playback-start', done);
      resolve();
    };
    const timer = setTimeout(done, MUSIC_START_MS);
    endpoint.on('playback-start', done);
    void leg.whenEnded.then(done);
  });
}

export async function stopHold(leg: FreeswitchLeg): Promise<void> {
  const hold = leg.hold_;
  leg.hold_ = undefined;
  const conf = conferenceOf(leg);
  if (conf instanceof FreeswitchConference) {
    await conf.holdMember(leg, undefined);
    return;
  }
  if (hold) await stopMusic(leg, hold);
  const other = leg.bridged;
  if (other?.hasMedia && !other.hold_) await leg.api(`uuid_bridge ${leg.uuid} ${other.uuid}`);
}

// Where a CAPTCHA call's `toneid` (manual section 3: a voice-file id, section 24) is found. The tone-file
// repository (ToneFileSvlt) implements ToneFiles; until it is plugged in, a tone id names `tones/<id>.wav` in the
// sound root.
import type { ConfinedRoot } from '../../files/confined-root.ts';

export interface ToneFiles {
  /** The absolute path of the WAV of tone `id`, or undefined when there is no such tone. */
  toneFile(id: string): Promise<string | undefined>;
}

/** A tone id as the manual's clients send it (its example: `19`). */
export const TONE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Tones as files of the sound root: tone `19` is `tones/19.wav`. */
export function soundRootTones(sounds: ConfinedRoot): ToneFiles {
  return {
    toneFile: async (id) => {
      if (!TONE_ID.test(id)) return undefined;
      return (await sounds.open(`tones/${id}.wav`))?.file;
    },
  };
}

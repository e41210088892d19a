// Where a CAPTCHA call's `toneid` (manual section 3: a voice-file id, section 24) is found: the tone files that
// ToneFileSvlt manages (runtime/callcenter/tones/), by id.

export interface ToneFiles {
  /** The absolute path of the WAV of tone `id`, or undefined when there is no such tone. */
  toneFile(id: string): Promise<string | undefined>;
}

/** A tone id as the manual's clients send it (its example: `19`); ids that are not a tone file's answer 420. */
export const TONE_ID = /^[A-Za-z0-9_-]{1,64}$/;

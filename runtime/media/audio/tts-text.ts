// What the TTS engines are given to read: the text as written, except that long digit strings are spelled.

/** Digit strings of this length or more are read digit by digit. */
export const SPELL_DIGITS_FROM = 4;

const RUN = new RegExp(`\\d{${SPELL_DIGITS_FROM},}`, 'g');

/**
 * Spells every run of 4 or more ASCII digits one digit at a time ("493817" -> "4 9 3 8 1 7"), so verification
 * codes, phone numbers and order numbers are read as digits, not as one large number, by every engine and voice.
 * Shorter numbers ("3 items", "120") keep their ordinary reading.
 */
export function speakable(text: string): string {
  return text.replace(RUN, (digits) => ` ${digits.split('').join(' ')} `).trim();
}

// The result string of an IVR call (IVR_TTS_CALL_RESULT): `state=<code>;<name>=<value>;…`.

/** Call outcome code of a call whose IVR ran (the call center overrides it for calls that failed). */
export const STATE_ANSWERED = 1;

/**
 * `state=<code>` then every collected name in first-collected order with its last value. Names `input` and
 * `default` never appear (they are not business variables).
 */
export function resultString(collected: [string, string][], state: number = STATE_ANSWERED): string {
  const last = new Map<string, string>();
  for (const [name, value] of collected) {
    if (name === 'input' || name === 'default') continue;
    last.set(name, value);
  }
  return [`state=${state}`, ...[...last].map(([n, v]) => `${n}=${v}`)].join(';');
}

// The manual's result strings of dialer tasks: IVR_TTS_CALL_RESULT's `state=1;satisfact=8` (section 18).
import type { TaskStateCode } from '../store/dialer-tasks.ts';

/** The variables of an IVR result (`state=1;a=1;b=2` -> `a=1;b=2`); null when there are none. */
export function varsOf(result: string | null): string | null {
  if (!result) return null;
  const vars = result
    .split(';')
    .filter((pair) => pair !== '' && !pair.startsWith('state='))
    .join(';');
  return vars === '' ? null : vars;
}

/** `state=<code>` then the collected variables: what IVR_TTS_CALL_RESULT answers. */
export function ivrResult(state: TaskStateCode, vars: string): string {
  return vars === '' ? `state=${state}` : `state=${state};${vars}`;
}

// The manual's `pwd` (section 3; decisions.md "Security"): md5(secret + callee + code + yyyy-MM-dd) in the
// server's time zone, accepted for today and yesterday; `no` only when the configuration does not require one.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface PwdPolicy {
  /** The shared secret inside the hash; without one no digest can be right. */
  secret?: string;
  /** `no` (or no pwd at all where the opt has none) is refused. */
  required: boolean;
}

/** `yyyy-MM-dd` of a moment in the server's time zone. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** The digest a client sends: lower-case hex MD5 of the UTF-8 concatenation. */
export function pwdDigest(secret: string, callee: string, code: string, day: string): string {
  return createHash('md5').update(`${secret}${callee}${code}${day}`, 'utf8').digest('hex');
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * True when `pwd` may place a call to `callee` with `code` (empty when there is none) at `now`. `pwd` undefined
 * means the request had none (IVR_TTS_CALL, whose manual section has no pwd parameter).
 */
export function pwdAccepted(
  policy: PwdPolicy,
  pwd: string | undefined,
  callee: string,
  code: string,
  now: number,
) {
  if (pwd === undefined || pwd === 'no') return !policy.required;
  if (!policy.secret || !HEX32.test(pwd)) return false;
  const given = Buffer.from(pwd.toLowerCase(), 'latin1');
  // Yesterday too: a request signed just before midnight may arrive just after it.
  const days = [localDate(now), localDate(new Date(now).setDate(new Date(now).getDate() - 1))];
  let ok = false;
  for (const day of days)
    ok = timingSafeEqual(given, Buffer.from(pwdDigest(policy.secret, callee, code, day), 'latin1')) || ok;
  return ok;
}

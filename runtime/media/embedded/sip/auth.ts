// Digest authentication of extensions for REGISTER (401) and INVITE (407), with failure logs and per-source limits.
import { makeResponse } from './build.ts';
import { AuthFailures, DEFAULT_AUTH_FAILURE_LIMITS, type AuthFailureLimits } from './auth-failures.ts';
import { DigestChallenger, parseDigest } from './digest.ts';
import { header, type SipRequest, type SipResponse } from './message.ts';
import type { Peer } from './transport.ts';

export interface ExtensionAuthOptions {
  realm: string;
  /** The password of an extension, undefined for any other user. */
  passwordOf: (user: string) => string | undefined;
  nonceTtlMs?: number;
  limits?: AuthFailureLimits;
  /** Failed INVITE answers one call may give before it gets 403 (default 3). */
  inviteTries?: number;
  log?: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
  now?: () => number;
}

/** `ok`: the request proved `user`; otherwise `response` is the answer to send (challenge or 403). */
export type AuthOutcome =
  | { ok: true; user: string }
  | { ok: false; response: SipResponse; reason: 'challenge' | 'failed' | 'blocked' };

const BLOCKED_REASON = 'Forbidden (too many failed authentications)';
/** Calls whose failed INVITE answers are counted at once (a bounded table: Call-IDs are free to invent). */
const MAX_TRACKED_CALLS = 10_000;

export class ExtensionAuth {
  private readonly digest: DigestChallenger;
  private readonly failures: AuthFailures;
  private readonly inviteFailures = new Map<string, number>();

  constructor(private readonly opts: ExtensionAuthOptions) {
    const now = opts.now ?? Date.now;
    this.digest = new DigestChallenger(opts.realm, opts.nonceTtlMs, now);
    this.failures = new AuthFailures(opts.limits ?? DEFAULT_AUTH_FAILURE_LIMITS, now);
  }

  /** True while `address` is refused for having failed too often. */
  blocked(address: string): boolean {
    return this.failures.blocked(address);
  }

  /**
   * Checks the credentials of a REGISTER (Authorization) or an INVITE (Proxy-Authorization). Every request
   * without credentials gets the same challenge, whether or not its user exists, so that answers do not tell
   * which numbers are extensions.
   */
  check(req: SipRequest, peer: Peer, toTag: string): AuthOutcome {
    const proxy = req.method !== 'REGISTER';
    const source = `${peer.address}:${peer.port}`;
    if (this.failures.blocked(peer.address)) {
      this.opts.log?.debug({ source }, 'SIP request from a blocked source refused');
      return {
        ok: false,
        reason: 'blocked',
        response: makeResponse(req, 403, { toTag, reason: BLOCKED_REASON }),
      };
    }
    const value = header(req, proxy ? 'proxy-authorization' : 'authorization');
    if (!value) return { ok: false, reason: 'challenge', response: this.challenge(req, toTag, proxy, false) };
    const verdict = this.digest.verify(req.method, value, this.opts.passwordOf);
    if (verdict.ok) {
      if (proxy) this.inviteFailures.delete(header(req, 'call-id') ?? '');
      return { ok: true, user: verdict.username };
    }
    if (verdict.stale)
      return { ok: false, reason: 'challenge', response: this.challenge(req, toTag, proxy, true) };
    const user = parseDigest(value)?.username ?? '';
    this.opts.log?.warn(
      { source, user, method: req.method, reason: verdict.reason },
      'SIP authentication failed',
    );
    if (this.failures.record(peer.address)) {
      this.opts.log?.warn({ source: peer.address, user }, 'SIP source blocked after failed authentications');
      return {
        ok: false,
        reason: 'blocked',
        response: makeResponse(req, 403, { toTag, reason: BLOCKED_REASON }),
      };
    }
    if (proxy && this.tooManyTries(header(req, 'call-id') ?? '')) {
      return { ok: false, reason: 'failed', response: makeResponse(req, 403, { toTag }) };
    }
    return { ok: false, reason: 'failed', response: this.challenge(req, toTag, proxy, false) };
  }

  /** The 407 that asks an INVITE's caller to prove an extension. */
  challengeInvite(req: SipRequest, toTag: string): SipResponse {
    return this.challenge(req, toTag, true, false);
  }

  private challenge(req: SipRequest, toTag: string, proxy: boolean, stale: boolean): SipResponse {
    const name = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
    return makeResponse(req, proxy ? 407 : 401, { toTag, headers: { [name]: this.digest.challenge(stale) } });
  }

  /** Counts a failed INVITE answer of one call; true once the call used up its tries. */
  private tooManyTries(callId: string): boolean {
    const n = (this.inviteFailures.get(callId) ?? 0) + 1;
    this.inviteFailures.delete(callId);
    if (n >= (this.opts.inviteTries ?? 3)) return true;
    if (this.inviteFailures.size >= MAX_TRACKED_CALLS)
      this.inviteFailures.delete(this.inviteFailures.keys().next().value!);
    this.inviteFailures.set(callId, n);
    return false;
  }
}

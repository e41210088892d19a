// Digest checks of REGISTER and INVITE: same answer for every user, failures logged, per-source blocking.
import { describe, expect, it } from 'vitest';
import { AuthFailures } from '../../../../runtime/media/embedded/sip/auth-failures.ts';
import { ExtensionAuth } from '../../../../runtime/media/embedded/sip/auth.ts';
import { answerChallenge } from '../../../../runtime/media/embedded/sip/digest.ts';
import { header, parseMessage, type SipRequest } from '../../../../runtime/media/embedded/sip/message.ts';
import type { Peer } from '../../../../runtime/media/embedded/sip/transport.ts';

const phone: Peer = { transport: 'udp', address: '127.0.0.5', port: 5070 };
const other: Peer = { transport: 'udp', address: '127.0.0.6', port: 5070 };

function request(method: string, user: string, extra: string[] = [], callId = 'c1', seq = 1): SipRequest {
  const text = [
    `${method} sip:${method === 'REGISTER' ? '' : '900@'}127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.5:5070;branch=z9hG4bK${seq}${callId}`,
    `From: <sip:${user}@127.0.0.1>;tag=a`,
    `To: <sip:${method === 'REGISTER' ? user : '900'}@127.0.0.1>`,
    `Call-ID: ${callId}`,
    `CSeq: ${seq} ${method}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const res = parseMessage(Buffer.from(text));
  if (!res.ok || res.message.kind !== 'request') throw new Error('bad test request');
  return res.message;
}

/** The request answered with credentials for the challenge `auth` gives a bare one. */
function answered(
  auth: ExtensionAuth,
  method: string,
  user: string,
  password: string,
  opts: { callId?: string; from?: Peer } = {},
): SipRequest {
  const callId = opts.callId ?? 'c1';
  const first = auth.check(request(method, user, [], callId), opts.from ?? phone, 't');
  if (first.ok) throw new Error('no challenge');
  const proxy = method !== 'REGISTER';
  const challenge = header(first.response, proxy ? 'proxy-authenticate' : 'www-authenticate')!;
  const uri = request(method, user).uri;
  const value = answerChallenge(challenge, { username: user, password, method, uri })!;
  return request(method, user, [`${proxy ? 'Proxy-Authorization' : 'Authorization'}: ${value}`], callId, 2);
}

function make(limit = 3, now = (): number => Date.now()) {
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  const auth = new ExtensionAuth({
    realm: 'ivr',
    passwordOf: (u) => (u === '801' ? 'secret-801' : undefined),
    limits: { limit, windowMs: 60_000, blockMs: 300_000 },
    log: { warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }), debug: () => {} },
    now,
  });
  return { auth, warnings };
}

describe('ExtensionAuth', () => {
  it('challenges INVITEs with 407 and accepts the right answer as the extension', () => {
    const { auth } = make();
    const bare = auth.check(request('INVITE', '801'), phone, 't');
    expect(bare.ok || [bare.response.status, header(bare.response, 'proxy-authenticate')]).toEqual([
      407,
      expect.stringMatching(/^Digest realm="ivr", nonce="[^"]+", algorithm=MD5, qop="auth"$/),
    ]);
    expect(auth.check(answered(auth, 'INVITE', '801', 'secret-801'), phone, 't')).toEqual({
      ok: true,
      user: '801',
    });
  });

  it('logs each failure with source and user, and gives an INVITE 403 after three bad answers', () => {
    const { auth, warnings } = make(100);
    const statuses = [1, 2, 3].map((i) => {
      const r = auth.check(answered(auth, 'INVITE', '801', `guess-${i}`, { callId: 'call-x' }), phone, 't');
      return r.ok ? 200 : r.response.status;
    });
    expect(statuses).toEqual([407, 407, 403]);
    expect(warnings.map((w) => [w.msg, w.obj.source, w.obj.user, w.obj.method])).toEqual(
      Array(3).fill(['SIP authentication failed', '127.0.0.5:5070', '801', 'INVITE']),
    );
  });

  it('blocks a source after `limit` failures (403 even with the right password) but not other sources', () => {
    const { auth, warnings } = make(3);
    const bad = (): number => {
      const r = auth.check(answered(auth, 'REGISTER', '999', 'guess'), phone, 't');
      return r.ok ? 200 : r.response.status;
    };
    expect([bad(), bad(), bad()]).toEqual([401, 401, 403]);
    expect(warnings.at(-1)).toMatchObject({ msg: 'SIP source blocked after failed authentications' });
    const good = auth.check(answered(auth, 'REGISTER', '801', 'secret-801'), phone, 't');
    expect(good.ok || [good.response.status, good.response.reason]).toEqual([
      403,
      'Forbidden (too many failed authentications)',
    ]);
    const fromOther = answered(auth, 'REGISTER', '801', 'secret-801', { from: other });
    expect(auth.check(fromOther, other, 't')).toEqual({ ok: true, user: '801' });
  });
});

describe('AuthFailures', () => {
  it('counts failures inside the window only and lifts the block after blockMs', () => {
    let now = 0;
    const f = new AuthFailures({ limit: 3, windowMs: 1000, blockMs: 5000 }, () => now);
    expect([f.record('a'), f.record('a')]).toEqual([false, false]);
    now = 1500; // both earlier failures left the window
    expect([f.record('a'), f.record('a'), f.blocked('a')]).toEqual([false, false, false]);
    expect([f.record('a'), f.blocked('a'), f.blocked('b')]).toEqual([true, true, false]);
    now += 4999;
    expect(f.blocked('a')).toBe(true);
    now += 1;
    expect(f.blocked('a')).toBe(false);
  });

  it('never blocks with limit 0', () => {
    const f = new AuthFailures({ limit: 0, windowMs: 1000, blockMs: 5000 });
    for (let i = 0; i < 20; i++) f.record('a');
    expect(f.blocked('a')).toBe(false);
  });
});

// Digest authentication (server challenge vs client answer) and registrar rules: expiry bounds, unregister, events.
import { describe, expect, it } from 'vitest';
import {
  answerChallenge,
  DigestChallenger,
  parseDigest,
} from '../../../../runtime/media/embedded/sip/digest.ts';
import {
  header,
  parseMessage,
  type SipRequest,
  type SipResponse,
} from '../../../../runtime/media/embedded/sip/message.ts';
import { Registrar } from '../../../../runtime/media/embedded/sip/registrar.ts';
import type { Peer } from '../../../../runtime/media/embedded/sip/transport.ts';

const peer: Peer = { transport: 'udp', address: '127.0.0.1', port: 5099 };

function register(user: string, extra: string[], seq = 1): SipRequest {
  const text = [
    'REGISTER sip:127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK${seq}x`,
    `From: <sip:${user}@127.0.0.1>;tag=a`,
    `To: <sip:${user}@127.0.0.1>`,
    'Call-ID: reg-1',
    `CSeq: ${seq} REGISTER`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const res = parseMessage(Buffer.from(text));
  if (!res.ok || res.message.kind !== 'request') throw new Error('bad test request');
  return res.message;
}

function authorized(r: Registrar, user: string, password: string, extra: string[], seq = 2): SipRequest {
  const challenge = header(r.handle(register(user, extra, seq - 1), peer, 't'), 'www-authenticate')!;
  const auth = answerChallenge(challenge, {
    username: user,
    password,
    method: 'REGISTER',
    uri: 'sip:127.0.0.1',
  })!;
  return register(user, [...extra, `Authorization: ${auth}`], seq);
}

describe('digest', () => {
  it('accepts the right answer (qop=auth) and refuses a wrong password, with or without a proxy challenge', () => {
    const d = new DigestChallenger('ivr');
    const ok = answerChallenge(d.challenge(), {
      username: '801',
      password: 'pw',
      method: 'INVITE',
      uri: 'sip:x@y',
    })!;
    expect(parseDigest(ok)).toMatchObject({ username: '801', realm: 'ivr', qop: 'auth', nc: '00000001' });
    expect(d.verify('INVITE', ok, () => 'pw')).toEqual({ ok: true, username: '801' });
    expect(d.verify('INVITE', ok, () => 'other')).toMatchObject({ ok: false, stale: false });
    expect(d.verify('BYE', ok, () => 'pw')).toMatchObject({ ok: false });
    expect(d.verify('INVITE', ok, () => undefined)).toMatchObject({ ok: false, reason: 'unknown user' });
  });

  it('answers an RFC 2617 challenge without qop', () => {
    const v = answerChallenge('Digest realm="r", nonce="n1"', {
      username: 'u',
      password: 'p',
      method: 'INVITE',
      uri: 'sip:a@b',
    })!;
    // MD5(MD5(u:r:p):n1:MD5(INVITE:sip:a@b)), computed independently with md5sum
    expect(parseDigest(v)?.response).toBe('ad8ba0b11662900525c9892e1d794999');
    expect(parseDigest(v)).not.toHaveProperty('qop');
  });

  it('marks a correct answer to an expired nonce stale, and rejects forged nonces', () => {
    let now = 1_000_000;
    const d = new DigestChallenger('ivr', 1000, () => now);
    const ok = answerChallenge(d.challenge(), {
      username: '801',
      password: 'pw',
      method: 'REGISTER',
      uri: 'sip:h',
    })!;
    now += 5000;
    expect(d.verify('REGISTER', ok, () => 'pw')).toMatchObject({ ok: false, stale: true });
    const forged = ok.replace(/nonce="[^"]+"/, 'nonce="abc.def"');
    expect(d.verify('REGISTER', forged, () => 'pw')).toMatchObject({
      ok: false,
      stale: false,
      reason: 'nonce',
    });
  });
});

describe('Registrar', () => {
  const make = (): Registrar =>
    new Registrar({
      extensions: [
        { number: '801', password: 'pw' },
        { number: '802', password: 'pw2' },
      ],
      realm: 'ivr',
      minExpires: 60,
      maxExpires: 3600,
    });

  it('answers an unknown number exactly as an extension (401, then 401 for a wrong password), 403 for another user’s credentials', () => {
    const r = make();
    const contact = (u: string): string => `Contact: <sip:${u}@127.0.0.1:5099>`;
    const shape = (res: SipResponse): unknown => [
      res.status,
      res.reason,
      res.headers.map((h) => h.name),
      header(res, 'www-authenticate')?.replace(/nonce="[^"]+"/, ''),
    ];
    const unknown = r.handle(register('999', [contact('999')]), peer, 't');
    const known = r.handle(register('801', [contact('801')]), peer, 't');
    expect(shape(unknown)).toEqual(shape(known));
    expect(known.status).toBe(401);
    const wrongUnknown = r.handle(authorized(r, '999', 'guess', [contact('999')]), peer, 't');
    const wrongKnown = r.handle(authorized(r, '801', 'guess', [contact('801')]), peer, 't');
    expect(shape(wrongUnknown)).toEqual(shape(wrongKnown));
    expect(wrongKnown.status).toBe(401);
    const as802 = authorized(r, '802', 'pw2', ['Contact: <sip:801@127.0.0.1:5099>']);
    const to801 = {
      ...as802,
      headers: as802.headers.map((h) => (h.name === 'to' ? { ...h, value: '<sip:801@127.0.0.1>' } : h)),
    };
    expect(r.handle(to801, peer, 't').status).toBe(403);
    r.stop();
  });

  it('binds with Expires, clamps to max, refuses too brief (423 + Min-Expires), unbinds with 0 and *', () => {
    const r = make();
    const events: unknown[] = [];
    r.on('registration', (e) => events.push(e));
    const brief = r.handle(
      authorized(r, '801', 'pw', ['Contact: <sip:801@127.0.0.1:5099>', 'Expires: 10']),
      peer,
      't',
    );
    expect([brief.status, header(brief, 'min-expires')]).toEqual([423, '60']);
    const ok = r.handle(
      authorized(r, '801', 'pw', ['Contact: <sip:801@127.0.0.1:5099>;expires=99999']),
      peer,
      't',
    );
    expect(ok.status).toBe(200);
    expect(header(ok, 'contact')).toBe('<sip:801@127.0.0.1:5099>;expires=3600');
    expect(r.registrations()).toEqual([
      expect.objectContaining({ user: '801', contact: 'sip:801@127.0.0.1:5099', transport: 'udp' }),
    ]);
    expect(r.lookup('801')?.peer).toEqual(peer);
    const gone = r.handle(authorized(r, '801', 'pw', ['Contact: *', 'Expires: 0']), peer, 't');
    expect(gone.status).toBe(200);
    expect(r.registrations()).toEqual([]);
    expect(events).toEqual([
      { user: '801', registered: true },
      { user: '801', registered: false },
    ]);
    r.stop();
  });

  it('rejects a wrong password with a fresh challenge', () => {
    const r = make();
    const res = r.handle(authorized(r, '801', 'nope', ['Contact: <sip:801@127.0.0.1:5099>']), peer, 't');
    expect(res.status).toBe(401);
    expect(header(res, 'www-authenticate')).toMatch(/^Digest realm="ivr"/);
    r.stop();
  });
});

// HTTP digest authentication for SIP (RFC 2617 / RFC 7616, MD5, qop=auth): server challenges and client answers.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { splitList, unquote } from './message.ts';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** `Digest realm="x", nonce="y"` -> { realm: 'x', nonce: 'y' }; undefined if not a Digest header. */
export function parseDigest(value: string): Record<string, string> | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const part of splitList(m[1])) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim().toLowerCase()] = unquote(part.slice(eq + 1).trim());
  }
  return out;
}

function response(p: {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}): string {
  const ha1 = md5(`${p.username}:${p.realm}:${p.password}`);
  const ha2 = md5(`${p.method}:${p.uri}`);
  return p.qop
    ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`)
    : md5(`${ha1}:${p.nonce}:${ha2}`);
}

export type DigestVerdict = { ok: true; username: string } | { ok: false; stale: boolean; reason: string };

/** Issues and checks nonces without server state: a nonce is `time.hmac(time)` and expires after `nonceTtlMs`. */
export class DigestChallenger {
  private readonly secret = randomBytes(16);

  constructor(
    readonly realm: string,
    private readonly nonceTtlMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  challenge(stale = false): string {
    const t = this.now().toString(36);
    const nonce = `${t}.${this.sign(t)}`;
    return `Digest realm="${this.realm}", nonce="${nonce}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
  }

  private sign(t: string): string {
    return createHmac('sha256', this.secret).update(t).digest('base64url').slice(0, 22);
  }

  /** Checks an Authorization header; `passwordOf` returns undefined for unknown users. */
  verify(method: string, value: string, passwordOf: (user: string) => string | undefined): DigestVerdict {
    const p = parseDigest(value);
    if (!p?.username || !p.nonce || !p.response || !p.uri)
      return { ok: false, stale: false, reason: 'malformed' };
    if (p.realm !== this.realm) return { ok: false, stale: false, reason: 'realm' };
    if (p.algorithm && p.algorithm.toUpperCase() !== 'MD5')
      return { ok: false, stale: false, reason: 'algorithm' };
    const [t, sig] = p.nonce.split('.');
    if (!t || !sig || !safeEqual(sig, this.sign(t))) return { ok: false, stale: false, reason: 'nonce' };
    if (p.qop && (p.qop !== 'auth' || !p.nc || !p.cnonce)) return { ok: false, stale: false, reason: 'qop' };
    const password = passwordOf(p.username);
    // An unknown user costs the same work as a wrong password, so that timing does not tell extensions apart.
    const expected = response({
      ...p,
      username: p.username,
      realm: this.realm,
      password: password ?? this.secret.toString('hex'),
      method,
      uri: p.uri,
      nonce: p.nonce,
    });
    const matches = safeEqual(expected, p.response.toLowerCase());
    if (password === undefined) return { ok: false, stale: false, reason: 'unknown user' };
    if (!matches) return { ok: false, stale: false, reason: 'response' };
    // A correct answer to an old nonce is `stale`: the client retries with the new nonce without asking the user.
    if (this.now() - parseInt(t, 36) > this.nonceTtlMs) return { ok: false, stale: true, reason: 'stale' };
    return { ok: true, username: p.username };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The Authorization / Proxy-Authorization value answering a WWW-/Proxy-Authenticate challenge. */
export function answerChallenge(
  challenge: string,
  creds: { username: string; password: string; method: string; uri: string },
): string | undefined {
  const c = parseDigest(challenge);
  if (!c?.nonce || (c.algorithm && c.algorithm.toUpperCase() !== 'MD5')) return undefined;
  const realm = c.realm ?? '';
  const qop = c.qop
    ?.split(',')
    .map((q) => q.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const resp = response({ ...creds, realm, nonce: c.nonce, qop, nc, cnonce });
  const parts = [
    `username="${creds.username}"`,
    `realm="${realm}"`,
    `nonce="${c.nonce}"`,
    `uri="${creds.uri}"`,
    `response="${resp}"`,
    'algorithm=MD5',
  ];
  if (c.opaque !== undefined) parts.push(`opaque="${c.opaque}"`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(', ')}`;
}

// The outbound-URL policy: which check and webhook URLs the runtime may call (scheme, credentials, host lists).
import { isIP } from 'node:net';

export interface UrlPolicyOptions {
  /** Host patterns allowed (`example.com`, `*.example.com`, `10.0.0.5`, `*`); empty or absent = every host. */
  allow?: string[];
  /** Host patterns refused; checked before `allow`. */
  deny?: string[];
  /**
   * Allow loopback, private, link-local and unspecified addresses (IP literals and `localhost`).
   * Default true: integrators run their check services on the LAN or on the same machine. Host names are not
   * resolved here, so a strict deployment also sets `allow`.
   */
  allowPrivate?: boolean;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** Whether a host (already lower-case, IPv6 without brackets) matches a pattern. */
function hostMatches(host: string, pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return host.endsWith(p.slice(1));
  return host === p.replace(/^\[|\]$/g, '');
}

function ipv4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

function ipv6Private(ip: string): boolean {
  const v = ip.toLowerCase();
  if (v === '::1' || v === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (mapped) return ipv4Private(mapped[1]);
  return /^f[cd]/.test(v) || /^fe[89ab]/.test(v);
}

/** True for loopback, private (RFC 1918, ULA), link-local, CGNAT and unspecified hosts, and `localhost`. */
export function isPrivateHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const kind = isIP(host);
  if (kind === 4) return ipv4Private(host);
  if (kind === 6) return ipv6Private(host);
  return false;
}

export class UrlPolicy {
  private readonly allow: string[];
  private readonly deny: string[];
  private readonly allowPrivate: boolean;

  constructor(opts: UrlPolicyOptions = {}) {
    this.allow = opts.allow ?? [];
    this.deny = opts.deny ?? [];
    this.allowPrivate = opts.allowPrivate ?? true;
  }

  /** Decides whether `url` may be called; the reason names the rule that refused it. */
  check(url: string): UrlVerdict {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, reason: 'not a valid URL' };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { ok: false, reason: `scheme ${parsed.protocol.replace(/:$/, '')} is not allowed` };
    }
    if (parsed.username !== '' || parsed.password !== '') {
      return { ok: false, reason: 'credentials in the URL are not allowed' };
    }
    // `Example.COM.` and `example.com` are one host; IPv6 literals lose their brackets.
    const host = parsed.hostname
      .toLowerCase()
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '');
    if (this.deny.some((p) => hostMatches(host, p))) return { ok: false, reason: `host ${host} is denied` };
    if (this.allow.length > 0 && !this.allow.some((p) => hostMatches(host, p))) {
      return { ok: false, reason: `host ${host} is not in the allow list` };
    }
    if (!this.allowPrivate && isPrivateHost(host)) {
      return { ok: false, reason: `private address ${host} is not allowed` };
    }
    return { ok: true, url: parsed };
  }
}

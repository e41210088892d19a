// API authentication: loopback clients pass unless configured otherwise; others need a configured API key.
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v = address.toLowerCase().replace(/^::ffff:/, '');
  return v === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time membership test (hashing first makes the lengths equal). */
function keyMatches(given: string, keys: readonly Buffer[]): boolean {
  const d = digest(given);
  let found = false;
  for (const k of keys) found = timingSafeEqual(d, k) || found;
  return found;
}

export interface AuthOptions {
  apiKeys: readonly string[];
  loopbackOpen: boolean;
  /** Addresses or CIDR blocks that need no key (integrators' servers using the manual's `authtype=no`). */
  trustedClients?: readonly string[];
  /** How a refusal is answered (default: 401 with a JSON error, as the `/api` family answers). */
  refusal?: (c: Context, message: string) => Response;
  /** Where the client's address comes from; the socket's peer by default. */
  remoteAddress?: (c: Context) => string | undefined;
}

/**
 * Accepts `Authorization: Bearer <key>`, or `?access_token=<key>` for what a browser cannot put a header on
 * (`<audio src>`, WebSocket). Answers 401 with a JSON error otherwise.
 */
export function apiAuth(opts: AuthOptions): MiddlewareHandler {
  const keys = opts.apiKeys.map(digest);
  const remote = opts.remoteAddress ?? ((c: Context) => getConnInfo(c).remote.address);
  const trusted = blockListOf(opts.trustedClients ?? []);
  const refusal = opts.refusal ?? ((c: Context, error: string) => c.json({ error }, 401));
  return async (c, next) => {
    const address = remote(c);
    if (opts.loopbackOpen && isLoopback(address)) return next();
    if (
      address &&
      trusted.check(
        address.replace(/^::ffff:/, ''),
        isIP(address) === 6 && !address.startsWith('::ffff:') ? 'ipv6' : 'ipv4',
      )
    )
      return next();
    const header = c.req.header('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? c.req.query('access_token');
    if (bearer && keys.length > 0 && keyMatches(bearer, keys)) return next();
    c.header('WWW-Authenticate', 'Bearer');
    return refusal(c, bearer ? 'invalid API key' : 'API key required (Authorization: Bearer <key>)');
  };
}

/** A BlockList of addresses and CIDR blocks (`10.0.0.5`, `10.1.0.0/16`, `2001:db8::/32`). */
export function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

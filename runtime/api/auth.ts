// API authentication: loopback clients pass unless configured otherwise; others need a configured API key.
import { createHash, timingSafeEqual } from 'node:crypto';
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
  return async (c, next) => {
    if (opts.loopbackOpen && isLoopback(remote(c))) return next();
    const header = c.req.header('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? c.req.query('access_token');
    if (bearer && keys.length > 0 && keyMatches(bearer, keys)) return next();
    c.header('WWW-Authenticate', 'Bearer');
    return c.json(
      { error: bearer ? 'invalid API key' : 'API key required (Authorization: Bearer <key>)' },
      401,
    );
  };
}

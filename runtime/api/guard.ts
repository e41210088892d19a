// The request guard: refuses what only a hostile web page would send (foreign Host names, cross-site state changes).
import type { Context, MiddlewareHandler } from 'hono';

/** Always accepted in `Host`: a browser sends them only when it really talks to this machine. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The header the designer sends on every request; any client may send it to mark a POST as not a form post. */
export const REQUESTED_WITH = 'X-Requested-With';

/** How a refused request is answered. One function, so that a route family's own answer style can replace it. */
export type Refusal = (c: Context, status: 403 | 404, reason: string) => Response;

/** JSON `{ error }` under `/api` (like every API error); elsewhere the code and a reason as plain text. */
export const refuse: Refusal = (c, status, reason) => {
  c.header('X-Content-Type-Options', 'nosniff');
  return c.req.path === '/api' || c.req.path.startsWith('/api/')
    ? c.json({ error: reason }, status)
    : c.text(`${status}\n${reason}\n`, status);
};

export interface RequestGuardOptions {
  /**
   * Names accepted in `Host` besides {@link LOOPBACK_HOSTS}: `name` (any port), `name:port`, `*.domain` (its
   * subdomains), `[v6]`, or `*` (any: only behind a proxy that checks names itself).
   */
  allowedHosts?: readonly string[];
  /** Origins besides the runtime's own (`http(s)://` + the request's Host) whose pages may change state. */
  allowedOrigins?: readonly string[];
  /**
   * Paths (`/x` or `/x/*`) whose POSTs may be plain form posts: the manual's uploads, sent by integrators' servers
   * with no special header. A browser on another site is still refused there.
   */
  formPosts?: readonly string[];
  /** The answer to a refused request ({@link refuse} by default). */
  refusal?: Refusal;
  /** Told about every refusal (for the log; the answer never echoes what the client sent). */
  onRefused?: (refused: Refused) => void;
}

export interface Refused {
  status: number;
  reason: string;
  method: string;
  path: string;
  host?: string;
  origin?: string;
}

/** What `changesState()` needs from the guard in front of it; kept on the context. */
interface GuardPolicy {
  crossSite(c: Context): string | undefined;
  deny(c: Context, status: 403 | 404, reason: string): Response;
}

declare module 'hono' {
  interface ContextVariableMap {
    requestGuard: GuardPolicy;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Content types a cross-site `<form>` or a no-preflight `fetch` can send (the CORS-safelisted ones). */
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

interface HostPort {
  name: string;
  port?: string;
}

/** `name[:port]` or `[v6][:port]`, lower-cased; undefined for anything else (user info, paths, junk). */
export function parseHost(value: string): HostPort | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)(?::(\d{1,5}))?$/.exec(
    value.trim().toLowerCase(),
  );
  return m ? { name: m[1], ...(m[2] === undefined ? {} : { port: m[2] }) } : undefined;
}

/** True when `host` (a Host header value) matches one of the patterns of {@link RequestGuardOptions.allowedHosts}. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = parseHost(host);
  if (!h) return false;
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    const wildcard = pattern.startsWith('*.');
    const p = parseHost(wildcard ? pattern.slice(2) : pattern);
    if (!p || (p.port !== undefined && p.port !== h.port)) return false;
    return wildcard ? h.name.endsWith(`.${p.name}`) : h.name === p.name;
  });
}

/** The names a runtime listening on `listenHost` answers to: loopback, `listenHost` when specific, and `extra`. */
export function allowedHostsFor(listenHost: string, extra: readonly string[] = []): string[] {
  const wildcard = ['0.0.0.0', '::', '[::]', ''].includes(listenHost);
  const own = wildcard
    ? []
    : [listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost];
  return [...new Set([...LOOPBACK_HOSTS, ...own, ...extra].map((h) => h.toLowerCase()))];
}

/** The serialized origin of an `Origin` value or a configured origin, or undefined (`null`, junk, other schemes). */
export function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** True when a raw request target has a `.` or `..` segment (also as `%2e`, or between backslashes). */
export function hasDotSegment(target: string): boolean {
  const path = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/, 1)[0];
  return path.split(/[/\\]/).some((segment) => {
    const s = segment.replace(/%2e/gi, '.');
    return s === '.' || s === '..';
  });
}

/** The request target as the client sent it: the URL parser has already removed dot segments from `c.req.url`. */
function rawTarget(c: Context): string {
  const incoming = (c.env as { incoming?: { url?: string } } | undefined)?.incoming;
  return incoming?.url ?? new URL(c.req.url).pathname;
}

/** Why a browser on another site sent this request, or undefined when it did not (or no browser did). */
function crossSiteReason(c: Context, allowedOrigins: ReadonlySet<string>): string | undefined {
  const header = c.req.header('origin');
  if (header !== undefined) {
    const origin = originOf(header);
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    const own = [`http://${host}`, `https://${host}`].map(originOf);
    if (origin !== undefined && (own.includes(origin) || allowedOrigins.has(origin))) return undefined;
    return 'cross-site request refused (Origin not allowed: see http.allowedOrigins)';
  }
  // No Origin: a server, a navigation or a subresource. Browsers say which in Sec-Fetch-Site; servers send nothing.
  const site = c.req.header('sec-fetch-site');
  return site === 'cross-site' || site === 'same-site' ? 'cross-site request refused' : undefined;
}

/** True for a request a page on another site could not send without a CORS preflight (which is never granted). */
function notSimple(c: Context): boolean {
  if (c.req.header('authorization') !== undefined || c.req.header(REQUESTED_WITH) !== undefined) return true;
  const type = c.req.header('content-type');
  return type !== undefined && !SIMPLE_TYPES.has(type.split(';')[0].trim().toLowerCase());
}

function pathMatches(path: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('/*') ? path.startsWith(p.slice(0, -1)) : path === p));
}

/**
 * Request guard middleware. Refuses, before any route runs:
 * - a request target with `.`/`..` segments (404: they would otherwise be resolved before routing);
 * - a `Host` that is not the runtime's (403: a page on a rebound name such as `evil.example`);
 * - a state change from a page on another site (403): an unsafe method or a WebSocket upgrade with a foreign
 *   `Origin`, or without `Origin` but with `Sec-Fetch-Site: cross-site`/`same-site`;
 * - a POST a plain HTML form could send (403): it needs `Authorization`, `X-Requested-With` or a content type a
 *   form cannot send (`application/json`, `audio/wav`…), except on {@link RequestGuardOptions.formPosts}.
 *
 * Reads (GET, HEAD) pass once the host is right, so a cross-site link still opens a page. For routes that change
 * state even on GET, add {@link changesState} after the guard.
 *
 * @example
 * ```ts
 * const app = new Hono();
 * app.get('/healthz', (c) => c.text('ok')); // before the guard: probes use any name
 * app.use('*', requestGuard({ allowedHosts: ['ivr.example.com'], allowedOrigins: ['https://ivr.example.com'] }));
 * app.use('/bridge/callctrl', changesState());
 * ```
 */
export function requestGuard(opts: RequestGuardOptions = {}): MiddlewareHandler {
  const hosts = [...LOOPBACK_HOSTS, ...(opts.allowedHosts ?? [])];
  const origins = new Set((opts.allowedOrigins ?? []).map(originOf).filter((o) => o !== undefined));
  const refusal = opts.refusal ?? refuse;
  const policy: GuardPolicy = {
    crossSite: (c) => crossSiteReason(c, origins),
    deny: (c, status, reason) => {
      const { method, path } = c.req;
      opts.onRefused?.({
        status,
        reason,
        method,
        path,
        host: c.req.header('host'),
        origin: c.req.header('origin'),
      });
      return refusal(c, status, reason);
    },
  };
  return async (c, next) => {
    if (hasDotSegment(rawTarget(c))) return policy.deny(c, 404, 'not found');
    // Absolute-form targets name a host of their own; both it and the Host header must be ours.
    const urlHost = new URL(c.req.url).host;
    if (!hostAllowed(c.req.header('host') ?? urlHost, hosts) || !hostAllowed(urlHost, hosts)) {
      return policy.deny(c, 403, 'host name not allowed (see http.allowedHosts)');
    }
    c.set('requestGuard', policy);
    const upgrade = c.req.header('upgrade')?.toLowerCase() === 'websocket';
    const reason = upgrade || !SAFE_METHODS.has(c.req.method) ? policy.crossSite(c) : undefined;
    if (reason) return policy.deny(c, 403, reason);
    if (c.req.method === 'POST' && !notSimple(c) && !pathMatches(c.req.path, opts.formPosts ?? [])) {
      return policy.deny(
        c,
        403,
        `a POST needs Content-Type: application/json, Authorization or ${REQUESTED_WITH}`,
      );
    }
    return next();
  };
}

/**
 * Marks routes that change state even on GET (the manual's integrator API: `GET /bridge/callctrl?…
 * &opt=CLICK_TO_DIAL` places a call). Refuses what only a browser on another site sends (a foreign `Origin`,
 * `Sec-Fetch-Site: cross-site`/`same-site`), so a link or an `<img>` on a web page cannot place calls; servers
 * (curl, Java, PHP: no `Origin`, no `Sec-Fetch-*`) pass. Uses the origins of the {@link requestGuard} in front;
 * without one, only the runtime's own origin.
 *
 * @example
 * ```ts
 * app.use('/bridge/callctrl', changesState());
 * ```
 */
export function changesState(): MiddlewareHandler {
  const fallback: GuardPolicy = {
    crossSite: (c) => crossSiteReason(c, new Set()),
    deny: (c, status, reason) => refuse(c, status, reason),
  };
  return async (c, next) => {
    const policy = (c.get('requestGuard') as GuardPolicy | undefined) ?? fallback;
    const reason = policy.crossSite(c);
    return reason ? policy.deny(c, 403, reason) : next();
  };
}

// The manual's request parameters, read the way its printed URLs are written: a doubled
// `/bridge/callctrl?/bridge/callctrl?…` (sections 15–17), empty `&&` pairs (section 8), GET query or POST form.
import type { Context } from 'hono';

/** Parameters by name; the first value wins when a name repeats. */
export type Params = ReadonlyMap<string, string>;

const MAX_QUERY = 8 * 1024;

/** Reads the raw query string as the manual's URLs write it. */
export function parseQuery(raw: string): Params {
  let q = raw.length > MAX_QUERY ? raw.slice(0, MAX_QUERY) : raw;
  // `/bridge/callctrl?/bridge/callctrl?leaderExtnum=…`: the query string itself starts with the path again.
  const doubled = /^\/?bridge\/[A-Za-z]+\?/.exec(q);
  if (doubled) q = q.slice(doubled[0].length);
  const params = new Map<string, string>();
  for (const pair of q.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name !== undefined && value !== undefined && !params.has(name)) params.set(name, value);
  }
  return params;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The request's parameters: the query string, then (for a form POST) the body's fields that the query lacks. */
export async function readParams(c: Context, maxBody = 64 * 1024): Promise<Params> {
  const url = c.req.url;
  const at = url.indexOf('?');
  const params = new Map(parseQuery(at < 0 ? '' : url.slice(at + 1)));
  const type = c.req.header('content-type') ?? '';
  if (c.req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
    const text = await c.req.text();
    if (text.length <= maxBody) for (const [k, v] of parseQuery(text)) if (!params.has(k)) params.set(k, v);
  }
  return params;
}

/** An extension or phone number as the manual's parameters carry them. */
export const NUMBER = /^[0-9*#+]{1,32}$/;

/** The parameter, trimmed, when it matches `pattern`; undefined when missing or malformed. */
export function param(p: Params, name: string, pattern: RegExp = NUMBER): string | undefined {
  const v = p.get(name)?.trim();
  return v !== undefined && pattern.test(v) ? v : undefined;
}

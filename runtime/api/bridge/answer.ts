// The one way the manual's interfaces answer (decisions.md, "Control API answers"): the code as plain text, a short
// English reason on a second line; the HTTP status is the code when it is a final HTTP status, else 200.
import type { Context } from 'hono';

/** A result code of the manual (200, 400, 404, 480, …, or the states 0–6, 100, 180, 603). */
export type Code = number;

/** A code with its reason: what every handler of the manual's interfaces returns. */
export interface Answer {
  code: Code;
  /** One line of English; omitted from the body when absent. */
  reason?: string;
  /** Lines after the code instead of the reason (CLICK_TO_DIAL's clickcallid). */
  data?: string;
}

export const answer = (code: Code, reason?: string): Answer =>
  reason === undefined ? { code } : { code, reason };

const finalStatus = (code: Code): boolean => Number.isInteger(code) && code >= 200 && code <= 599;

/** Writes an Answer: `<code>\n<reason>\n`, HTTP status = code when legal (decisions.md). */
export function send(c: Context, a: Answer): Response {
  const second = a.data ?? a.reason;
  const body = second === undefined ? `${a.code}\n` : `${a.code}\n${second}\n`;
  c.header('Content-Type', 'text/plain; charset=utf-8');
  c.header('Cache-Control', 'no-store');
  return c.body(body, (finalStatus(a.code) ? a.code : 200) as 200);
}

/** A body documented by the manual (JSON arrays, `state=1;…`, a state code): status 200, exactly that body. */
export function sendBody(c: Context, body: string, type = 'text/plain; charset=utf-8'): Response {
  c.header('Content-Type', type);
  c.header('Cache-Control', 'no-store');
  return c.body(body, 200);
}

/** JSON the manual documents (EXTNUM_STATE, call logs): status 200, compact, UTF-8. */
export function sendJson(c: Context, value: unknown): Response {
  return sendBody(c, JSON.stringify(value), 'application/json; charset=utf-8');
}

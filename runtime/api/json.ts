// Request and answer helpers shared by the route families: JSON bodies validated with zod, JSON errors.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';

/** A JSON error answer: `{ error, issues? }`. */
export function jsonError(
  c: Context,
  status: 400 | 401 | 404 | 409 | 413 | 415 | 422 | 500 | 503,
  error: string,
  extra: object = {},
) {
  return c.json({ error, ...extra }, status);
}

/** Caps the body size; a larger body gets 413 with a JSON error. */
export function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: (c) => jsonError(c, 413, `body larger than ${maxSize} bytes`),
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** Reads and validates a JSON body; on failure the answer is a 400 naming each bad field. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.infer<S>>> {
  let raw: unknown;
  try {
    const text = await c.req.text();
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, response: jsonError(c, 400, 'body is not valid JSON') };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    return { ok: false, response: jsonError(c, 400, 'invalid body', { issues: issuesOf(result.error) }) };
  }
  return { ok: true, value: result.data };
}

/** Validates query parameters the same way. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): Parsed<z.infer<S>> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) {
    return { ok: false, response: jsonError(c, 400, 'invalid query', { issues: issuesOf(result.error) }) };
  }
  return { ok: true, value: result.data };
}

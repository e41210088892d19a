// The `data=<JSON>` parameter of ContactsSrvlt and PreorderSrvlt (manual sections 19, 20): parsed and validated.
import type { z } from 'zod';

/** A result in the manual's codes: 200 imported, 483 duplicate (nothing imported), 400 bad data. */
export interface ImportResult {
  code: 200 | 400 | 483;
  reason?: string;
  /** Ids created (200 only). */
  ids?: number[];
}

/** Largest `data` accepted (characters): a batch of about a thousand records. */
export const MAX_DATA_CHARS = 512 * 1024;

/**
 * Parses `text` as JSON. The manual's printed section 19 example never closes its `contacts` array (it ends `}}`
 * where `}]}` belongs); integrators copy it verbatim, so that one defect is repaired and nothing else.
 */
export function parseData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const t = text.trimEnd();
    if (t.endsWith('}}') && t.includes('[')) {
      try {
        return JSON.parse(`${t.slice(0, -1)}]}`) as unknown;
      } catch {
        // fall through to the original error
      }
    }
    throw err;
  }
}

/** Reads `data` against `schema`: the value, or a 400 naming what is wrong. */
export function readData<S extends z.ZodType>(
  text: string | undefined,
  schema: S,
): { ok: true; value: z.infer<S> } | { ok: false; result: ImportResult } {
  if (text === undefined || text.trim() === '')
    return { ok: false, result: { code: 400, reason: 'missing: data' } };
  if (text.length > MAX_DATA_CHARS)
    return { ok: false, result: { code: 400, reason: `data longer than ${MAX_DATA_CHARS} characters` } };
  let raw: unknown;
  try {
    raw = parseData(text);
  } catch {
    return { ok: false, result: { code: 400, reason: 'data is not valid JSON' } };
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first?.path.join('.') || 'data';
    return {
      ok: false,
      result: { code: 400, reason: `invalid data: ${where}: ${first?.message ?? 'invalid'}` },
    };
  }
  return { ok: true, value: r.data };
}

// `/bridge/ToneFileSvlt` (manual section 24): `opt=query` lists tone files as JSON, `opt=delete&id=` removes one,
// `POST opt=save` adds (no id) or modifies (id) one from an uploaded WAV (any rate or channels; stored as 8 kHz
// µ-law mono). Save answers the id (> 0), or `0` with a reason on the second line.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Tones, ToneSave } from '../../callcenter/tones/tones.ts';
import { send, sendJson } from '../bridge/answer.ts';
import { readParams, type Params } from '../bridge/params.ts';

const ID = /^[1-9]\d{0,11}$/;
const MAX_TITLE = 128;
const MAX_DES = 1024;

/** `0` and why, the manual's failure answer; the HTTP status says the same (400, 404, 413). */
function failed(c: Context, status: 400 | 404 | 413, reason: string): Response {
  c.header('Content-Type', 'text/plain; charset=utf-8');
  c.header('Cache-Control', 'no-store');
  return c.body(`0\n${reason}\n`, status);
}

/** Title and description "URL-encoded for Chinese" (the manual): decoded once when they decode cleanly. */
function urlDecoded(v: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(v)) return v;
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

interface SaveRequest {
  params: Params;
  file?: Uint8Array;
  /** Fields of a multipart body are sent raw: they may still be URL-encoded. */
  encoded: boolean;
}

/** The fields and the file: multipart (`file` part), or the WAV as the body with the fields in the query. */
async function saveRequest(c: Context): Promise<SaveRequest> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const body = await c.req.parseBody();
    const params = new Map(await readParams(c));
    let file: Uint8Array | undefined;
    for (const [k, v] of Object.entries(body)) {
      if (k === 'file' && v instanceof File) file = new Uint8Array(await v.arrayBuffer());
      else if (typeof v === 'string' && !params.has(k)) params.set(k, v);
    }
    return { params, file, encoded: true };
  }
  if (type.startsWith('application/x-www-form-urlencoded'))
    return { params: await readParams(c), encoded: false };
  const params = await readParams(c);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return { params, file: bytes.length > 0 ? bytes : undefined, encoded: false };
}

function toSave(r: SaveRequest): ToneSave | string {
  const get = (n: string) => {
    const v = r.params.get(n)?.trim();
    return v === undefined ? undefined : r.encoded ? urlDecoded(v) : v;
  };
  const id = get('id');
  const title = get('title');
  const des = get('des');
  if (id !== undefined && id !== '' && !ID.test(id)) return 'malformed: id';
  if (!title || title.length > MAX_TITLE) return `missing or too long: title (1 to ${MAX_TITLE} characters)`;
  if (des === undefined || des.length > MAX_DES)
    return `missing or too long: des (up to ${MAX_DES} characters)`;
  return { id: id ? Number(id) : undefined, title, des, file: r.file };
}

export function toneFileRoutes(tones: Tones, maxUploadBytes: number): Hono {
  const app = new Hono();
  const path = '/bridge/ToneFileSvlt';
  app.get(path, async (c) => {
    const p = await readParams(c);
    const opt = p.get('opt')?.trim();
    if (opt === 'query') return sendJson(c, await tones.list());
    if (opt === 'delete') {
      const id = p.get('id')?.trim();
      if (!id || !ID.test(id)) return send(c, { code: 400, reason: 'missing or malformed: id' });
      return (await tones.remove(Number(id)))
        ? send(c, { code: 200 })
        : send(c, { code: 404, reason: `no tone file ${id}` });
    }
    if (opt === 'save') return failed(c, 400, 'opt=save is a POST with the file');
    return send(c, { code: 400, reason: 'opt must be query, save or delete' });
  });
  app.post(
    path,
    bodyLimit({
      maxSize: maxUploadBytes,
      onError: (c) => failed(c, 413, `body larger than ${maxUploadBytes} bytes`),
    }),
    async (c) => {
      const req = await saveRequest(c);
      if (req.params.get('opt')?.trim() !== 'save') return failed(c, 400, 'POST takes opt=save');
      const save = toSave(req);
      if (typeof save === 'string') return failed(c, 400, save);
      const r = await tones.save(save);
      if (!r.ok) return failed(c, r.code, r.reason);
      c.header('Content-Type', 'text/plain; charset=utf-8');
      c.header('Cache-Control', 'no-store');
      return c.body(`${r.id}\n`, 200);
    },
  );
  return app;
}

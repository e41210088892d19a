// `/bridge/ContactsSrvlt` and `/bridge/PreorderSrvlt` (manual sections 19, 20): `data=<JSON>` by GET (as printed),
// or by POST as a form field or a JSON body; answers 200, 483 (duplicate, nothing imported) or 400.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Store } from '../../callcenter/store/db.ts';
import { importContacts } from '../../callcenter/contacts/contacts.ts';
import { importPreorders } from '../../callcenter/contacts/preorders.ts';
import { MAX_DATA_CHARS, type ImportResult } from '../../callcenter/contacts/data-param.ts';
import { send } from '../bridge/answer.ts';

/** The `data` parameter from the query string (not cut at the usual 8 KiB), a form body, or a JSON body. */
async function dataOf(c: Context): Promise<string | undefined> {
  const fromQuery = new URL(c.req.url).searchParams.get('data');
  if (fromQuery !== null) return fromQuery;
  if (c.req.method !== 'POST') return undefined;
  const type = c.req.header('content-type') ?? '';
  const text = await c.req.text();
  if (type.startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams(text).get('data') ?? undefined;
  if (type.startsWith('application/json')) return text;
  return undefined;
}

const limit = bodyLimit({
  // Form encoding can triple the JSON's size.
  maxSize: MAX_DATA_CHARS * 3,
  onError: (c) => send(c, { code: 413, reason: `body larger than ${MAX_DATA_CHARS * 3} bytes` }),
});

export function contactRoutes(store: Store): Hono {
  const app = new Hono();
  const serve = (path: string, run: (store: Store, data: string | undefined) => Promise<ImportResult>) => {
    const handler = async (c: Context) => {
      const r = await run(store, await dataOf(c));
      return send(c, r.code === 200 ? { code: 200 } : { code: r.code, reason: r.reason });
    };
    app.get(path, handler);
    app.post(path, limit, handler);
  };
  serve('/bridge/ContactsSrvlt', importContacts);
  serve('/bridge/PreorderSrvlt', importPreorders);
  return app;
}

// `/Oms/FileDownServlet` (manual section 22) and `/Oms/RecordPlayerSvlt` (section 27's web player): a call's
// recording by callid, or a file by the path the call log or voicemail gave; never anything outside the
// recordings and voicemail roots (404).
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import type { Store } from '../../callcenter/store/db.ts';
import type { ConfinedRoot, FoundFile } from '../../files/confined-root.ts';
import { send } from './answer.ts';
import { readParams, type Params } from './params.ts';

export interface OmsDeps {
  store: Store;
  /** Call recordings. */
  recordings: ConfinedRoot;
  /** Voicemail messages (section 27's `voiceFile`), when configured. */
  voicemail?: ConfinedRoot;
}

const TYPES: Record<string, string> = { '.wav': 'audio/wav', '.mp3': 'audio/mpeg' };

/** The file a request names: `callid` (its call log's recording) or `filename` / `voiceFile` (a path in the root). */
async function fileOf(d: OmsDeps, p: Params): Promise<FoundFile | undefined> {
  const callid = p.get('callid')?.trim();
  if (callid) {
    const row = await d.store.callLogs.get(callid);
    return row?.recordVoice ? d.recordings.open(row.recordVoice) : undefined;
  }
  const name = (p.get('filename') ?? p.get('voiceFile'))?.trim();
  if (!name) return undefined;
  const recording = await d.recordings.open(name);
  if (recording) return recording;
  const message = await d.voicemail?.open(name);
  // Named by its absolute path: a relative name is looked up among the recordings first (the player's link).
  return message && { ...message, name: message.file };
}

function download(c: Context, f: FoundFile): Response {
  const ext = f.file.slice(f.file.lastIndexOf('.')).toLowerCase();
  const name = basename(f.file).replace(/[^A-Za-z0-9._-]/g, '_');
  return c.body(Readable.toWeb(createReadStream(f.file)) as ReadableStream, 200, {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': String(f.bytes),
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/** A small page with an audio player for the file (the manual's integrators open it in a browser). */
function player(c: Context, p: Params, f: FoundFile): Response {
  const query = new URLSearchParams({ filename: f.name });
  const token = p.get('access_token');
  if (token) query.set('access_token', token);
  const src = `/Oms/FileDownServlet?${query.toString()}`;
  const title = escape(basename(f.file));
  c.header('Content-Security-Policy', "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'");
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:sans-serif;margin:2rem}audio{width:100%;max-width:40rem}</style></head>
<body><h1>${title}</h1><audio controls preload="metadata" src="${escape(src)}"></audio>
<p><a href="${escape(src)}">Download</a></p></body></html>
`);
}

export function omsRoutes(d: OmsDeps): Hono {
  const app = new Hono();
  app.get('/Oms/FileDownServlet', async (c) => {
    const f = await fileOf(d, await readParams(c));
    return f ? download(c, f) : send(c, { code: 404, reason: 'no such recording' });
  });
  app.get('/Oms/RecordPlayerSvlt', async (c) => {
    const p = await readParams(c);
    const f = await fileOf(d, p);
    return f ? player(c, p, f) : send(c, { code: 404, reason: 'no such recording' });
  });
  return app;
}

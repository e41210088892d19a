// The sound library: GET /api/sounds, GET /sounds/* (WAV files), POST /api/sounds (upload, converted to 8 kHz µ-law).
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { jsonError, limitBody, readQuery } from './json.ts';
import { runProcess } from './run-process.ts';
import { safeSegments } from '../files/confined-root.ts';
import { FILE_PATH } from '../files/sound-source.ts';

export interface SoundEntry {
  path: string;
  src: string;
  bytes: number;
}

/** Every `.wav` under the root, sorted; symlinks are not followed (they could point outside). */
export async function listSounds(root: string, prefix = ''): Promise<SoundEntry[]> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(() => []);
  const out: SoundEntry[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listSounds(root, rel)));
    else if (e.isFile() && e.name.toLowerCase().endsWith('.wav')) {
      const st = await stat(join(root, rel));
      out.push({ path: rel, src: `${FILE_PATH}/${rel}`, bytes: st.size });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

// Uploaded names are stricter than what the root accepts: they end up in flows typed by hand.
const UPLOAD_NAME = /^[A-Za-z0-9_\-.\u00a0-\uffff ]{1,128}$/u;

const uploadQuery = z.object({
  path: z
    .string()
    .refine(
      (p) => safeSegments(p)?.every((s) => UPLOAD_NAME.test(s) && s.trim() === s),
      'a relative path of safe names (no .., no leading /)',
    )
    .refine((p) => p.toLowerCase().endsWith('.wav'), 'must end in .wav'),
});

/** `dir` or its closest ancestor that exists. */
async function nearestExisting(dir: string): Promise<string> {
  let d = dir;
  while (
    !(await stat(d).then(
      () => true,
      () => false,
    )) &&
    dirname(d) !== d
  )
    d = dirname(d);
  return d;
}

function isWav(body: Uint8Array): boolean {
  const ascii = (from: number, to: number) => Buffer.from(body.subarray(from, to)).toString('latin1');
  return body.length > 44 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE';
}

/** Converts any WAV sox reads to the engine's format: 8 kHz, mono, G.711 µ-law. */
async function convert(body: Uint8Array, target: string): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'ivr-upload-'));
  try {
    const input = join(dir, 'in.wav');
    const output = join(dir, 'out.wav');
    await writeFile(input, body);
    const r = await runProcess('sox', [
      '-t',
      'wav',
      input,
      '-r',
      '8000',
      '-c',
      '1',
      '-e',
      'u-law',
      '-b',
      '8',
      output,
    ]);
    if (r.code !== 0) return r.stderr.split('\n').pop() || 'sox failed';
    await mkdir(dirname(target), { recursive: true });
    // Copy, not rename: the temporary folder may be on another file system.
    await copyFile(output, target);
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function soundRoutes(deps: Pick<ApiDeps, 'sounds' | 'config'>): Hono {
  const app = new Hono();
  const root = deps.sounds;

  app.get('/api/sounds', async (c) => c.json(await listSounds(root.dir)));

  app.get('/sounds/*', async (c) => {
    const raw = new URL(c.req.url).pathname.slice('/sounds/'.length);
    let rel: string;
    try {
      rel = raw.split('/').map(decodeURIComponent).join('/');
    } catch {
      return jsonError(c, 404, 'no such sound');
    }
    // A decoded segment holding `/` would re-split differently: refuse rather than reinterpret.
    if (raw.split('/').length !== rel.split('/').length) return jsonError(c, 404, 'no such sound');
    const found = await root.open(rel);
    if (!found || !rel.toLowerCase().endsWith('.wav')) return jsonError(c, 404, 'no such sound');
    const stream = Readable.toWeb(createReadStream(found.file)) as ReadableStream;
    return c.body(stream, 200, {
      'Content-Type': 'audio/wav',
      'Content-Length': String(found.bytes),
      'Cache-Control': 'no-cache',
    });
  });

  app.post('/api/sounds', limitBody(deps.config.http.maxUploadBytes), async (c) => {
    const q = readQuery(c, uploadQuery);
    if (!q.ok) return q.response;
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (!isWav(body)) return jsonError(c, 400, 'body is not a WAV file (RIFF/WAVE header expected)');
    const target = root.pathOf(q.value.path);
    if (!target) return jsonError(c, 400, 'bad path');
    // A folder on the way may be a symlink planted inside the root: the real folder must still be inside it,
    // checked before creating anything and again after.
    if (!(await root.containsOrIs(await nearestExisting(dirname(target)))))
      return jsonError(c, 400, 'bad path');
    await mkdir(dirname(target), { recursive: true });
    if (!(await root.containsOrIs(dirname(target)))) return jsonError(c, 400, 'bad path');
    const failure = await convert(body, target);
    if (failure) return jsonError(c, 400, `cannot convert the WAV file: ${failure}`);
    return c.json({ path: q.value.path, src: `${FILE_PATH}/${q.value.path}` }, 201);
  });
  return app;
}

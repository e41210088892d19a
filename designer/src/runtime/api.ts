// The runtime's designer API (flows, versions, sounds, TTS preview, stats, extensions) and the manual's plain-text
// interfaces the operations view uses: typed fetch calls through one helper, errors as values.
import type { Problem } from '../../../schema/ast.ts';

export interface FlowSummary {
  id: string;
  name: string;
  /** Milliseconds since the epoch. */
  updatedAt: number;
  publishedVersion: number | null;
}

export interface FlowRecord extends FlowSummary {
  xml: string;
  layout: unknown;
}

export interface FlowVersion {
  version: number;
  author?: string;
  note?: string;
  /** Milliseconds since the epoch. */
  createdAt?: number;
}

export interface Sound {
  path: string;
  src: string;
  bytes: number;
}

export type Result<T> =
  { ok: true; value: T } | { ok: false; status: number; problems: Problem[]; message: string };

/**
 * Sent on every request: the runtime refuses a POST without it (or another header a plain HTML form cannot send),
 * so a page on another site cannot post to the runtime on the user's behalf (docs/security.md).
 */
export const REQUESTED_WITH = { 'X-Requested-With': 'switchboard-designer' } as const;

/** What came back: the status and the body as text, or the network error as a status 0. */
interface Reply {
  status: number;
  ok: boolean;
  statusText: string;
  text: string;
}

/** The one place requests leave the designer (and the operations view): it adds {@link REQUESTED_WITH}. */
async function send(method: string, url: string, body?: unknown, raw?: BodyInit): Promise<Reply> {
  try {
    const headers: Record<string, string> = { ...REQUESTED_WITH };
    if (body !== undefined) headers['content-type'] = 'application/json';
    else if (raw) headers['content-type'] = 'audio/wav';
    const res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? raw : JSON.stringify(body),
    });
    return { status: res.status, ok: res.ok, statusText: res.statusText, text: await res.text() };
  } catch (err) {
    return { status: 0, ok: false, statusText: '', text: String(err) };
  }
}

async function call<T>(method: string, url: string, body?: unknown, raw?: BodyInit): Promise<Result<T>> {
  const res = await send(method, url, body, raw);
  if (res.status === 0) return { ok: false, status: 0, problems: [], message: res.text };
  const text = res.text;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const problems = (json as { problems?: Problem[] } | undefined)?.problems ?? [];
    return { ok: false, status: res.status, problems, message: text.slice(0, 300) || res.statusText };
  }
  return { ok: true, value: json as T };
}

/**
 * A GET of the manual's interfaces (`/bridge`, `/Oms`), which answer plain text (`<code>\n<reason>`) or a JSON
 * body the manual documents: the HTTP status and the body as sent. Status 0: the runtime was not reached.
 */
export async function getText(url: string): Promise<{ status: number; text: string }> {
  const res = await send('GET', url);
  return { status: res.status, text: res.text };
}

const enc = encodeURIComponent;

export const api = {
  listFlows: () => call<FlowSummary[]>('GET', '/api/flows'),
  getFlow: (id: string) => call<FlowRecord>('GET', `/api/flows/${enc(id)}`),
  createFlow: (flow: { name: string; xml: string; layout?: unknown }) =>
    call<{ id: string }>('POST', '/api/flows', flow),
  saveFlow: (id: string, flow: { name?: string; xml: string; layout?: unknown }) =>
    call<unknown>('PUT', `/api/flows/${enc(id)}`, flow),
  publish: (id: string, meta: { author?: string; note?: string }) =>
    call<{ version: number }>('POST', `/api/flows/${enc(id)}/publish`, meta),
  versions: (id: string) => call<FlowVersion[]>('GET', `/api/flows/${enc(id)}/versions`),
  version: (id: string, version: number) =>
    call<FlowVersion & { xml: string }>('GET', `/api/flows/${enc(id)}/versions/${version}`),
  rollback: (id: string, version: number) =>
    call<unknown>('POST', `/api/flows/${enc(id)}/rollback`, { version }),
  sounds: () => call<Sound[]>('GET', '/api/sounds'),
  uploadSound: (path: string, wav: Blob) =>
    call<unknown>('POST', `/api/sounds?path=${enc(path)}`, undefined, wav),
  extensions: () =>
    call<{ number: string; name?: string; group?: string | null; permissions: string[] }[]>(
      'GET',
      '/api/extensions',
    ),
  stats: (flow: string, from?: string, to?: string) => {
    const q = new URLSearchParams({ flow, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    return call<Record<string, { entered: number; noInput: number; checkErrors: number }>>(
      'GET',
      `/api/stats/nodes?${q}`,
    );
  },
};

/** Synthesises TTS text on the runtime and returns a playable object URL. */
export async function ttsPreview(text: string): Promise<string> {
  const res = await fetch('/api/tts/preview', {
    method: 'POST',
    headers: { ...REQUESTED_WITH, 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!res.ok) throw new Error(`TTS preview failed: ${res.status}`);
  return URL.createObjectURL(await res.blob());
}

/** `[FILE_PATH]/dir/x.wav` -> the URL the runtime serves it at. */
export function soundUrl(src: string): string {
  return `/sounds/${src.replace(/^\[FILE_PATH\]\//, '')}`;
}

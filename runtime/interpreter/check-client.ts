// The client for a field's `check` URL: one GET through the outbound-URL policy, with time and size caps.
import { UrlPolicy } from '../net/url-policy.ts';

export interface CheckClientOptions {
  /** Real ms allowed for the whole request, body included; default 5000. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes; default 1024. */
  maxBytes?: number;
  /** Which URLs may be called; default: http/https, no credentials, every host (private ones included). */
  policy?: UrlPolicy;
}

export const CHECK_ERROR = 'CHECK_ERROR';

export type CheckErrorCode =
  | 'E_CHECK_POLICY'
  | 'E_CHECK_TIMEOUT'
  | 'E_CHECK_STATUS'
  | 'E_CHECK_REDIRECT'
  | 'E_CHECK_TOO_LARGE'
  | 'E_CHECK_NETWORK'
  | 'E_CHECK_ABORTED';

export type CheckOutcome =
  | { ok: true; url: string; status: number; body: string; latencyMs: number }
  | { ok: false; url: string; code: CheckErrorCode; message: string; status?: number; latencyMs: number };

const defaultPolicy = new UrlPolicy();

/** The check URL with our parameters set (they replace same-named ones already in the URL). */
export function checkRequestUrl(base: string, params: Record<string, string>): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return base;
  }
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

class CheckFailure extends Error {
  constructor(
    readonly code: CheckErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Reads at most `maxBytes` of the body; throws E_CHECK_TOO_LARGE (and stops reading) past it. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new CheckFailure(
      'E_CHECK_TOO_LARGE',
      `answer of ${declared} bytes exceeds ${maxBytes}`,
      res.status,
    );
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new CheckFailure('E_CHECK_TOO_LARGE', `answer exceeds ${maxBytes} bytes`, res.status);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

async function fetchCheck(
  url: URL,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'text/plain, */*' } });
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new CheckFailure('E_CHECK_REDIRECT', `redirect ${res.status} not followed`, res.status);
  }
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel();
    throw new CheckFailure('E_CHECK_STATUS', `HTTP ${res.status}`, res.status);
  }
  return { status: res.status, body: (await readCapped(res, maxBytes)).trim() };
}

/**
 * GETs a check URL. Never throws: every failure is a coded outcome. Time is real time (network latency is
 * real even when the session runs on a virtual clock). `signal` (the caller hanging up) aborts the request.
 */
export async function requestCheck(
  url: string,
  opts: CheckClientOptions = {},
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);
  const verdict = (opts.policy ?? defaultPolicy).check(url);
  if (!verdict.ok) return { ok: false, url, code: 'E_CHECK_POLICY', message: verdict.reason, latencyMs: 0 };
  const timeoutMs = opts.timeoutMs ?? 5000;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    if (signal?.aborted) throw new CheckFailure('E_CHECK_ABORTED', 'call ended before the request');
    const { status, body } = await fetchCheck(verdict.url, opts.maxBytes ?? 1024, controller.signal);
    return { ok: true, url, status, body, latencyMs: latency() };
  } catch (err) {
    const failure =
      err instanceof CheckFailure
        ? err
        : timedOut
          ? new CheckFailure('E_CHECK_TIMEOUT', `no complete answer within ${timeoutMs} ms`)
          : signal?.aborted
            ? new CheckFailure('E_CHECK_ABORTED', 'call ended during the request')
            : new CheckFailure('E_CHECK_NETWORK', networkMessage(err));
    return {
      ok: false,
      url,
      code: failure.code,
      message: failure.message,
      status: failure.status,
      latencyMs: latency(),
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function networkMessage(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

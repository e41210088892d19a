// An HTTP TTS provider as a synthesizer: a GET to a configured URL template with the text and voice filled in,
// through the outbound-URL policy, with time and size caps; the answer is a WAV file.
import { UrlPolicy } from '../../net/url-policy.ts';
import { CachedTts, type Synthesizer, type TtsCacheOptions } from './tts.ts';

export interface HttpSynthesizerOptions {
  /**
   * The provider's URL with `{text}` and `{voice}` where the (URL-encoded) text and voice go, e.g.
   * `https://tts.example.com/v1/speak?voice={voice}&text={text}`.
   */
  urlTemplate: string;
  /** Which URLs may be called (the runtime's one outbound-URL policy). */
  policy: UrlPolicy;
  /** Real ms allowed for the whole request, body included (default 15 000). */
  timeoutMs?: number;
  /** Largest answer accepted, in bytes (default 8 MiB). */
  maxBytes?: number;
  /** Sent with every request (a provider's API key). */
  headers?: Record<string, string>;
}

/** The request URL for a text: placeholders replaced by their URL-encoded values, nothing else touched. */
export function ttsRequestUrl(template: string, text: string, voice: string): string {
  return template
    .replaceAll('{text}', encodeURIComponent(text))
    .replaceAll('{voice}', encodeURIComponent(voice));
}

async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new Error(`TTS answer of ${declared} bytes exceeds ${maxBytes}`);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`TTS answer exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export class HttpSynthesizer implements Synthesizer {
  readonly id: string;

  constructor(private readonly opts: HttpSynthesizerOptions) {
    this.id = `http:${opts.urlTemplate}`;
  }

  async render(text: string, voice: string): Promise<Uint8Array> {
    const url = ttsRequestUrl(this.opts.urlTemplate, text, voice);
    const verdict = this.opts.policy.check(url);
    if (!verdict.ok) throw new Error(`TTS provider URL refused: ${verdict.reason}`);
    const timeoutMs = this.opts.timeoutMs ?? 15_000;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // Redirects are not followed (the URL policy decided on this URL only).
      const res = await fetch(verdict.url, {
        redirect: 'manual',
        signal,
        headers: { accept: 'audio/wav, audio/x-wav, */*', ...this.opts.headers },
      });
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel();
        throw new Error(`TTS provider answered HTTP ${res.status}`);
      }
      return await readCapped(res, this.opts.maxBytes ?? 8 * 1024 * 1024);
    } catch (err) {
      if (signal.aborted)
        throw new Error(`TTS provider gave no answer within ${timeoutMs} ms`, { cause: err });
      throw err;
    }
  }
}

export interface HttpTtsOptions extends HttpSynthesizerOptions, TtsCacheOptions {}

/** An HTTP provider behind the caches. */
export class HttpTts extends CachedTts {
  constructor(opts: HttpTtsOptions) {
    super(new HttpSynthesizer(opts), opts);
  }
}

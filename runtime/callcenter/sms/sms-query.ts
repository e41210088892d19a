// SMS self-service (manual section 23): an SMS that reaches a channel is forwarded to the integrator's URL as
// `GET <url>?method=smsquery&telnum=…&contant=…&channel=…`; what it answers goes back to the sender, unless 403.
import type { UrlPolicy } from '../../net/url-policy.ts';
import type { Logger } from '../../log.ts';

export interface SmsQueryOptions {
  /** The integrator's URL (the manual's 查询对接 URL). */
  url: string;
  policy: UrlPolicy;
  timeoutMs: number;
  /** Largest answer read; a longer one is cut there. */
  maxBytes: number;
  /** Numbers (channels) whose messages are forwarded; empty: every number. */
  channels: string[];
  /** Queries in flight at once; messages beyond are dropped (logged) rather than queued without bound. */
  maxInFlight?: number;
  log: Logger;
}

export interface Sms {
  /** The sender's number. */
  telnum: string;
  /** The text (`contant` [sic] on the wire). */
  contant: string;
  /** The channel it arrived on: the number it was sent to, or the gateway's channel name. */
  channel: string;
}

/** What to send back: the integrator's answer, or nothing (403, an empty answer, or the query failed). */
export type SmsAnswer = { reply: string } | { reply?: undefined; why: string };

/** The request URL: the configured one with the manual's four parameters added (its own query kept). */
export function smsQueryUrl(base: string, sms: Sms): string {
  const url = new URL(base);
  url.searchParams.set('method', 'smsquery');
  url.searchParams.set('telnum', sms.telnum);
  url.searchParams.set('contant', sms.contant);
  url.searchParams.set('channel', sms.channel);
  return url.toString();
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = Buffer.concat(chunks).subarray(0, maxBytes);
  // A cut in the middle of a UTF-8 sequence leaves a replacement character: dropped.
  return new TextDecoder('utf-8').decode(bytes).replace(/\uFFFD$/, '');
}

export class SmsQuery {
  private inFlight = 0;

  constructor(private readonly o: SmsQueryOptions) {}

  /** Whether messages to `channel` are forwarded. */
  accepts(channel: string): boolean {
    return this.o.channels.length === 0 || this.o.channels.includes(channel);
  }

  /** Asks the integrator; never throws. */
  async query(sms: Sms): Promise<SmsAnswer> {
    if (!this.accepts(sms.channel)) return { why: `channel ${sms.channel} is not an SMS channel` };
    const max = this.o.maxInFlight ?? 50;
    if (this.inFlight >= max) {
      this.o.log.warn({ channel: sms.channel }, 'sms dropped: too many queries in flight');
      return { why: 'too many queries in flight' };
    }
    const verdict = this.o.policy.check(smsQueryUrl(this.o.url, sms));
    if (!verdict.ok) return { why: `sms url refused: ${verdict.reason}` };
    this.inFlight++;
    try {
      const res = await fetch(verdict.url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs),
        headers: { accept: 'text/plain, */*' },
      });
      if (res.status === 403) {
        await res.body?.cancel();
        return { why: 'the integrator answered 403 (no reply)' };
      }
      const reply = (await readCapped(res, this.o.maxBytes)).trim();
      if (reply === '') return { why: `empty answer (HTTP ${res.status})` };
      // The manual: anything but 403 is forwarded ("其他"), error statuses included; logged so it can be seen.
      if (res.status < 200 || res.status > 299)
        this.o.log.warn({ status: res.status }, 'sms answer with an error status forwarded');
      return { reply };
    } catch (err) {
      this.o.log.warn({ err, channel: sms.channel }, 'sms query failed');
      return { why: `query failed: ${(err as Error).message}` };
    } finally {
      this.inFlight--;
    }
  }
}

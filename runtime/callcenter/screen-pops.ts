// Screen pops (manual section 4): on every state change of a call that involves an extension, a GET to the CRM's
// URL with id, caller, callee, state, direction, businessId and group. Per call in order, retried with back-off
// while the CRM does not answer 2xx, HMAC-signed, through the outbound-URL policy, never holding up the call.
import { createHmac } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { UrlPolicy } from '../net/url-policy.ts';
import type { CallView, EventBus, LegView } from './events.ts';

export type PopState = 'calling' | 'ringing' | 'canceled' | 'talking' | 'hungup';

export interface ScreenPopOptions {
  url: string;
  /** HMAC-SHA256 key; unset: pops are not signed. */
  secret?: string;
  /** How long one pop is retried before it is given up (logged). */
  retryForMs: number;
  timeoutMs: number;
  policy: UrlPolicy;
  /** The group an extension answers for (the pop's `group`). */
  groupOf: (extension: string) => string | undefined;
  log: Logger;
}

interface Pop {
  params: Record<string, string>;
  queuedAt: number;
}

export const SIGNATURE_HEADER = 'X-Switchboard-Signature';
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** Pops waiting at once across every call; beyond it the oldest queue's newest pops are dropped (logged). */
const MAX_QUEUED = 100_000;

/** The manual's state for a leg status, or undefined when the change is not one the CRM hears about. */
export function popState(leg: LegView): PopState | undefined {
  switch (leg.status) {
    case 'calling':
    case 'ringing':
    case 'talking':
      return leg.status;
    case 'ended':
      return leg.answered ? 'hungup' : 'canceled';
    default:
      return undefined;
  }
}

/** `t=<unix seconds>,sha256=<hex>` over `<t>.<path and query>`, so a CRM can check where a pop came from and when. */
export function signature(secret: string, pathAndQuery: string, t: number): string {
  const mac = createHmac('sha256', secret).update(`${t}.${pathAndQuery}`).digest('hex');
  return `t=${t},sha256=${mac}`;
}

export class ScreenPops {
  private readonly queues = new Map<string, Pop[]>();
  /** The last state popped per leg, so a leg coming back from hold does not pop `talking` again. */
  private readonly last = new Map<string, PopState>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private queued = 0;
  private stopped = false;
  /** Told when the last waiting pop went out, while `stop` waits for it. */
  private flushed?: () => void;
  private sent = 0;
  private dropped = 0;

  constructor(private readonly opts: ScreenPopOptions) {}

  attach(bus: EventBus): () => void {
    return bus.on('leg.changed', ({ call, leg }) => this.changed(call, leg));
  }

  /** Pops delivered and given up so far, and waiting now. */
  get stats(): { sent: number; dropped: number; waiting: number } {
    return { sent: this.sent, dropped: this.dropped, waiting: this.queued };
  }

  /**
   * Stops sending. Pops still waiting (the `hungup` of calls a shutdown just ended) get up to `graceMs` to go out,
   * retried as usual; what is left then is given up and logged.
   */
  async stop(graceMs = this.opts.timeoutMs): Promise<void> {
    if (this.queued > 0 && !this.stopped) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.flushed = resolve;
        timer = setTimeout(resolve, graceMs);
      });
      clearTimeout(timer);
      this.flushed = undefined;
    }
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.queued > 0) {
      this.dropped += this.queued;
      this.opts.log.warn({ pops: this.queued }, 'screen pops given up at shutdown');
    }
  }

  private changed(call: CallView, leg: LegView): void {
    // A designer's test call rings no phone: a CRM would pop a caller who is not there.
    if (call.kind === 'test') return;
    if (leg.extension === undefined && leg.businessId !== 'maincall') return;
    const state = popState(leg);
    const key = `${call.callId}|${leg.legId}`;
    if (!state || this.last.get(key) === state) return;
    if (state === 'hungup' || state === 'canceled') this.last.delete(key);
    else this.last.set(key, state);
    // On an inbound call every leg but the caller's is a call from the customer to that party's phone (agent,
    // supervisor, consulted third): its callee is the party, whatever role it takes later (FORCE_PICKUP).
    const toParty = call.kind === 'inbound' && leg.businessId !== 'maincall';
    const params = {
      id: call.callId,
      caller: call.caller,
      callee: toParty ? leg.number : call.callee,
      state,
      direction: call.kind === 'inbound' ? 'incoming' : 'outgoing',
      businessId: leg.businessId,
      group: (leg.extension && this.opts.groupOf(leg.extension)) ?? '',
    };
    this.enqueue(call.callId, { params, queuedAt: Date.now() });
  }

  private enqueue(callId: string, pop: Pop): void {
    if (this.stopped) return;
    if (this.queued >= MAX_QUEUED) {
      this.dropped++;
      this.opts.log.warn({ callId, state: pop.params.state }, 'screen pop dropped: too many waiting');
      return;
    }
    this.queued++;
    const queue = this.queues.get(callId);
    if (queue) return void queue.push(pop);
    this.queues.set(callId, [pop]);
    void this.drain(callId);
  }

  /** Sends a call's pops one at a time, in order. */
  private async drain(callId: string): Promise<void> {
    const queue = this.queues.get(callId)!;
    while (queue.length > 0 && !this.stopped) {
      const pop = queue[0];
      let wait = FIRST_RETRY_MS;
      while (!(await this.send(pop))) {
        if (this.stopped) return;
        if (Date.now() + wait - pop.queuedAt > this.opts.retryForMs) {
          this.dropped++;
          this.opts.log.warn(
            { callId, state: pop.params.state },
            'screen pop given up: the CRM did not accept it',
          );
          break;
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.timers.delete(t);
            resolve();
          }, wait);
          this.timers.add(t);
        });
        wait = Math.min(wait * 2, MAX_RETRY_MS);
      }
      queue.shift();
      this.queued--;
    }
    this.queues.delete(callId);
    if (this.queued === 0) this.flushed?.();
  }

  /** One attempt; true when the CRM answered 2xx. */
  private async send(pop: Pop): Promise<boolean> {
    const url = new URL(this.opts.url);
    for (const [k, v] of Object.entries(pop.params)) url.searchParams.set(k, v);
    const verdict = this.opts.policy.check(url.toString());
    if (!verdict.ok) {
      this.opts.log.warn({ reason: verdict.reason }, 'screen pop URL refused by the outbound-URL policy');
      return false;
    }
    const headers: Record<string, string> = {};
    if (this.opts.secret) {
      const t = Math.floor(Date.now() / 1000);
      headers[SIGNATURE_HEADER] = signature(this.opts.secret, `${url.pathname}${url.search}`, t);
    }
    try {
      const res = await fetch(verdict.url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) {
        this.sent++;
        return true;
      }
      this.opts.log.debug({ status: res.status }, 'screen pop not accepted');
      return false;
    } catch (err) {
      this.opts.log.debug({ err }, 'screen pop failed');
      return false;
    }
  }
}

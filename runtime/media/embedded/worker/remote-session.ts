// RemoteSession: a leg's RTP session that lives in the media worker. Same behaviour as RtpSession (it is one,
// over there); here it checks arguments, forwards each call in order and turns answers back into promises.
import type {
  DtmfEvent,
  DtmfSource,
  MediaSource,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../contract.ts';
import { eventCode } from '../rtp/dtmf4733.ts';
import type { HoldParty } from '../rtp/hold.ts';
import type { RtpRemote, RtpStats } from '../rtp/session.ts';
import type { MediaWorker } from './host.ts';
import type { ToWorker } from './protocol.ts';
import { RemoteMixerPort } from './remote-mixer.ts';

type Events = { dtmf: (e: DtmfEvent) => void; timeout: () => void };

const HUNG_UP: PlayResult = { reason: 'hungup', errors: [] };

export class RemoteSession {
  private closed = false;
  private closing: Promise<void> | undefined;
  private finalStats: RtpStats | undefined;
  private readonly listeners: { [E in keyof Events]: Set<Events[E]> } = {
    dtmf: new Set(),
    timeout: new Set(),
  };

  constructor(
    private readonly host: MediaWorker,
    readonly sid: number,
    readonly localAddress: string,
    readonly localPort: number,
  ) {}

  setRemote(remote: RtpRemote): void {
    this.post({ op: 'setRemote', sid: this.sid, remote: { ...remote, codec: { ...remote.codec } } });
  }

  /** Resolves when the play ends, never rejects (a worker that died ends it as `hungup`). */
  play(sources: MediaSource[], opts: PlayOptions): Promise<PlayResult> {
    if (this.closed) return Promise.resolve({ ...HUNG_UP, errors: [] });
    return this.abortable(opts.signal, (req) => ({
      op: 'play',
      req,
      sid: this.sid,
      sources,
      bargein: opts.bargein,
    })).then(
      (r) => r as PlayResult,
      () => ({ ...HUNG_UP, errors: [] }),
    );
  }

  async record(opts: RecordOptions): Promise<RecordResult> {
    const { signal, ...rest } = opts;
    if (this.closed) return { reason: 'hungup', path: opts.path, durationMs: 0 };
    return (await this.abortable(signal, (req) => ({
      op: 'record',
      req,
      sid: this.sid,
      opts: rest,
    }))) as RecordResult;
  }

  async sendDtmf(digits: string): Promise<void> {
    for (const d of digits) eventCode(d);
    if (this.closed) return;
    await this.host.request((req) => ({ op: 'sendDtmf', req, sid: this.sid, digits })).catch(() => undefined);
  }

  injectDtmf(digit: string, source: DtmfSource): void {
    eventCode(digit);
    this.post({ op: 'injectDtmf', sid: this.sid, digit, source });
  }

  bridge(other: RemoteSession): void {
    if (other === this) throw new Error('cannot bridge a session to itself');
    if (!(other instanceof RemoteSession))
      throw new Error('cannot bridge to a session outside the media worker');
    this.post({ op: 'bridge', sid: this.sid, other: other.sid });
  }

  unbridge(): void {
    this.post({ op: 'unbridge', sid: this.sid });
  }

  hold(on: boolean, by: HoldParty = 'remote', music?: MediaSource): void {
    this.post({ op: 'hold', sid: this.sid, on, by, music });
  }

  attach(port: RemoteMixerPort | undefined): void {
    if (port !== undefined && !(port instanceof RemoteMixerPort))
      throw new Error('the mixer runs on another media clock');
    this.post({ op: 'attach', sid: this.sid, port: port?.id });
  }

  on<E extends keyof Events>(ev: E, fn: Events[E]): void {
    (this.listeners[ev] as Set<Events[E]>).add(fn);
  }

  off<E extends keyof Events>(ev: E, fn: Events[E]): void {
    (this.listeners[ev] as Set<Events[E]>).delete(fn);
  }

  /** Packet and digit counters of the session (asked of the worker; after close, its last counters). */
  async stats(): Promise<RtpStats> {
    await this.closing;
    if (this.finalStats) return this.finalStats;
    return (await this.host.request((req) => ({ op: 'stats', req, sid: this.sid }))) as RtpStats;
  }

  /** Called by the host with what the worker reported. */
  emit(ev: 'dtmf', e: DtmfEvent): void;
  emit(ev: 'timeout'): void;
  emit(ev: keyof Events, e?: DtmfEvent): void {
    if (this.closed) return;
    if (ev === 'dtmf') for (const fn of this.listeners.dtmf) fn(e as DtmfEvent);
    else for (const fn of this.listeners.timeout) fn();
  }

  /** The worker died: the leg ends the way a phone that stopped sending does. */
  lost(): void {
    const timeouts = [...this.listeners.timeout];
    this.closed = true;
    for (const fn of timeouts) fn();
  }

  /** Ends everything in the worker (a running play `hungup`, a recording saved) and frees the port. */
  close(): Promise<void> {
    this.closing ??= this.shut();
    return this.closing;
  }

  private async shut(): Promise<void> {
    const wasOpen = !this.closed;
    this.closed = true;
    if (wasOpen) {
      const last = this.host.request((req) => ({ op: 'close', req, sid: this.sid }));
      this.finalStats = (await last.catch(() => undefined)) as RtpStats | undefined;
    }
    this.host.forget(this.sid);
    this.listeners.dtmf.clear();
    this.listeners.timeout.clear();
  }

  private post(msg: ToWorker): void {
    if (!this.closed) this.host.post(msg);
  }

  /** A request whose AbortSignal, when it fires, aborts it in the worker. */
  private async abortable(
    signal: AbortSignal | undefined,
    build: (req: number) => ToWorker,
  ): Promise<unknown> {
    let sent: number | undefined;
    const onAbort = () => {
      if (sent !== undefined) this.host.post({ op: 'abort', req: sent });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const answer = this.host.request((req) => {
      sent = req;
      return build(req);
    });
    if (signal?.aborted) onAbort();
    try {
      return await answer;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

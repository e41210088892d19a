// FreeswitchEngine: the media contract on FreeSWITCH media servers behind drachtio-server (drachtio-srf for the
// SIP dialogs with phones and callees, drachtio-fsmrf for the media endpoints and conferences).
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import Srf from 'drachtio-srf';
import {
  OriginateError,
  type Admission,
  type CallLeg,
  type Conference,
  type EngineEvents,
  type IncomingRequest,
  type MediaEngine,
  type OriginateOptions,
  type Registration,
  type SipAccount,
  type Target,
} from '../contract.ts';
import type { TtsEngine } from '../audio/tts.ts';
import { untilEveryLegEnded } from '../embedded/drain.ts';
import { outcomeOf } from '../embedded/sip/uac.ts';
import { FreeswitchConference } from './conference.ts';
import { Extensions, sendSip } from './extensions.ts';
import { FreeswitchError, silentLog, type FreeswitchLog } from './errors.ts';
import { FreeswitchLeg, type LegContext, type LegMedia } from './leg.ts';
import { MediaServerPool, type MediaServerOptions, type MediaServerStatus } from './media-servers.ts';
import { SourceFiles } from './source-files.ts';

export interface DrachtioOptions {
  host: string;
  /** drachtio-server's admin (command) port, 9022 by default. */
  port: number;
  secret: string;
}

export interface FreeswitchEngineOptions {
  drachtio: DrachtioOptions;
  mediaServers: MediaServerOptions[];
  /** Where TTS prompts are written as WAV files; every media server must read the same path. */
  ttsDir: string;
  tts?: TtsEngine;
  /** What a held party hears when `hold()` names no music (a file the media servers can read). */
  holdMusic: string;
  /** The mod_conference profile conferences use (deploy/freeswitch: `switchboard`). */
  conferenceProfile?: string;
  /** Where calls to external numbers go (`Target` kind `trunk`). */
  trunk?: { host: string; port?: number; username?: string; password?: string };
  /** How long start() waits for drachtio-server and each event socket. */
  connectTimeoutMs?: number;
  log?: FreeswitchLog;
}

export class FreeswitchEngine implements MediaEngine {
  readonly name = 'freeswitch';
  private readonly events = new EventEmitter();
  private readonly legs = new Set<FreeswitchLeg>();
  private readonly log: FreeswitchLog;
  private readonly ctx: LegContext;
  private readonly extensions: Extensions;
  private srf?: Srf;
  private pool?: MediaServerPool;
  private admission: (req: IncomingRequest) => Admission = () => ({ action: 'accept' });
  private draining = false;
  private port?: number;

  constructor(private readonly opts: FreeswitchEngineOptions) {
    this.log = opts.log ?? silentLog;
    this.extensions = new Extensions(this.log, (ev) => this.emitRegistration(ev));
    this.ctx = {
      files: new SourceFiles({ ttsDir: opts.ttsDir, tts: opts.tts }),
      log: this.log,
      holdMusic: opts.holdMusic,
    };
  }

  /** The SIP port drachtio-server takes calls on (what phones dial), once started. */
  get sipPort(): number | undefined {
    return this.port;
  }

  /** Media servers connected right now. */
  get mediaServersUp(): number {
    return this.pool?.up ?? 0;
  }

  /**
   * Each configured media server, in configuration order: up or away, and the calls this runtime holds there
   * (what a health check or a test reads to see where calls went). Empty until started and after stop().
   */
  mediaServers(): MediaServerStatus[] {
    return this.pool?.status() ?? [];
  }

  async start(): Promise<void> {
    const timeoutMs = this.opts.connectTimeoutMs ?? 5000;
    const srf = new Srf();
    const hostport = await connectDrachtio(srf, this.opts.drachtio, timeoutMs);
    this.port = sipPortOf(hostport);
    srf.on('error', (err) => this.log.warn({ err }, 'drachtio-server connection error'));
    const pool = new MediaServerPool(srf, this.opts.mediaServers, this.log, timeoutMs);
    try {
      await pool.start();
    } catch (err) {
      disconnect(srf);
      throw err;
    }
    srf.invite((req, res) => this.onInvite(req, res));
    // srf.register exists (every SIP method has a route) but drachtio-srf's types leave it out.
    (srf as unknown as { register(fn: (req: Srf.SrfRequest, res: Srf.SrfResponse) => void): void }).register(
      (req, res) => this.extensions.onRegister(req, res),
    );
    this.srf = srf;
    this.pool = pool;
    this.draining = false;
  }

  async stop(): Promise<void> {
    this.draining = true;
    const hangups = Promise.all([...this.legs].map((leg) => leg.hangup('shutdown')));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([hangups, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
    this.pool?.stop();
    this.extensions.stop();
    if (this.srf) disconnect(this.srf);
    this.pool = undefined;
    this.srf = undefined;
  }

  drain(): Promise<void> {
    this.draining = true;
    return untilEveryLegEnded(this.legs);
  }

  on<E extends keyof EngineEvents>(event: E, fn: EngineEvents[E]): void {
    this.events.on(event, fn);
  }

  off<E extends keyof EngineEvents>(event: E, fn: EngineEvents[E]): void {
    this.events.off(event, fn);
  }

  /** Phones register with the runtime through drachtio-server (it routes REGISTER to us). */
  registrations(): Registration[] {
    return this.extensions.registrations();
  }

  setAccounts(accounts: readonly SipAccount[]): void {
    this.extensions.setAccounts(accounts);
  }

  setAdmission(fn: (req: IncomingRequest) => Admission): void {
    this.admission = fn;
  }

  conference(opts: { id?: string } = {}): Conference {
    return new FreeswitchConference(opts, this.opts.conferenceProfile ?? 'switchboard', this.log);
  }

  private emitRegistration(ev: { user: string; registered: boolean }): void {
    try {
      this.events.emit('registration', ev);
    } catch (err) {
      this.log.warn({ err }, 'registration handler failed');
    }
  }

  private adopt(leg: FreeswitchLeg): void {
    this.legs.add(leg);
    leg.on('hangup', () => this.legs.delete(leg));
  }

  private refuse(
    req: Srf.SrfRequest,
    res: Srf.SrfResponse,
    status: number,
    reason: string,
    extra = {},
  ): void {
    res.send(status, { headers: { Reason: `SIP;cause=${status};text="${reason}"`, ...extra } });
    this.refused(req, status, reason);
  }

  /** Tells the runtime about an INVITE answered with a final error before any leg existed. */
  private refused(req: Srf.SrfRequest, status: number, reason: string): void {
    const source = { address: req.source_address, port: Number(req.source_port) };
    this.log.debug({ source, status, reason, sipCallId: req.get('Call-ID') }, 'INVITE refused');
    try {
      this.events.emit('refused', {
        from: req.callingNumber,
        to: req.calledNumber,
        sipCallId: req.get('Call-ID'),
        source,
        status,
        reason,
      });
    } catch (err) {
      this.log.warn({ err }, 'refused call handler failed');
    }
  }

  private onInvite(req: Srf.SrfRequest, res: Srf.SrfResponse): void {
    if (this.draining || this.events.listenerCount('incoming') === 0) {
      this.refuse(req, res, 503, this.draining ? 'draining' : 'no call handler', { 'Retry-After': '30' });
      return;
    }
    const source = { address: req.source_address, port: Number(req.source_port) };
    const verdict = this.extensions.admit(req, this.admission);
    if (!verdict) return this.refuse(req, res, 400, 'unreadable INVITE');
    if (!verdict.ok) {
      sendSip(res, verdict.response);
      if (verdict.refused) this.refused(req, verdict.response.status, verdict.refused);
      return;
    }
    res.send(180);
    const leg = new FreeswitchLeg(
      {
        direction: 'inbound',
        from: req.callingNumber,
        to: req.calledNumber,
        callId: `${crypto.randomUUID()}@switchboard`,
        sipCallId: req.get('Call-ID'),
        peerAddress: `${source.address}:${source.port}`,
        authenticatedAs: verdict.authenticatedAs,
        connect: () => this.connectCaller(req, res),
        reject: (status) => {
          if (!res.finalResponseSent) res.send(status);
        },
      },
      this.ctx,
    );
    req.on('cancel', () => void leg.ended('caller-hangup', 'remote'));
    this.adopt(leg);
    try {
      this.events.emit('incoming', leg);
    } catch (err) {
      this.log.warn({ err }, 'incoming call handler failed');
      void leg.hangup('error');
    }
  }

  /** Answers the caller through the least loaded media server. */
  private async connectCaller(req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<LegMedia> {
    const { ms, release } = this.pool!.pick();
    try {
      const { endpoint, dialog } = await ms.connectCaller(req, res);
      return { endpoint, dialog, release };
    } catch (err) {
      release();
      if (!res.finalResponseSent) res.send(503);
      throw err;
    }
  }

  async originate(to: Target, opts: OriginateOptions): Promise<CallLeg> {
    const { uri, auth } = this.routeOf(to);
    if (!this.pool || !this.srf) throw new OriginateError('failed', undefined, 'the engine is not started');
    let server: ReturnType<MediaServerPool['pick']>;
    try {
      server = this.pool.pick();
    } catch (err) {
      throw new OriginateError('failed', undefined, (err as Error).message);
    }
    const endpoint = await server.ms.createEndpoint().catch((err: unknown) => {
      server.release();
      throw new OriginateError('failed', undefined, `media server: ${(err as Error).message}`);
    });
    if (/^m=audio [1-9]\d* RTP\/SAVP/m.test(endpoint.local.sdp)) {
      // FreeSWITCH keeps the crypto of its own offer after the callee took plain RTP: no one would hear the callee.
      this.log.warn(
        { server: server.ms.address },
        'the media server offers SRTP to callees: set rtp_secure_media=forbidden (deploy/freeswitch/freeswitch.xml)',
      );
    }
    const attempt = new Attempt(opts);
    try {
      const dialog = await this.srf.createUAC(
        uri,
        {
          localSdp: endpoint.local.sdp,
          headers: { ...opts.headers },
          auth,
          callingNumber: opts.from,
        } as Srf.CreateUACOptions,
        attempt.callbacks,
      );
      await endpoint.modify(dialog.remote.sdp);
      const leg = new FreeswitchLeg(
        {
          direction: 'outbound',
          from: opts.from,
          to: to.kind === 'uri' ? to.uri : to.number,
          callId: opts.callId ?? `${crypto.randomUUID()}@switchboard`,
          sipCallId: dialog.sip.callId,
          peerAddress: dialog.remote.uri,
          media: { endpoint, dialog, release: server.release },
        },
        this.ctx,
      );
      this.adopt(leg);
      return leg;
    } catch (err) {
      server.release();
      void endpoint.destroy().catch(() => undefined);
      throw attempt.failure(err);
    } finally {
      attempt.done();
    }
  }

  private routeOf(to: Target): { uri: string; auth?: { username: string; password: string } } {
    if (to.kind === 'uri') return { uri: to.uri };
    if (to.kind === 'trunk') {
      const t = this.opts.trunk;
      if (!t) throw new OriginateError('failed', undefined, 'no trunk configured');
      const auth = t.username && t.password ? { username: t.username, password: t.password } : undefined;
      return { uri: `sip:${to.number}@${t.host}:${t.port ?? 5060}`, auth };
    }
    if (!this.extensions.has(to.number))
      throw new OriginateError('not-found', 404, `no extension ${to.number}`);
    const contact = this.extensions.contactOf(to.number);
    if (!contact) throw new OriginateError('unavailable', 480, `extension ${to.number} is not registered`);
    return { uri: contact };
  }
}

/** One outbound INVITE: its ring timeout, its abort signal and how a failure reads. */
class Attempt {
  private request?: Srf.SrfRequest;
  private timedOut = false;
  private cancelled = false;
  private ringing = false;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onAbort = (): void => {
    this.cancelled = true;
    this.cancel();
  };

  constructor(private readonly opts: OriginateOptions) {
    this.timer = setTimeout(
      () => {
        this.timedOut = true;
        this.cancel();
      },
      (opts.timeoutSec ?? 60) * 1000,
    );
    opts.signal?.addEventListener('abort', this.onAbort);
    if (opts.signal?.aborted) this.cancelled = true;
  }

  readonly callbacks = {
    // drachtio-srf calls cbRequest(err, req), although its types say cbRequest(req): taking the first argument
    // as the request left it null, so neither the ring timeout nor the abort signal ever sent a CANCEL.
    cbRequest: ((err: Error | null, req?: Srf.SrfRequest): void => {
      if (err || !req) return;
      this.request = req;
      if (this.timedOut || this.cancelled) this.cancel();
    }) as unknown as (req: Srf.SrfRequest) => void,
    cbProvisional: (res: Srf.SrfResponse): void => {
      if ((res.status === 180 || res.status === 183) && !this.ringing) {
        this.ringing = true;
        this.opts.onRinging?.();
      }
    },
  };

  private cancel(): void {
    this.request?.cancel(() => undefined);
  }

  failure(err: unknown): OriginateError {
    if (err instanceof OriginateError) return err;
    const status = (err as { status?: number }).status;
    if (this.cancelled) return new OriginateError('cancelled', status);
    if (this.timedOut) return new OriginateError('no-answer', status);
    if (typeof status !== 'number') return new OriginateError('failed', undefined, (err as Error).message);
    return new OriginateError(outcomeOf(status, this.ringing), status);
  }

  done(): void {
    clearTimeout(this.timer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** Connects to drachtio-server's admin port; rejects with E_DRACHTIO_UNREACHABLE (and stops retrying). */
function connectDrachtio(srf: Srf, d: DrachtioOptions, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      srf.removeAllListeners('connect');
      srf.removeAllListeners('error');
      srf.on('error', () => undefined);
      disconnect(srf);
      reject(new FreeswitchError('E_DRACHTIO_UNREACHABLE', `drachtio-server at ${d.host}:${d.port}: ${why}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    srf.on('connect', (err, hostport) => {
      if (err) return fail(err.message);
      clearTimeout(timer);
      srf.removeAllListeners('connect');
      resolve(hostport);
    });
    srf.on('error', (err) => fail(err.message));
    void srf.connect({ host: d.host, port: d.port, secret: d.secret });
  });
}

/** drachtio-srf 5's wire protocol (internal): what stops its reconnecting. */
interface WireProtocol {
  closing?: boolean;
  reconnectVars?: { retryTimer?: ReturnType<typeof setTimeout> | null };
}

/**
 * Closes the admin connection for good. drachtio-srf retries a connection that never came up forever, and its
 * disconnect() throws before stopping that (it has no socket to close): mark its wire protocol closing instead.
 */
function disconnect(srf: Srf): void {
  const client = (
    srf as unknown as { _app?: { client?: { wp?: WireProtocol; mapServer?: Map<Socket, unknown> } } }
  )._app?.client;
  const wp = client?.wp;
  if (wp) {
    wp.closing = true;
    if (wp.reconnectVars?.retryTimer) clearTimeout(wp.reconnectVars.retryTimer);
  }
  const sockets = [...(client?.mapServer?.keys() ?? [])];
  try {
    srf.disconnect();
  } catch {
    // never connected: nothing to close
  }
  // disconnect() only half-closes: a peer that never answered would keep the socket (and the process) alive.
  for (const socket of sockets) socket.destroy();
}

/** The UDP SIP port in drachtio's `udp/127.0.0.1:5060,tcp/…` host-port list. */
function sipPortOf(hostport: string): number | undefined {
  const m = /(?:^|,)(?:udp|tcp)\/[^,]*:(\d+)/.exec(hostport);
  return m ? Number(m[1]) : undefined;
}

export { FreeswitchError };

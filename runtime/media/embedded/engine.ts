// EmbeddedEngine: the in-process SIP engine behind the media contract (registrar, inbound and outbound calls).
import { EventEmitter } from 'node:events';
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
import { admitEveryone, admitInvite, offerOf, refusedCall, type AdmissionHook } from './admission.ts';
import { EmbeddedConference } from './conference.ts';
import { untilEveryLegEnded } from './drain.ts';
import { EmbeddedLeg, type LegMedia } from './leg.ts';
import { sharedMediaClock, type TickStats } from './rtp/clock.ts';
import { RtpSession } from './rtp/session.ts';
import { MediaWorker } from './worker/host.ts';
import type { WorkerResources } from './worker/protocol.ts';
import { ALLOW, makeResponse } from './sip/build.ts';
import { ExtensionAuth } from './sip/auth.ts';
import { answerToMalformed } from './sip/malformed.ts';
import type { AuthFailureLimits } from './sip/auth-failures.ts';
import type { CallContext, SipCall } from './sip/call.ts';
import { dialogIdOfRequest, peerForUri, type LocalAddress } from './sip/dialog.ts';
import {
  header,
  parseNameAddr,
  parseUri,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './sip/message.ts';
import { Registrar, type Binding, type Extension } from './sip/registrar.ts';
import {
  DEFAULT_TIMERS,
  TransactionLayer,
  type ServerTransaction,
  type SipTimers,
} from './sip/transaction.ts';
import {
  SipTransport,
  type ParseFailure,
  type Peer,
  type TcpLimits,
  type TransportName,
} from './sip/transport.ts';
import { OutboundCall } from './sip/uac.ts';
import { callerOf, InboundCall } from './sip/uas.ts';
import { sendMessage } from './sip/message-out.ts';

export interface TrunkOptions {
  host: string;
  port?: number;
  transport?: TransportName;
  username?: string;
  password?: string;
  fromDomain?: string;
}

export interface EngineLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Opens the RTP session of one leg. */
export type MediaFactory = (opts: { host: string }) => Promise<LegMedia>;

export interface EmbeddedEngineOptions {
  /** Address to bind and to advertise in Via, Contact and SDP (use `publicHost` when they differ). */
  host: string;
  publicHost?: string;
  /** 0 picks a free port; read `engine.sipPort` after `start()`. */
  sipPort: number;
  transports?: TransportName[];
  rtpPorts?: { min: number; max: number };
  extensions?: Extension[];
  /** Digest realm of the registrar (default: the host). */
  realm?: string;
  trunk?: TrunkOptions;
  userAgent?: string;
  tts?: TtsEngine;
  /** No RTP for this long ends the call (`media-timeout`); 0 or unset = off. */
  mediaTimeoutMs?: number;
  /**
   * Runs every RTP session, conference mix and the 20 ms media clock in a worker thread (`worker/`), so SIP,
   * checks and the store on the main thread never delay a packet. Off: they share the main thread.
   */
  mediaWorker?: boolean;
  /** Overrides how RTP sessions are opened (default: `rtp/session.ts`, in the media worker when it is on). */
  media?: MediaFactory;
  timers?: Partial<SipTimers>;
  /** Limits on SIP over TCP (idle time, connections in total and per source address). */
  tcp?: TcpLimits;
  /** Failed digest authentications per source address before it gets 403 for a while. */
  authFailures?: AuthFailureLimits;
  log?: EngineLog;
}

/** A SIP MESSAGE received outside a dialog (an SMS from a phone or a gateway). */
export interface IncomingMessage {
  /** The sender's user part (its number). */
  from: string;
  /** The number it was sent to. */
  to: string;
  contentType: string;
  body: string;
  /** Sends a MESSAGE back to the sender; resolves with the final SIP status (408: no answer). */
  reply(body: string): Promise<number>;
}

export interface EmbeddedEngineEvents extends EngineEvents {
  /** A SIP MESSAGE arrived outside a dialog. */
  message: (ev: IncomingMessage) => void;
}

const NOT_ALLOWED = ['SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'REFER', 'PRACK', 'UPDATE'];

export class EmbeddedEngine implements MediaEngine {
  readonly name = 'embedded';
  private readonly events = new EventEmitter();
  private readonly transport: SipTransport;
  private readonly layer: TransactionLayer;
  private readonly registrar: Registrar;
  private readonly auth: ExtensionAuth;
  /** Extension passwords, shared by the registrar's and INVITE admission's digest checks. */
  private readonly passwords = new Map<string, string>();
  private admission: AdmissionHook = admitEveryone;
  private readonly dialogs = new Map<string, SipCall>();
  /** Per dialog: lets its TCP connection close again when idle. */
  private readonly releases = new Map<string, () => void>();
  private readonly ringing = new Map<string, InboundCall>();
  private readonly legs = new Set<EmbeddedLeg>();
  private readonly worker: MediaWorker | undefined;
  private readonly ctx: CallContext;
  private readonly log: EngineLog;
  private draining = false;
  private started = false;

  constructor(private readonly opts: EmbeddedEngineOptions) {
    this.log = opts.log ?? { debug: () => {}, warn: () => {} };
    if (opts.mediaWorker && !opts.media) this.worker = new MediaWorker({ tts: opts.tts, log: this.log });
    this.transport = new SipTransport({
      host: opts.host,
      port: opts.sipPort,
      transports: opts.transports ?? ['udp', 'tcp'],
      ...opts.tcp,
    });
    this.layer = new TransactionLayer(this.transport, { ...DEFAULT_TIMERS, ...opts.timers }, (msg, err) =>
      this.log.warn({ err }, msg),
    );
    const passwords = this.passwords;
    for (const e of opts.extensions ?? []) passwords.set(e.number, e.password);
    this.auth = new ExtensionAuth({
      realm: opts.realm ?? opts.publicHost ?? opts.host,
      passwordOf: (user) => passwords.get(user),
      limits: opts.authFailures,
      log: this.log,
    });
    this.registrar = new Registrar({
      extensions: opts.extensions ?? [],
      realm: opts.realm ?? opts.publicHost ?? opts.host,
      auth: this.auth,
    });
    this.registrar.on('registration', (ev) => this.events.emit('registration', ev));
    // Over TCP a phone (behind NAT) is reachable only through the connection it registered on.
    this.registrar.on('bound', (b: Binding) => this.transport.keepOpenUntil(b.peer, b.expires));
    const local: LocalAddress = { host: opts.publicHost ?? opts.host, port: 0 };
    this.ctx = {
      layer: this.layer,
      local,
      userAgent: opts.userAgent ?? 'switchboard-ivr',
      log: (msg, err) => this.log.warn({ err }, msg),
      track: (id, call) => this.track(id, call),
    };
    this.transport.on('message', (m: SipMessage, peer: Peer) => this.onMessage(m, peer));
    this.transport.on('malformed', (f: ParseFailure) => this.onMalformed(f));
    this.transport.on('error', (err: unknown) => this.log.warn({ err }, 'transport error'));
    this.transport.on('refused', (peer: Peer) =>
      this.log.debug({ peer }, 'TCP connection closed: its source holds too many'),
    );
  }

  /** Routes in-dialog requests of `id` to `call` (or stops); a TCP connection stays open while its dialog lives. */
  private track(id: string, call: SipCall | undefined): void {
    if (call && !this.dialogs.has(id)) {
      const peer = call.dialog?.peer;
      if (peer) this.releases.set(id, this.transport.hold(peer));
    }
    if (call) this.dialogs.set(id, call);
    else {
      this.dialogs.delete(id);
      this.releases.get(id)?.();
      this.releases.delete(id);
    }
  }

  /** The bound SIP port (UDP and TCP share it). */
  get sipPort(): number {
    return this.transport.port;
  }

  /** Live calls and transactions, for tests and metrics. */
  get stats(): {
    legs: number;
    dialogs: number;
    transactions: { servers: number; clients: number };
    tcp: number;
  } {
    return {
      legs: this.legs.size,
      dialogs: this.dialogs.size,
      transactions: this.layer.size,
      tcp: this.transport.tcpConnections,
    };
  }

  async start(): Promise<void> {
    await this.worker?.start();
    await this.transport.start();
    this.ctx.local.port = this.transport.port;
    this.started = true;
    this.draining = false;
  }

  /** Stop accepting calls: new INVITEs get 503 while existing calls go on; resolves when the last leg ended. */
  drain(): Promise<void> {
    this.draining = true;
    return untilEveryLegEnded(this.legs);
  }

  conference(opts: { id?: string } = {}): Conference {
    return new EmbeddedConference({ ...opts, mix: this.worker?.mixer() });
  }

  /** What the media worker holds (undefined when media runs on the main thread). */
  mediaWorkerResources(): Promise<WorkerResources> | undefined {
    return this.worker?.resources();
  }

  /** Where media runs, and its clock's lateness and work per tick (`reset` starts the percentiles afresh). */
  async mediaClock(reset = false): Promise<{ thread: 'worker' | 'main'; stats: TickStats }> {
    if (this.worker) return { thread: 'worker', stats: await this.worker.clockStats(reset) };
    const clock = sharedMediaClock();
    const stats = clock.stats();
    if (reset) clock.resetStats();
    return { thread: 'main', stats };
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.draining = true;
    // A dead peer would keep a BYE transaction alive for 64*T1: do not let it hold the shutdown.
    const hangups = Promise.all([...this.legs].map((leg) => leg.hangup('shutdown')));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([hangups, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    this.layer.stop();
    this.registrar.stop();
    await this.transport.stop();
    await this.worker?.stop();
    this.started = false;
  }

  on<E extends keyof EmbeddedEngineEvents>(event: E, fn: EmbeddedEngineEvents[E]): void {
    this.events.on(event, fn);
  }

  off<E extends keyof EmbeddedEngineEvents>(event: E, fn: EmbeddedEngineEvents[E]): void {
    this.events.off(event, fn);
  }

  registrations(): Registration[] {
    return this.registrar.registrations();
  }

  setAccounts(accounts: readonly SipAccount[]): void {
    this.passwords.clear();
    for (const a of accounts) this.passwords.set(a.number, a.password);
    this.registrar.setExtensions(accounts);
  }

  setAdmission(fn: (req: IncomingRequest) => Admission): void {
    this.admission = fn;
  }

  private openMedia(): Promise<LegMedia> {
    const host = this.ctx.local.host;
    if (this.opts.media) return this.opts.media({ host });
    const opened = { host, ports: this.opts.rtpPorts, mediaTimeoutMs: this.opts.mediaTimeoutMs };
    if (this.worker) return this.worker.openSession(opened);
    return RtpSession.open({ ...opened, tts: this.opts.tts });
  }

  private adopt(leg: EmbeddedLeg): void {
    this.legs.add(leg);
    leg.on('hangup', () => this.legs.delete(leg));
  }

  async originate(to: Target, opts: OriginateOptions): Promise<CallLeg> {
    const route = this.routeOf(to);
    const media = await this.openMedia();
    const call = new OutboundCall(this.ctx, media, {
      ...route,
      from: opts.from,
      fromDomain:
        this.opts.trunk?.fromDomain && to.kind === 'trunk' ? this.opts.trunk.fromDomain : this.ctx.local.host,
      timeoutSec: opts.timeoutSec ?? 60,
      signal: opts.signal,
      onRinging: opts.onRinging,
      headers: opts.headers,
    });
    const leg = new EmbeddedLeg({
      direction: 'outbound',
      from: opts.from,
      to: to.kind === 'uri' ? to.uri : to.number,
      callId: opts.callId ?? `${crypto.randomUUID()}@${this.ctx.local.host}`,
      state: 'ringing',
      media,
      signalling: call,
      peerAddress: `${route.peer.address}:${route.peer.port}`,
    });
    call.leg = leg;
    this.adopt(leg);
    return call.start();
  }

  private routeOf(to: Target): {
    uri: string;
    peer: Peer;
    credentials?: { username: string; password: string };
    symmetric?: boolean;
  } {
    if (to.kind === 'extension') {
      if (!this.registrar.has(to.number))
        throw new OriginateError('not-found', 404, `no extension ${to.number}`);
      const b = this.registrar.lookup(to.number);
      if (!b) throw new OriginateError('unavailable', 480, `extension ${to.number} is not registered`);
      // A phone behind NAT is reached where its REGISTER came from, not at the address it advertises.
      const peer = b.symmetric ? b.peer : (peerForUri(b.contact, b.peer) ?? b.peer);
      return { uri: b.contact, peer, symmetric: b.symmetric };
    }
    if (to.kind === 'trunk') {
      const t = this.opts.trunk;
      if (!t) throw new OriginateError('failed', undefined, 'no trunk configured');
      const port = t.port ?? 5060;
      const credentials =
        t.username && t.password ? { username: t.username, password: t.password } : undefined;
      return {
        uri: `sip:${to.number}@${t.host}:${port}`,
        peer: { transport: t.transport ?? 'udp', address: t.host, port },
        credentials,
      };
    }
    const peer = peerForUri(to.uri);
    if (!peer || !parseUri(to.uri)) throw new OriginateError('not-found', undefined, `bad uri ${to.uri}`);
    return { uri: to.uri, peer };
  }

  private onMalformed(f: ParseFailure): void {
    this.log.debug({ peer: f.peer, error: f.error }, 'malformed SIP message');
    const res = answerToMalformed(f);
    if (res) this.layer.send(res, f.peer);
  }

  private onMessage(m: SipMessage, peer: Peer): void {
    try {
      if (m.kind === 'response') this.layer.response(m);
      else this.onRequest(m, peer);
    } catch (err) {
      this.log.warn({ err }, 'failed to handle SIP message');
    }
  }

  private onRequest(req: SipRequest, peer: Peer): void {
    const { tx, absorbed } = this.layer.serverFor(req, peer);
    if (absorbed) return;
    if (req.method === 'ACK') {
      const call = this.dialogs.get(dialogIdOfRequest(req));
      if (call instanceof InboundCall) call.onAck(req);
      return;
    }
    if (!tx) return;
    const mf = header(req, 'max-forwards');
    if (mf !== undefined && Number(mf) === 0) {
      this.answerEarly(req, tx, peer, makeResponse(req, 483), 'too many hops');
      return;
    }
    const require = header(req, 'require');
    if (require && req.method !== 'CANCEL') {
      const res = makeResponse(req, 420, { headers: { Unsupported: require } });
      this.answerEarly(req, tx, peer, res, `unsupported extension ${require}`);
      return;
    }
    if (req.method === 'CANCEL') return this.onCancel(req, tx);
    const toTag = parseNameAddr(header(req, 'to') ?? '')?.params.tag;
    if (toTag) {
      const call = this.dialogs.get(dialogIdOfRequest(req));
      if (call) call.onRequest(req, tx);
      else tx.respond(makeResponse(req, 481));
      return;
    }
    this.onOutOfDialog(req, tx, peer);
  }

  private onOutOfDialog(req: SipRequest, tx: ServerTransaction, peer: Peer): void {
    const ok = { headers: { Allow: ALLOW, Accept: 'application/sdp', 'User-Agent': this.ctx.userAgent } };
    if (!/^(sips?|tel):/i.test(req.uri)) {
      this.answerEarly(req, tx, peer, makeResponse(req, 416), 'unsupported URI scheme');
      return;
    }
    switch (req.method) {
      case 'INVITE':
        void this.onInvite(req, tx, peer);
        return;
      case 'REGISTER':
        tx.respond(this.registrar.handle(req, peer, crypto.randomUUID().slice(0, 8)));
        return;
      case 'OPTIONS':
        tx.respond(makeResponse(req, 200, { toTag: crypto.randomUUID().slice(0, 8), ...ok }));
        return;
      case 'MESSAGE': {
        const { from, to } = callerOf(req);
        tx.respond(makeResponse(req, 200, { toTag: crypto.randomUUID().slice(0, 8) }));
        const contentType = header(req, 'content-type') ?? 'text/plain';
        const sender = parseNameAddr(header(req, 'from') ?? '')?.uri;
        // The answer goes to the sender's URI at the address the message came from (as responses do, NAT-safe),
        // with the message's Call-ID so the sender threads it with what it sent.
        const reply = (body: string) =>
          sender
            ? sendMessage(this.ctx, { uri: sender, peer, fromUser: to, callId: header(req, 'call-id'), body })
            : Promise.resolve(400);
        this.events.emit('message', { from, to, contentType, body: req.body.toString('utf8'), reply });
        return;
      }
      case 'BYE':
      case 'INFO':
        tx.respond(makeResponse(req, 481));
        return;
      default:
        tx.respond(makeResponse(req, NOT_ALLOWED.includes(req.method) ? 405 : 501, ok));
    }
  }

  private onCancel(req: SipRequest, tx: ServerTransaction): void {
    const invite = this.layer.inviteFor(req);
    const call = invite ? this.ringing.get(invite.key) : undefined;
    if (!invite) {
      tx.respond(makeResponse(req, 481));
      return;
    }
    tx.respond(makeResponse(req, 200));
    call?.onCancel();
  }

  /** A final error to a request before it reaches its handler; for an INVITE it is a refused call. */
  private answerEarly(
    req: SipRequest,
    tx: ServerTransaction,
    peer: Peer,
    res: SipResponse,
    why: string,
  ): void {
    const inDialog = parseNameAddr(header(req, 'to') ?? '')?.params.tag !== undefined;
    if (req.method === 'INVITE' && !inDialog) this.refuse(req, tx, peer, res, why);
    else tx.respond(res);
  }

  /** Answers an INVITE with a final error before any leg exists, and says so (`refused`). */
  private refuse(req: SipRequest, tx: ServerTransaction, peer: Peer, res: SipResponse, reason: string): void {
    tx.respond(res);
    const status = res.status;
    this.log.debug({ peer, status, reason, sipCallId: header(req, 'call-id') }, 'INVITE refused');
    try {
      this.events.emit('refused', refusedCall(req, peer, status, reason));
    } catch (err) {
      this.log.warn({ err }, 'refused call handler failed');
    }
  }

  private async onInvite(req: SipRequest, tx: ServerTransaction, peer: Peer): Promise<void> {
    if (this.draining || this.events.listenerCount('incoming') === 0) {
      const res = makeResponse(req, 503, { headers: { 'Retry-After': '30' } });
      this.refuse(req, tx, peer, res, this.draining ? 'draining' : 'no call handler');
      return;
    }
    tx.respond(makeResponse(req, 100));
    const verdict = admitInvite(req, peer, this.admission, this.auth, (o, m) => this.log.warn(o, m));
    const offer = verdict.ok ? offerOf(req) : verdict;
    if (!offer.ok) {
      if (offer.refused) this.refuse(req, tx, peer, offer.response, offer.refused);
      else tx.respond(offer.response);
      return;
    }
    const { negotiated } = offer;
    let media: LegMedia;
    try {
      media = await this.openMedia();
    } catch (err) {
      this.log.warn({ err }, 'cannot open RTP session');
      this.refuse(req, tx, peer, makeResponse(req, 503), 'no RTP port');
      return;
    }
    const call = new InboundCall(this.ctx, media, req, tx, peer, negotiated);
    const { from, to } = callerOf(req);
    const leg = new EmbeddedLeg({
      direction: 'inbound',
      from,
      to,
      callId: `${crypto.randomUUID()}@${this.ctx.local.host}`,
      state: 'ringing',
      media,
      signalling: call,
      authenticatedAs: verdict.ok ? verdict.authenticatedAs : undefined,
      peerAddress: `${peer.address}:${peer.port}`,
    });
    call.leg = leg;
    this.adopt(leg);
    this.ringing.set(tx.key, call);
    leg.on('state', (s) => s !== 'ringing' && this.ringing.delete(tx.key));
    call.ring();
    try {
      this.events.emit('incoming', leg);
    } catch (err) {
      this.log.warn({ err }, 'incoming call handler failed');
      void leg.hangup('error');
    }
  }
}

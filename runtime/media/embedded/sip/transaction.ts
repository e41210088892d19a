// RFC 3261 §17 transactions (+ RFC 6026 accepted state): retransmission timers over UDP, absorbed duplicates.
import {
  header,
  parseCSeq,
  parseNameAddr,
  parseVia,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message.ts';
import { stampReceived } from './nat.ts';
import type { Peer, SipTransport } from './transport.ts';

export interface SipTimers {
  t1: number;
  t2: number;
  t4: number;
}
export const DEFAULT_TIMERS: SipTimers = { t1: 500, t2: 4000, t4: 5000 };

type Handle = ReturnType<typeof setTimeout>;

/** Key of the transaction a message belongs to (§17.1.3 / §17.2.3); ACK for a non-2xx matches its INVITE. */
export function transactionKey(m: SipMessage): string {
  const via = parseVia(header(m, 'via') ?? '');
  const cseq = parseCSeq(header(m, 'cseq') ?? '');
  let method = m.kind === 'request' ? m.method : (cseq?.method ?? '');
  if (method === 'ACK') method = 'INVITE';
  const branch = via?.params.branch;
  if (typeof branch === 'string' && branch.startsWith('z9hG4bK'))
    return `${branch}|${via?.host}:${via?.port ?? ''}|${method}`;
  const fromTag = parseNameAddr(header(m, 'from') ?? '')?.params.tag;
  return `${header(m, 'call-id')}|${cseq?.seq}|${String(fromTag)}|${header(m, 'via')}|${method}`;
}

abstract class Transaction {
  private timers: Handle[] = [];
  done = false;
  constructor(
    protected readonly layer: TransactionLayer,
    readonly key: string,
    readonly peer: Peer,
  ) {}

  protected get reliable(): boolean {
    return this.peer.transport !== 'udp';
  }

  protected after(ms: number, fn: () => void): void {
    const t = setTimeout(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  /** Retransmits with doubling interval (capped at `cap`) until `stop` says so or timers are cleared. */
  protected retransmit(send: () => void, interval: number, cap: number): void {
    this.after(interval, () => {
      if (this.done) return;
      send();
      this.retransmit(send, Math.min(interval * 2, cap), cap);
    });
  }

  terminate(): void {
    this.done = true;
    this.clearTimers();
    this.layer.forget(this as unknown as ServerTransaction | ClientTransaction);
  }
}

export class ServerTransaction extends Transaction {
  private last?: SipResponse;
  private state: 'trying' | 'proceeding' | 'completed' | 'accepted' | 'confirmed' = 'trying';

  constructor(
    layer: TransactionLayer,
    key: string,
    peer: Peer,
    readonly request: SipRequest,
  ) {
    super(layer, key, peer);
  }

  get isInvite(): boolean {
    return this.request.method === 'INVITE';
  }

  get finalSent(): boolean {
    return this.state !== 'trying' && this.state !== 'proceeding';
  }

  respond(res: SipResponse): void {
    if (this.finalSent || this.done) return;
    stampReceived(res, this.peer);
    this.last = res;
    this.layer.send(res, this.peer);
    const { t1, t2, t4 } = this.layer.timers;
    if (res.status < 200) {
      this.state = 'proceeding';
      return;
    }
    if (this.isInvite && res.status < 300) {
      this.state = 'accepted';
      this.after(64 * t1, () => this.terminate());
    } else if (this.isInvite) {
      this.state = 'completed';
      if (!this.reliable) this.retransmit(() => this.resend(), t1, t2); // Timer G
      this.after(64 * t1, () => this.terminate()); // Timer H
    } else {
      this.state = 'completed';
      this.after(this.reliable ? 0 : 64 * t1, () => this.terminate()); // Timer J
    }
    void t4;
  }

  /** A retransmitted request or an ACK arrived for this transaction. */
  absorb(m: SipRequest): void {
    if (m.method === 'ACK') {
      if (this.state === 'completed') {
        this.state = 'confirmed';
        this.clearTimers();
        this.after(this.reliable ? 0 : this.layer.timers.t4, () => this.terminate()); // Timer I
      }
      return;
    }
    if (this.state === 'accepted') return;
    if (this.last) this.resend();
  }

  private resend(): void {
    if (this.last && this.state !== 'confirmed') this.layer.send(this.last, this.peer);
  }
}

export interface ClientHandlers {
  onResponse(res: SipResponse): void;
  /** Timer B/F fired or the transport failed: the TU sees a 408. */
  onTimeout(): void;
}

export class ClientTransaction extends Transaction {
  private state: 'calling' | 'proceeding' | 'completed' | 'accepted' = 'calling';
  private ack?: SipRequest;

  constructor(
    layer: TransactionLayer,
    key: string,
    peer: Peer,
    readonly request: SipRequest,
    private readonly handlers: ClientHandlers,
  ) {
    super(layer, key, peer);
  }

  start(): void {
    const { t1, t2 } = this.layer.timers;
    this.layer.send(this.request, this.peer, () => this.fail());
    const isInvite = this.request.method === 'INVITE';
    if (!this.reliable) this.retransmit(() => this.resendRequest(), t1, isInvite ? Infinity : t2); // Timer A / E
    this.after(64 * t1, () => this.fail()); // Timer B / F
  }

  private resendRequest(): void {
    if (this.state === 'calling' || (this.state === 'proceeding' && this.request.method !== 'INVITE')) {
      this.layer.send(this.request, this.peer);
    }
  }

  private fail(): void {
    if (this.done || this.state === 'completed' || this.state === 'accepted') return;
    this.terminate();
    this.handlers.onTimeout();
  }

  receive(res: SipResponse): void {
    if (this.done) return;
    const isInvite = this.request.method === 'INVITE';
    const { t1, t4 } = this.layer.timers;
    if (res.status < 200) {
      if (this.state !== 'calling' && this.state !== 'proceeding') return;
      // An INVITE that got a provisional answer stops retransmitting and never times out (Timer B is for Calling).
      if (isInvite && this.state === 'calling') this.clearTimers();
      this.state = 'proceeding';
      this.handlers.onResponse(res);
      return;
    }
    if (this.state === 'completed') {
      if (this.ack) this.layer.send(this.ack, this.peer); // retransmitted final: ACK again
      return;
    }
    if (this.state === 'accepted') {
      this.handlers.onResponse(res); // RFC 6026: the TU re-ACKs retransmitted 2xx
      return;
    }
    this.clearTimers();
    if (isInvite && res.status < 300) {
      this.state = 'accepted';
      this.after(64 * t1, () => this.terminate()); // Timer M
    } else if (isInvite) {
      this.state = 'completed';
      this.ack = nonSuccessAck(this.request, res);
      this.layer.send(this.ack, this.peer);
      this.after(this.reliable ? 0 : 32_000, () => this.terminate()); // Timer D
    } else {
      this.state = 'completed';
      this.after(this.reliable ? 0 : t4, () => this.terminate()); // Timer K
    }
    this.handlers.onResponse(res);
  }
}

/** §17.1.1.3: the ACK for a 3xx-6xx reuses the INVITE's branch, Call-ID, From, Route and takes the response's To. */
function nonSuccessAck(invite: SipRequest, res: SipResponse): SipRequest {
  const keep = ['via', 'from', 'call-id', 'route', 'max-forwards'];
  const headers = invite.headers.filter((h) => keep.includes(h.name)).map((h) => ({ ...h }));
  headers.splice(1, 0, { name: 'to', value: header(res, 'to') ?? '' });
  const seq = parseCSeq(header(invite, 'cseq') ?? '')?.seq ?? 1;
  headers.push({ name: 'cseq', value: `${seq} ACK` });
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}

/** Holds live transactions (bounded: each removes itself after its last timer) and routes messages to them. */
export class TransactionLayer {
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly clients = new Map<string, ClientTransaction>();

  constructor(
    private readonly transport: SipTransport,
    readonly timers: SipTimers = DEFAULT_TIMERS,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  get size(): { servers: number; clients: number } {
    return { servers: this.servers.size, clients: this.clients.size };
  }

  send(m: SipMessage, peer: Peer, onError?: () => void): void {
    this.transport.send(m, peer).catch((err: unknown) => {
      this.log('send failed', err);
      onError?.();
    });
  }

  /** Returns the new server transaction for a request, or undefined when it was a retransmission or an ACK. */
  serverFor(req: SipRequest, peer: Peer): { tx?: ServerTransaction; absorbed: boolean } {
    const key = transactionKey(req);
    const existing = this.servers.get(key);
    if (existing) {
      existing.absorb(req);
      return { absorbed: true };
    }
    if (req.method === 'ACK') return { absorbed: false };
    const tx = new ServerTransaction(this, key, peer, req);
    this.servers.set(key, tx);
    return { tx, absorbed: false };
  }

  /** The INVITE server transaction a CANCEL refers to (same branch). */
  inviteFor(cancel: SipRequest): ServerTransaction | undefined {
    return this.servers.get(transactionKey({ ...cancel, method: 'INVITE' }));
  }

  request(req: SipRequest, peer: Peer, handlers: ClientHandlers): ClientTransaction {
    const tx = new ClientTransaction(this, transactionKey(req), peer, req, handlers);
    this.clients.set(tx.key, tx);
    tx.start();
    return tx;
  }

  /** Routes a response to its client transaction; false when none matches (stray or late). */
  response(res: SipResponse): boolean {
    const tx = this.clients.get(transactionKey(res));
    if (!tx) return false;
    tx.receive(res);
    return true;
  }

  forget(tx: ServerTransaction | ClientTransaction): void {
    if (tx instanceof ServerTransaction) {
      if (this.servers.get(tx.key) === tx) this.servers.delete(tx.key);
    } else if (this.clients.get(tx.key) === tx) this.clients.delete(tx.key);
  }

  stop(): void {
    for (const tx of [...this.servers.values(), ...this.clients.values()]) tx.terminate();
  }
}

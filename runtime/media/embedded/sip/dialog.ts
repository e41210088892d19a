// SIP dialogs (RFC 3261 §12): identifiers, CSeq, route set and building in-dialog requests, UAS and UAC side.
import { newBranch } from './build.ts';
import {
  header,
  headerValues,
  parseCSeq,
  parseNameAddr,
  parseUri,
  type SipRequest,
  type SipResponse,
} from './message.ts';
import type { Peer, TransportName } from './transport.ts';

/** Where we are reachable, used for Via and Contact. */
export interface LocalAddress {
  host: string;
  port: number;
}

export function viaFor(local: LocalAddress, transport: TransportName, branch = newBranch()): string {
  return `SIP/2.0/${transport.toUpperCase()} ${local.host}:${local.port};branch=${branch};rport`;
}

export function contactFor(local: LocalAddress, transport: TransportName, user = 'ivr'): string {
  return `<sip:${user}@${local.host}:${local.port}${transport === 'tcp' ? ';transport=tcp' : ''}>`;
}

/** Where to send a request for `uri` (loose routing: the first route if any), reusing `fallback`'s transport. */
export function peerForUri(uri: string, fallback?: Peer): Peer | undefined {
  const u = parseUri(uri);
  if (!u) return undefined;
  const t = typeof u.params.transport === 'string' ? u.params.transport.toLowerCase() : undefined;
  const transport: TransportName = t === 'tcp' ? 'tcp' : t === 'udp' ? 'udp' : (fallback?.transport ?? 'udp');
  return { transport, address: u.host.replace(/^\[|\]$/g, ''), port: u.port ?? 5060 };
}

export class Dialog {
  localSeq: number;
  remoteSeq: number;
  routeSet: string[];
  /** Where the peer really is (its source address, or its TCP connection) when requests must go back there
   *  instead of to its Contact: a phone behind NAT (see nat.ts). */
  observed?: Peer;

  private constructor(
    readonly callId: string,
    readonly localTag: string,
    public remoteTag: string,
    readonly localUri: string,
    readonly remoteUri: string,
    public remoteTarget: string,
    readonly local: LocalAddress,
    readonly transport: TransportName,
    localSeq: number,
    remoteSeq: number,
    routeSet: string[],
  ) {
    this.localSeq = localSeq;
    this.remoteSeq = remoteSeq;
    this.routeSet = routeSet;
  }

  /** UAS side: from the INVITE we received and the tag we put in our To. */
  static asServer(
    invite: SipRequest,
    localTag: string,
    local: LocalAddress,
    transport: TransportName,
  ): Dialog {
    const from = parseNameAddr(header(invite, 'from') ?? '');
    const to = parseNameAddr(header(invite, 'to') ?? '');
    const contact = parseNameAddr(headerValues(invite, 'contact')[0] ?? '');
    return new Dialog(
      header(invite, 'call-id') ?? '',
      localTag,
      typeof from?.params.tag === 'string' ? from.params.tag : '',
      to?.uri ?? '',
      from?.uri ?? '',
      contact?.uri ?? from?.uri ?? '',
      local,
      transport,
      Math.floor(Math.random() * 10_000),
      parseCSeq(header(invite, 'cseq') ?? '')?.seq ?? 0,
      headerValues(invite, 'record-route'),
    );
  }

  /** UAC side: from the INVITE we sent and the 2xx (or 1xx with tag) we received; route set is reversed. */
  static asClient(
    invite: SipRequest,
    res: SipResponse,
    local: LocalAddress,
    transport: TransportName,
  ): Dialog {
    const from = parseNameAddr(header(invite, 'from') ?? '');
    const to = parseNameAddr(header(res, 'to') ?? '');
    const contact = parseNameAddr(headerValues(res, 'contact')[0] ?? '');
    return new Dialog(
      header(invite, 'call-id') ?? '',
      typeof from?.params.tag === 'string' ? from.params.tag : '',
      typeof to?.params.tag === 'string' ? to.params.tag : '',
      from?.uri ?? '',
      to?.uri ?? '',
      contact?.uri ?? invite.uri,
      local,
      transport,
      parseCSeq(header(invite, 'cseq') ?? '')?.seq ?? 1,
      0,
      headerValues(res, 'record-route').reverse(),
    );
  }

  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /** Where in-dialog requests go: the first route (loose routing) or the remote target. */
  get peer(): Peer | undefined {
    if (this.observed && !this.routeSet.length) return this.observed;
    const first = this.routeSet[0] ? parseNameAddr(this.routeSet[0])?.uri : undefined;
    return peerForUri(first ?? this.remoteTarget, { transport: this.transport, address: '', port: 0 });
  }

  /** A new in-dialog request; ACK for a 2xx passes the INVITE's CSeq number. */
  request(
    method: string,
    opts: { body?: Buffer; contentType?: string; headers?: Record<string, string>; seq?: number } = {},
  ): SipRequest {
    const seq = method === 'ACK' ? (opts.seq ?? this.localSeq) : ++this.localSeq;
    const headers = [
      { name: 'via', value: viaFor(this.local, this.transport) },
      { name: 'max-forwards', value: '70' },
      { name: 'from', value: `<${this.localUri}>;tag=${this.localTag}` },
      { name: 'to', value: `<${this.remoteUri}>${this.remoteTag ? `;tag=${this.remoteTag}` : ''}` },
      { name: 'call-id', value: this.callId },
      { name: 'cseq', value: `${seq} ${method}` },
      ...this.routeSet.map((r) => ({ name: 'route', value: r })),
      { name: 'contact', value: contactFor(this.local, this.transport) },
    ];
    for (const [name, value] of Object.entries(opts.headers ?? {}))
      headers.push({ name: name.toLowerCase(), value });
    if (opts.contentType) headers.push({ name: 'content-type', value: opts.contentType });
    return { kind: 'request', method, uri: this.remoteTarget, headers, body: opts.body ?? Buffer.alloc(0) };
  }

  /** Checks and records the CSeq of an in-dialog request; false for an out-of-order one (→ 500). */
  acceptSeq(req: SipRequest): boolean {
    const seq = parseCSeq(header(req, 'cseq') ?? '')?.seq ?? 0;
    if (req.method === 'ACK' || req.method === 'CANCEL') return true;
    if (seq <= this.remoteSeq) return false;
    this.remoteSeq = seq;
    const contact = parseNameAddr(headerValues(req, 'contact')[0] ?? '');
    if (contact && req.method === 'INVITE') this.remoteTarget = contact.uri; // target refresh
    return true;
  }
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

/** The dialog id a received request belongs to (our tag is in To). */
export function dialogIdOfRequest(req: SipRequest): string {
  const from = parseNameAddr(header(req, 'from') ?? '')?.params.tag;
  const to = parseNameAddr(header(req, 'to') ?? '')?.params.tag;
  return dialogId(header(req, 'call-id') ?? '', String(to ?? ''), String(from ?? ''));
}

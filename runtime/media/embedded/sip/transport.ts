// SIP transports: one UDP socket and one TCP listener (Content-Length framing, connection reuse, caps).
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { ConnectionTable, type TcpLimits } from './connections.ts';
import { MAX_MESSAGE_BYTES, parseMessage, serialize, type SipMessage } from './message.ts';

export type { TcpLimits } from './connections.ts';

export type TransportName = 'udp' | 'tcp';

export interface Peer {
  transport: TransportName;
  address: string;
  port: number;
}

export interface TransportOptions extends TcpLimits {
  host: string;
  port: number;
  transports: TransportName[];
}

/** Something that could not be parsed; `partial` is set when enough was read to answer with a 400. */
export interface ParseFailure {
  peer: Peer;
  error: string;
  partial?: SipMessage;
}

const key = (address: string, port: number): string => `${address}:${port}`;

/**
 * Emits `message` (msg, peer), `malformed` (ParseFailure) and `refused` (peer: a TCP connection over its
 * source's cap, closed at once). UDP and TCP share one port number when possible:
 * with `port: 0` the UDP port is bound first and TCP takes the same number.
 */
export class SipTransport extends EventEmitter {
  private udp?: UdpSocket;
  private tcp?: Server;
  private readonly connections: ConnectionTable;
  port = 0;

  constructor(private readonly opts: TransportOptions) {
    super();
    this.connections = new ConnectionTable(opts);
  }

  /** TCP connections held now. */
  get tcpConnections(): number {
    return this.connections.size;
  }

  get host(): string {
    return this.opts.host;
  }

  async start(): Promise<void> {
    // With port 0 the TCP listener takes the port UDP got; if that number is taken for TCP, try another pair.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.bind();
        return;
      } catch (err) {
        await this.stop();
        if (this.opts.port !== 0 || attempt >= 5) throw err;
      }
    }
  }

  private async bind(): Promise<void> {
    this.port = 0;
    if (this.opts.transports.includes('udp')) {
      const udp = createSocket('udp4');
      udp.on('message', (data, rinfo) =>
        this.onDatagram(data, { transport: 'udp', address: rinfo.address, port: rinfo.port }),
      );
      udp.on('error', (err) => this.emit('error', err));
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.opts.port, this.opts.host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      this.udp = udp;
      this.port = udp.address().port;
    }
    if (this.opts.transports.includes('tcp')) {
      // No `maxConnections` on the server: a full table makes room (ConnectionTable) instead of refusing.
      const tcp = createServer((sock) => this.adopt(sock, false));
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(this.port || this.opts.port, this.opts.host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      this.tcp = tcp;
      const addr = tcp.address();
      if (addr && typeof addr === 'object') this.port = addr.port;
    }
  }

  async stop(): Promise<void> {
    this.connections.closeAll();
    if (this.udp) await new Promise<void>((resolve) => this.udp!.close(() => resolve()));
    if (this.tcp) await new Promise<void>((resolve) => this.tcp!.close(() => resolve()));
    this.udp = undefined;
    this.tcp = undefined;
  }

  /** Keeps the TCP connection to `peer` open while a dialog lives on it; returns the release. */
  hold(peer: Peer): () => void {
    return peer.transport === 'tcp' ? this.connections.hold(key(peer.address, peer.port)) : () => {};
  }

  /** Keeps the TCP connection to `peer` open until `until` (ms since epoch): a registration lives on it. */
  keepOpenUntil(peer: Peer, until: number): void {
    if (peer.transport === 'tcp') this.connections.keepOpenUntil(key(peer.address, peer.port), until);
  }

  async send(msg: SipMessage, peer: Peer): Promise<void> {
    const data = serialize(msg);
    if (peer.transport === 'udp') {
      if (!this.udp) throw new Error('UDP transport not started');
      await new Promise<void>((resolve, reject) =>
        this.udp!.send(data, peer.port, peer.address, (err) => (err ? reject(err) : resolve())),
      );
      return;
    }
    const k = key(peer.address, peer.port);
    const sock = this.connections.get(k) ?? (await this.dial(peer));
    this.connections.touch(k);
    sock.write(data);
  }

  private dial(peer: Peer): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: peer.address, port: peer.port });
      sock.once('error', reject);
      sock.once('connect', () => {
        sock.off('error', reject);
        this.adopt(sock, true);
        resolve(sock);
      });
    });
  }

  private adopt(sock: Socket, dialled: boolean): void {
    const k = key(sock.remoteAddress ?? '', sock.remotePort ?? 0);
    const peer: Peer = { transport: 'tcp', address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 };
    sock.on('error', () => sock.destroy());
    if (!this.connections.add(k, sock, peer.address, dialled)) {
      sock.destroy();
      this.emit('refused', peer);
      return;
    }
    // Idle means no bytes; a connection that still carries a call or a binding is given another period.
    // (A listener of its own: the callback form of setTimeout fires once.)
    sock.setTimeout(this.connections.limits.idleMs);
    sock.on('timeout', () => {
      if (!this.connections.closable(k)) {
        sock.setTimeout(this.connections.limits.idleMs);
        return;
      }
      this.connections.remove(k, sock);
      sock.destroy();
    });
    let buffer: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      this.connections.touch(k);
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      buffer = this.drainStream(buffer, peer, sock, k);
    });
    sock.on('close', () => this.connections.remove(k, sock));
  }

  /** Emits every complete message in `buffer`; returns what is left for the next chunk. */
  private drainStream(buffer: Buffer, peer: Peer, sock: Socket, k: string): Buffer {
    while (buffer.length > 0) {
      const skip = leadingCrlf(buffer);
      if (skip) buffer = buffer.subarray(skip);
      if (!buffer.length) break;
      const res = parseMessage(buffer, { stream: true });
      if (res.ok) {
        this.connections.touch(k, true);
        this.emit('message', res.message, peer);
        buffer = res.rest;
        continue;
      }
      if (res.incomplete && buffer.length <= MAX_MESSAGE_BYTES * 2) break;
      // A stream cannot be resynchronised after a framing error: answer if we can, then drop the connection.
      this.emit('malformed', { peer, error: res.error, partial: res.partial } satisfies ParseFailure);
      sock.end();
      return Buffer.alloc(0);
    }
    return buffer.length ? Buffer.from(buffer) : buffer;
  }

  private onDatagram(data: Buffer, peer: Peer): void {
    if (data.length <= 4 && leadingCrlf(data) === data.length) return; // keep-alive
    if (data.length > MAX_MESSAGE_BYTES) {
      this.emit('malformed', { peer, error: 'datagram too large' } satisfies ParseFailure);
      return;
    }
    const res = parseMessage(data);
    if (res.ok) this.emit('message', res.message, peer);
    else this.emit('malformed', { peer, error: res.error, partial: res.partial } satisfies ParseFailure);
  }
}

function leadingCrlf(b: Buffer): number {
  let i = 0;
  while (i < b.length && (b[i] === 13 || b[i] === 10)) i++;
  return i;
}

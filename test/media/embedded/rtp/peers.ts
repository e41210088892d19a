// Test helpers: a raw UDP peer that captures and sends RTP, session pairs on loopback, and waiting with a deadline.
import { createSocket, type Socket } from 'node:dgram';
import { parseRtp, serializeRtp, type RtpPacket } from '../../../../runtime/media/embedded/rtp/packet.ts';
import { RtpSession, PCMU, type Codec } from '../../../../runtime/media/embedded/rtp/session.ts';

/** Polls `cond` until it holds; fails after `ms` (a deadline, not a sleep used as synchronisation). */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 2));
  }
}

export class RawPeer {
  readonly packets: { packet: RtpPacket; from: number }[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (msg, rinfo) => {
      const packet = parseRtp(Buffer.from(msg));
      if (packet) this.packets.push({ packet, from: rinfo.port });
    });
  }

  static async open(): Promise<RawPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    return new RawPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(to: number, p: Partial<RtpPacket> & { payload: Uint8Array }): void {
    const packet: RtpPacket = {
      marker: false,
      payloadType: 0,
      sequence: 0,
      timestamp: 0,
      ssrc: 0x1234,
      ...p,
    };
    this.socket.send(serializeRtp(packet), to, '127.0.0.1');
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}

/** Two sessions pointed at each other. */
export async function sessionPair(
  codecA: Codec = PCMU,
  codecB: Codec = codecA,
  /** null: no telephone-event negotiated (in-band DTMF). */
  telephoneEventPt: number | null = 101,
): Promise<[RtpSession, RtpSession]> {
  const telephoneEvent = telephoneEventPt ?? undefined;
  const a = await RtpSession.open();
  const b = await RtpSession.open();
  a.setRemote({ address: '127.0.0.1', port: b.localPort, codec: codecB, telephoneEvent });
  b.setRemote({ address: '127.0.0.1', port: a.localPort, codec: codecA, telephoneEvent });
  return [a, b];
}

export function digitsOf(session: RtpSession): { text: string; sources: string[] } {
  const got = { text: '', sources: [] as string[] };
  session.on('dtmf', (e) => {
    got.text += e.digit;
    got.sources.push(e.source);
  });
  return got;
}

// The sending half of an RTP stream: sequence, timestamp and SSRC state, talkspurt markers, and the socket write.
import type { Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { RTP_HEADER_BYTES, writeRtpHeader } from './packet.ts';
import { FRAME_SAMPLES } from './frames.ts';

type Target = { address: string; port: number };

export class RtpSender {
  /** False while the SDP direction forbids sending; media time still advances. */
  enabled = true;
  /** RTP timestamp of the current tick: advances by one frame per tick whether or not anything is sent. */
  timestamp: number;
  readonly ssrc: number;
  packetsSent = 0;
  bytesSent = 0;
  private seq: number;
  private talking = false;
  private target: Target | undefined;
  private isLatched = false;
  /**
   * Once latched, the socket is connect()ed to the target: sends skip dgram's per-packet address lookup (about a
   * quarter of the send cost) and the kernel drops datagrams from anywhere else.
   */
  private link: 'none' | 'connecting' | 'connected' = 'none';
  private generation = 0;
  private closed = false;

  constructor(private readonly socket: Socket) {
    // Random initial sequence, timestamp and SSRC (RFC 3550 section 5.1).
    const rnd = randomBytes(10);
    this.seq = rnd.readUInt16BE(0);
    this.timestamp = rnd.readUInt32BE(2);
    this.ssrc = rnd.readUInt32BE(6);
  }

  /** Where packets go. */
  get to(): Target | undefined {
    return this.target;
  }

  /** True once the target came from received media (symmetric RTP). */
  get latched(): boolean {
    return this.isLatched;
  }

  /** Sends to the address announced in SDP; the next received packet may latch another. */
  announce(target: Target): void {
    this.generation++;
    this.isLatched = false;
    this.target = target;
    if (this.link === 'connected') {
      this.socket.disconnect();
      this.link = 'none';
    }
  }

  /** Sends to where media really comes from from now on. */
  latch(target: Target): void {
    this.announce(target);
    this.isLatched = true;
    this.connect();
  }

  close(): void {
    this.closed = true;
  }

  private connect(): void {
    // While an older connect is under way, its callback comes back here.
    if (this.link !== 'none' || !this.isLatched || !this.target || this.closed) return;
    const gen = this.generation;
    this.link = 'connecting';
    this.socket.connect(this.target.port, this.target.address, (err?: Error) => {
      if (this.closed) return;
      if (err) {
        this.link = 'none';
        return;
      }
      this.link = 'connected';
      if (gen === this.generation) return;
      this.socket.disconnect();
      this.link = 'none';
      this.connect();
    });
  }

  /** Sends one audio frame at the current timestamp, with the marker when a talkspurt starts; undefined = silence. */
  audio(payloadType: number, payload: Uint8Array | undefined): void {
    if (!payload) {
      this.talking = false;
      return;
    }
    this.send(payloadType, !this.talking, this.timestamp, payload);
    this.talking = true;
  }

  /** Sends a telephone-event packet (its own marker and event timestamp); audio after it starts a new talkspurt. */
  event(payloadType: number, marker: boolean, timestamp: number, payload: Uint8Array): void {
    this.talking = false;
    this.send(payloadType, marker, timestamp, payload);
  }

  /** Nothing sent this tick. */
  silent(): void {
    this.talking = false;
  }

  advance(): void {
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
  }

  private send(payloadType: number, marker: boolean, timestamp: number, payload: Uint8Array): void {
    const to = this.target;
    if (!to || !this.enabled || this.closed) return;
    // One buffer per packet: a [header, payload] list costs about half again as much inside dgram.send.
    const packet = Buffer.allocUnsafe(RTP_HEADER_BYTES + payload.length);
    writeRtpHeader(packet, { marker, payloadType, sequence: this.seq, timestamp, ssrc: this.ssrc });
    packet.set(payload, RTP_HEADER_BYTES);
    this.seq = (this.seq + 1) & 0xffff;
    if (this.link === 'connected') this.socket.send(packet);
    else this.socket.send(packet, to.port, to.address);
    this.packetsSent++;
    this.bytesSent += packet.length;
  }
}

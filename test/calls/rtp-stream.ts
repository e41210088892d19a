// A raw RTP stream for fault tests, sent from a RawPeer socket: one SSRC with its own sequence and timestamp,
// PCMU frames at any rate and in bursts, garbage datagrams, and RFC 4733 keys paced like a phone. A fault
// injector, not a phone: calls are still set up by sipp.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RawPeer } from '../media/embedded/rtp/peers.ts';
import { digitPackets } from './pcap.ts';

/** Runs `fn` every `ms` until it ran `times` times or `signal` aborts (a traffic shape, not a wait). */
function every(ms: number, times: number, fn: () => void, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    let n = 0;
    const timer = setInterval(() => {
      if (signal?.aborted || n++ >= times) {
        clearInterval(timer);
        return done();
      }
      fn();
    }, ms);
  });
}

export class RtpStream {
  /** Datagrams sent so far. */
  sent = 0;
  private sequence = 0;
  private timestamp = 0;

  constructor(
    private readonly peer: RawPeer,
    /** The runtime's RTP port. */
    private readonly to: number,
    private readonly ssrc: number,
  ) {}

  /** One 20 ms PCMU frame of noise. */
  audio(): void {
    this.send(0, false, this.timestamp, randomBytes(160));
    this.timestamp = (this.timestamp + 160) >>> 0;
  }

  /** `count` frames back to back, and `garbage` datagrams that are not RTP at all. */
  burst(count: number, garbage = 0): void {
    for (let i = 0; i < count; i++) this.audio();
    for (let i = 0; i < garbage; i++) {
      this.peer.socket.send(randomBytes(1 + (i % 11)), this.to, '127.0.0.1');
      this.sent++;
    }
  }

  /** `perTick` frames every 20 ms for `ticks` ticks: 4 per tick is 200 packets a second, ten times a phone. */
  flood(perTick: number, ticks: number): Promise<void> {
    return every(20, ticks, () => this.burst(perTick));
  }

  /**
   * `digits` as RFC 4733 events paced like a phone, with `audioPerTick` frames every 10 ms besides (2: the flood
   * goes on at 200 a second); stops early when `signal` aborts.
   */
  async keys(digits: string, opts: { audioPerTick?: number; signal?: AbortSignal } = {}): Promise<void> {
    const plan = digitPackets(digits);
    const base = this.timestamp;
    const start = performance.now();
    let next = 0;
    const sendUntil = (atMs: number) => {
      for (; next < plan.length && plan[next].atMs <= atMs; next++) {
        const p = plan[next];
        this.send(p.payloadType, p.marker, (base + p.timestamp) >>> 0, p.payload);
      }
    };
    const tick = () => {
      sendUntil(performance.now() - start);
      for (let i = 0; i < (opts.audioPerTick ?? 0); i++) this.audio();
    };
    await every(10, Math.ceil(plan[plan.length - 1].atMs / 10) + 1, tick, opts.signal);
    // Whatever a late timer left goes out now: every key is sent whole.
    if (!opts.signal?.aborted) sendUntil(Infinity);
  }

  private send(payloadType: number, marker: boolean, timestamp: number, payload: Uint8Array): void {
    this.peer.send(this.to, {
      payloadType,
      marker,
      sequence: this.sequence,
      timestamp,
      ssrc: this.ssrc,
      payload,
    });
    this.sequence = (this.sequence + 1) & 0xffff;
    this.sent++;
  }
}

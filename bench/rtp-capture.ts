// Receiver-side figures: what a phone hears, not what the runtime's clock believes it sent. tcpdump captures RTP
// to and from the runtime's ports on loopback (headers only). Jitter: each stream's inter-arrival times against
// the 20 ms they should be. Digit to prompt: from the caller's key to the first packet of the prompt that
// answers it. Loopback delivers at send time, so capture time is arrival time at the peer.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseRtp } from '../runtime/media/embedded/rtp/packet.ts';
import { pct } from './call-load.ts';

export interface Capture {
  /** Stops tcpdump; resolves with the packets the kernel dropped (0 when it kept up). */
  stop(): Promise<{ dropped: number }>;
}

export const canCapture = (): boolean => spawnSync('tcpdump', ['--version']).status === 0;

/** Captures UDP to and from the runtime's RTP ports on lo into `file`; resolves once tcpdump is listening. */
export async function startCapture(file: string, ports: Ports): Promise<Capture> {
  const range = `${ports.min}-${ports.max}`;
  const filter = `udp and host 127.0.0.1 and (src portrange ${range} or dst portrange ${range})`;
  const child = spawn('tcpdump', ['-i', 'lo', '-n', '-s', '80', '-B', '32768', '-U', '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exit = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((done, fail) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) done();
    });
    void exit.then(() => fail(new Error(`tcpdump exited: ${err.trim()}`)));
  });
  return {
    async stop() {
      child.kill('SIGINT');
      await exit;
      const m = /(\d+) packets? dropped by kernel/.exec(err);
      return { dropped: m ? Number(m[1]) : 0 };
    },
  };
}

export interface Ports {
  min: number;
  max: number;
}

export interface Phase {
  name: string;
  /** Wall-clock end of the phase (ms since the epoch); a phase starts where the previous one ended. */
  end: number;
}

export interface PhaseJitter {
  name: string;
  /** Packets compared (consecutive in sequence and timestamp within a talkspurt). */
  intervals: number;
  p50: number;
  p99: number;
  max: number;
}

const LINKTYPE_EN10MB = 1;
const LINKTYPE_LINUX_SLL = 113;

interface CapturedRtp {
  at: number;
  srcPort: number;
  dstPort: number;
  rtp: NonNullable<ReturnType<typeof parseRtp>>;
}

/** Every RTP packet of a capture, in capture order (headers whole, payloads cut at the snap length). */
function* readRtp(file: string): Generator<CapturedRtp> {
  const buf = readFileSync(file);
  if (buf.length < 24 || buf.readUInt32LE(0) !== 0xa1b2c3d4)
    throw new Error(`${file}: not a little-endian pcap`);
  const link = buf.readUInt32LE(20);
  const l2 = link === LINKTYPE_EN10MB ? 14 : link === LINKTYPE_LINUX_SLL ? 16 : -1;
  if (l2 < 0) throw new Error(`${file}: link type ${link} not read here`);
  for (let off = 24; off + 16 <= buf.length;) {
    const at = buf.readUInt32LE(off) * 1000 + buf.readUInt32LE(off + 4) / 1000;
    const incl = buf.readUInt32LE(off + 8);
    const p = off + 16;
    off = p + incl;
    const ip = p + l2;
    if (off > buf.length || incl < l2 + 20 + 8 + 12) continue;
    const udp = ip + (buf[ip] & 0x0f) * 4;
    const rtp = parseRtp(buf.subarray(udp + 8, p + incl));
    if (rtp) yield { at, srcPort: buf.readUInt16BE(udp), dstPort: buf.readUInt16BE(udp + 2), rtp };
  }
}

const inRange = (port: number, ports: Ports) => port >= ports.min && port <= ports.max;
const isAudio = (pt: number) => pt === 0 || pt === 8;

/**
 * |inter-arrival − 20 ms| per stream the runtime sends (source port + SSRC), for consecutive packets of a
 * talkspurt (sequence +1, timestamp +160, no marker), grouped by the phase the later packet arrived in.
 */
export function jitterByPhase(file: string, phases: Phase[], ports: Ports): PhaseJitter[] {
  const last = new Map<string, { seq: number; ts: number; at: number }>();
  const devs: number[][] = phases.map(() => []);
  let phase = 0;
  for (const { at, srcPort, rtp } of readRtp(file)) {
    // The runtime's audio only: telephone-events have their own pacing.
    if (!inRange(srcPort, ports) || !isAudio(rtp.payloadType)) continue;
    const { marker, sequence: seq, timestamp: ts } = rtp;
    const key = `${srcPort}/${rtp.ssrc}`;
    const prev = last.get(key);
    last.set(key, { seq, ts, at });
    while (phase < phases.length - 1 && at > phases[phase].end) phase++;
    if (!prev || marker || seq !== ((prev.seq + 1) & 0xffff) || ts !== (prev.ts + 160) >>> 0) continue;
    devs[phase].push(Math.abs(at - prev.at - 20));
  }
  return phases.map(({ name }, i) => {
    const xs = devs[i];
    return { name, intervals: xs.length, p50: pct(xs, 0.5), p99: pct(xs, 0.99), max: pct(xs, 1) };
  });
}

/**
 * Digit to prompt on the wire, per call: from the first packet of the caller's latest RFC 4733 event (marker
 * bit) to the runtime's next talkspurt (an audio packet with the marker bit) on the same port. Barge-in has
 * stopped the prompt before, so that talkspurt is the prompt that answers the keys.
 */
export function digitToPromptOnWire(file: string, ports: Ports): number[] {
  const keyAt = new Map<number, number>();
  const out: number[] = [];
  for (const { at, srcPort, dstPort, rtp } of readRtp(file)) {
    if (inRange(dstPort, ports) && !isAudio(rtp.payloadType) && rtp.marker) keyAt.set(dstPort, at);
    else if (inRange(srcPort, ports) && isAudio(rtp.payloadType) && rtp.marker) {
      const from = keyAt.get(srcPort);
      if (from === undefined) continue;
      out.push(at - from);
      keyAt.delete(srcPort);
    }
  }
  return out;
}

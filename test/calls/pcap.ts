// Writes RTP captures that sipp's play_pcap_audio sends: RFC 4733 digit strings and in-band DTMF (PCMU) audio.
//
// sipp's own dtmf_2833_<d>.pcap files work too (test/calls/stock-dtmf.test.ts: the receiver hears a key pressed
// again with the same fixed timestamp by its marker bit), but they hold one key each and a new play_pcap_audio cuts
// the running one short, so a scenario needs a play and a pause per key. These captures hold a whole digit string
// in one file, paced like a phone, each key with its own timestamp. The Ethernet/IPv4/UDP framing is taken from
// sipp's capture (sipp rewrites addresses, ports and the UDP checksum when it sends, never the RTP header).
import { readFileSync, writeFileSync } from 'node:fs';
import { encode } from '../../runtime/media/audio/g711.ts';
import { concat, dtmfTone, silence } from '../../runtime/media/audio/tone.ts';

const SIPP_CAPTURE = '/usr/share/sip-tester/dtmf_2833_1.pcap';
const EVENTS = '0123456789*#';
const PACKET_MS = 20;
/** Each key: 5 event packets (100 ms), 3 end packets, then a pause before the next key. */
const TONE_PACKETS = 5;
const END_REPEATS = 3;

/** The capture's global header and the link, IPv4 and UDP headers of its first frame. */
function template(): { global: Buffer; headers: Buffer } {
  const file = readFileSync(SIPP_CAPTURE);
  if (file.readUInt32LE(0) !== 0xa1b2c3d4 || file.readUInt32LE(20) !== 1)
    throw new Error(`${SIPP_CAPTURE}: expected a little-endian Ethernet capture`);
  const caplen = file.readUInt32LE(24 + 8);
  const frame = file.subarray(40, 40 + caplen);
  const ihl = (frame[14] & 0x0f) * 4;
  return { global: Buffer.from(file.subarray(0, 24)), headers: Buffer.from(frame.subarray(0, 14 + ihl + 8)) };
}

/** One RTP packet of a capture, `atMs` after the capture's start. */
export interface TimedRtp {
  atMs: number;
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  payload: Uint8Array;
}

function writeCapture(file: string, packets: readonly TimedRtp[]): void {
  const { global, headers } = template();
  const ipAt = 14;
  const udpAt = headers.length - 8;
  const records = packets.map((p) => {
    const rtp = Buffer.alloc(12 + p.payload.length);
    rtp[0] = 0x80;
    rtp[1] = (p.marker ? 0x80 : 0) | p.payloadType;
    rtp.writeUInt16BE(p.seq & 0xffff, 2);
    rtp.writeUInt32BE(p.timestamp >>> 0, 4);
    rtp.writeUInt32BE(0x5eed1234, 8);
    Buffer.from(p.payload).copy(rtp, 12);
    const frame = Buffer.concat([headers, rtp]);
    frame.writeUInt16BE(frame.length - ipAt, ipAt + 2);
    frame.writeUInt16BE(frame.length - udpAt, udpAt + 4);
    const record = Buffer.alloc(16);
    const us = Math.round(p.atMs * 1000);
    record.writeUInt32LE(1_700_000_000 + Math.floor(us / 1e6), 0);
    record.writeUInt32LE(us % 1e6, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  writeFileSync(file, Buffer.concat([global, ...records]));
}

/**
 * `digits` as RFC 4733 events (payload type 101), one key every `everyMs`. `first` numbers the first key within
 * the call, so captures played one after another on the same call never share an event timestamp.
 */
export function writeDigitsPcap(
  file: string,
  digits: string,
  opts: { first?: number; everyMs?: number } = {},
): void {
  writeCapture(file, digitPackets(digits, opts));
}

/** The packets of `digits` as RFC 4733 events, paced like a phone (what writeDigitsPcap captures). */
export function digitPackets(digits: string, opts: { first?: number; everyMs?: number } = {}): TimedRtp[] {
  const every = opts.everyMs ?? 250;
  const packets: TimedRtp[] = [];
  let seq = 1000 + (opts.first ?? 0) * 16;
  [...digits].forEach((digit, i) => {
    const code = EVENTS.indexOf(digit);
    if (code < 0) throw new Error(`not a DTMF key: ${digit}`);
    const timestamp = 80_000 + ((opts.first ?? 0) + i) * 8000;
    for (let k = 0; k < TONE_PACKETS + END_REPEATS; k++) {
      const end = k >= TONE_PACKETS;
      const duration = Math.min(k + 1, TONE_PACKETS) * 160;
      const payload = Uint8Array.of(code, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff);
      const atMs = i * every + Math.min(k, TONE_PACKETS) * PACKET_MS;
      packets.push({ atMs, payloadType: 101, marker: k === 0, seq: seq++, timestamp, payload });
    }
  });
  return packets;
}

/** `digits` as in-band DTMF tones in PCMU (payload type 0): 120 ms of tone and 120 ms of silence per key. */
export function writeTonesPcap(file: string, digits: string): void {
  const pcm = concat([silence(200), ...[...digits].flatMap((d) => [dtmfTone(d, 120), silence(120)])]);
  const ulaw = encode('ulaw', pcm);
  const packets: TimedRtp[] = [];
  for (let i = 0; i * 160 < ulaw.length; i++) {
    const payload = new Uint8Array(160).fill(0xff);
    payload.set(ulaw.subarray(i * 160, (i + 1) * 160));
    packets.push({
      atMs: i * PACKET_MS,
      payloadType: 0,
      marker: i === 0,
      seq: 2000 + i,
      timestamp: i * 160,
      payload,
    });
  }
  writeCapture(file, packets);
}

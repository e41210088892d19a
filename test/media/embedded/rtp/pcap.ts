// Test helper: a minimal pcap reader that yields the UDP payloads of Ethernet/IPv4 captures (sipp's RTP files).
import { readFileSync } from 'node:fs';

/** One UDP datagram of a capture and when it was captured, in ms after the capture's first frame. */
export interface CapturedDatagram {
  atMs: number;
  payload: Buffer;
}

export function udpDatagrams(path: string): CapturedDatagram[] {
  const buf = readFileSync(path);
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d)
    throw new Error('not a pcap');
  // 0xa1b23c4d captures count nanoseconds instead of microseconds.
  const fractionPerMs = (le ? magic : buf.readUInt32BE(0)) === 0xa1b23c4d ? 1e6 : 1e3;
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const linkType = u32(20);
  const out: CapturedDatagram[] = [];
  let firstMs: number | undefined;
  for (let at = 24; at + 16 <= buf.length;) {
    const frameMs = u32(at) * 1000 + u32(at + 4) / fractionPerMs;
    firstMs ??= frameMs;
    const caplen = u32(at + 8);
    const frame = buf.subarray(at + 16, at + 16 + caplen);
    at += 16 + caplen;
    // Link types: 1 Ethernet (14-byte header), 113 Linux cooked (16 bytes).
    const l2 = linkType === 1 ? 14 : linkType === 113 ? 16 : -1;
    if (l2 < 0 || frame.length < l2 + 20) continue;
    const etherType = frame.readUInt16BE(l2 - 2);
    if (etherType !== 0x0800) continue;
    const ip = frame.subarray(l2);
    const ihl = (ip[0] & 0x0f) * 4;
    if (ip[9] !== 17) continue;
    const udp = ip.subarray(ihl);
    const udpLen = udp.readUInt16BE(4);
    out.push({ atMs: frameMs - firstMs, payload: Buffer.from(udp.subarray(8, udpLen)) });
  }
  return out;
}

export function udpPayloads(path: string): Buffer[] {
  return udpDatagrams(path).map((d) => d.payload);
}

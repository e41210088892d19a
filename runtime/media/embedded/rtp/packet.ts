// RTP packets (RFC 3550): parsing with validation, and writing the fixed 12-byte header.

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** A view into the datagram (no copy). */
  payload: Uint8Array;
}

export const RTP_HEADER_BYTES = 12;

/** Parses a datagram; returns undefined for anything that is not a well-formed RTP version 2 packet. */
export function parseRtp(buf: Uint8Array): RtpPacket | undefined {
  if (buf.length < RTP_HEADER_BYTES) return undefined;
  const b0 = buf[0];
  if (b0 >> 6 !== 2) return undefined;
  const b1 = buf[1];
  const payloadType = b1 & 0x7f;
  // 72-76 would be RTCP (SR/RR/SDES/BYE/APP) sent to the RTP port (RFC 5761 demultiplexing).
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  let start = RTP_HEADER_BYTES + (b0 & 0x0f) * 4;
  let end = buf.length;
  if (b0 & 0x10) {
    if (start + 4 > end) return undefined;
    start += 4 + ((buf[start + 2] << 8) | buf[start + 3]) * 4;
  }
  if (b0 & 0x20) {
    const pad = buf[end - 1];
    if (pad === 0) return undefined;
    end -= pad;
  }
  if (start > end) return undefined;
  return {
    marker: (b1 & 0x80) !== 0,
    payloadType,
    sequence: (buf[2] << 8) | buf[3],
    timestamp: ((buf[4] << 24) | (buf[5] << 16) | (buf[6] << 8) | buf[7]) >>> 0,
    ssrc: ((buf[8] << 24) | (buf[9] << 16) | (buf[10] << 8) | buf[11]) >>> 0,
    payload: buf.subarray(start, end),
  };
}

/** Writes a version 2 header without CSRCs or extension into `out` (at least 12 bytes); returns `out`. */
export function writeRtpHeader(
  out: Uint8Array,
  h: { marker: boolean; payloadType: number; sequence: number; timestamp: number; ssrc: number },
): Uint8Array {
  out[0] = 0x80;
  out[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  out[2] = (h.sequence >> 8) & 0xff;
  out[3] = h.sequence & 0xff;
  out[4] = (h.timestamp >>> 24) & 0xff;
  out[5] = (h.timestamp >>> 16) & 0xff;
  out[6] = (h.timestamp >>> 8) & 0xff;
  out[7] = h.timestamp & 0xff;
  out[8] = (h.ssrc >>> 24) & 0xff;
  out[9] = (h.ssrc >>> 16) & 0xff;
  out[10] = (h.ssrc >>> 8) & 0xff;
  out[11] = h.ssrc & 0xff;
  return out;
}

/** A whole packet in one new buffer. */
export function serializeRtp(p: RtpPacket): Buffer {
  const buf = Buffer.allocUnsafe(RTP_HEADER_BYTES + p.payload.length);
  writeRtpHeader(buf, p);
  buf.set(p.payload, RTP_HEADER_BYTES);
  return buf;
}

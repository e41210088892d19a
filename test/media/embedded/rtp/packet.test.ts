// RTP packet parsing and writing: fields, CSRC lists, header extensions, padding, and malformed input.
import { describe, expect, it } from 'vitest';
import { parseRtp, serializeRtp } from '../../../../runtime/media/embedded/rtp/packet.ts';

describe('RTP packets', () => {
  it('round-trips every header field', () => {
    const payload = Uint8Array.from([1, 2, 3, 4, 5]);
    const bytes = serializeRtp({
      marker: true,
      payloadType: 8,
      sequence: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      payload,
    });
    expect(bytes.length).toBe(17);
    const p = parseRtp(bytes)!;
    expect(p).toMatchObject({
      marker: true,
      payloadType: 8,
      sequence: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
    });
    expect(Array.from(p.payload)).toEqual([1, 2, 3, 4, 5]);
  });

  it('skips CSRCs and a header extension, and strips padding', () => {
    const head = Buffer.from(
      serializeRtp({
        marker: false,
        payloadType: 0,
        sequence: 7,
        timestamp: 9,
        ssrc: 1,
        payload: new Uint8Array(0),
      }),
    );
    head[0] = 0x80 | 0x20 | 0x10 | 2; // padding, extension, two CSRCs
    const csrcs = Buffer.alloc(8, 0xaa);
    const ext = Buffer.from([0xbe, 0xde, 0x00, 0x01, 9, 9, 9, 9]);
    const body = Buffer.from([10, 20, 30]);
    const pad = Buffer.from([0, 0, 3]);
    const p = parseRtp(Buffer.concat([head, csrcs, ext, body, pad]))!;
    expect(p.sequence).toBe(7);
    expect(Array.from(p.payload)).toEqual([10, 20, 30]);
  });

  it('rejects malformed datagrams', () => {
    const ok = serializeRtp({
      marker: false,
      payloadType: 0,
      sequence: 1,
      timestamp: 1,
      ssrc: 1,
      payload: new Uint8Array(4),
    });
    expect(parseRtp(ok.subarray(0, 11))).toBeUndefined();
    const v1 = Buffer.from(ok);
    v1[0] = 0x40;
    expect(parseRtp(v1)).toBeUndefined();
    const csrcOverrun = Buffer.from(ok);
    csrcOverrun[0] = 0x8f; // 15 CSRCs announced, none present
    expect(parseRtp(csrcOverrun)).toBeUndefined();
    const extOverrun = Buffer.from(ok);
    extOverrun[0] = 0x90;
    expect(parseRtp(Buffer.concat([extOverrun.subarray(0, 12), Buffer.from([0, 0, 0, 50])]))).toBeUndefined();
    const badPad = Buffer.from(ok);
    badPad[0] = 0xa0;
    badPad[badPad.length - 1] = 200;
    expect(parseRtp(badPad)).toBeUndefined();
    const rtcp = Buffer.from(ok);
    rtcp[1] = 200; // an RTCP sender report on the RTP port
    expect(parseRtp(rtcp)).toBeUndefined();
  });
});

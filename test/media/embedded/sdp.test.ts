// SDP offer/answer: parsing, codec and telephone-event negotiation, directions, c= levels.
import { describe, expect, it } from 'vitest';
import { buildSdp, negotiate, parseSdp } from '../../../runtime/media/embedded/sdp.ts';

const offer = (lines: string[]): string =>
  ['v=0', 'o=- 1 1 IN IP4 10.0.0.1', 's=-', 't=0 0', ...lines].join('\r\n') + '\r\n';

describe('parseSdp / negotiate', () => {
  it('takes the offerer’s first supported codec and its telephone-event payload type', () => {
    const o = parseSdp(
      offer([
        'c=IN IP4 10.0.0.1',
        'm=audio 4000 RTP/AVP 18 8 0 96',
        'a=rtpmap:18 G729/8000',
        'a=rtpmap:96 telephone-event/8000',
      ]),
    )!;
    expect(negotiate(o)).toEqual({
      codec: { name: 'PCMA', payloadType: 8 },
      telephoneEvent: 96,
      remote: { address: '10.0.0.1', port: 4000 },
      direction: 'sendrecv',
      held: false,
    });
  });

  it('reads static payload types without rtpmap and a media-level c= over the session one', () => {
    const o = parseSdp(offer(['c=IN IP4 10.0.0.1', 'm=audio 5000 RTP/AVP 0', 'c=IN IP4 10.0.0.9']))!;
    expect(o).toMatchObject({ address: '10.0.0.9', port: 5000, formats: [{ payloadType: 0, name: 'PCMU' }] });
  });

  it('has no common codec for a G.729-only offer (488)', () => {
    const o = parseSdp(offer(['c=IN IP4 10.0.0.1', 'm=audio 4000 RTP/AVP 18', 'a=rtpmap:18 G729/8000']))!;
    expect(negotiate(o)).toBeUndefined();
  });

  it('mirrors directions and marks hold (sendonly, inactive, 0.0.0.0)', () => {
    const dir = (d: string, addr = '10.0.0.1'): unknown => {
      const n = negotiate(parseSdp(offer([`c=IN IP4 ${addr}`, 'm=audio 4000 RTP/AVP 0', `a=${d}`]))!);
      return [n?.direction, n?.held];
    };
    expect(dir('sendonly')).toEqual(['recvonly', true]);
    expect(dir('inactive')).toEqual(['inactive', true]);
    expect(dir('recvonly')).toEqual(['sendonly', false]);
    expect(dir('sendrecv', '0.0.0.0')).toEqual(['sendrecv', true]);
    // a session-level attribute applies when the media has none
    const s = parseSdp(offer(['c=IN IP4 10.0.0.1', 'a=sendonly', 'm=audio 4000 RTP/AVP 0']))!;
    expect(s.direction).toBe('sendonly');
  });

  it('returns undefined without an audio stream or an address', () => {
    expect(parseSdp(offer(['c=IN IP4 10.0.0.1', 'm=video 4000 RTP/AVP 31']))).toBeUndefined();
    expect(parseSdp(offer(['m=audio 4000 RTP/AVP 0']))).toBeUndefined();
    expect(parseSdp('garbage')).toBeUndefined();
  });

  it('builds an answer that parses back to the same stream', () => {
    const text = buildSdp({
      address: '127.0.0.1',
      port: 20000,
      codecs: [{ name: 'PCMU', payloadType: 0 }],
      telephoneEvent: 101,
      direction: 'recvonly',
      sessionId: 7,
      version: 1,
    });
    expect(text).toContain('a=rtpmap:101 telephone-event/8000\r\n');
    expect(negotiate(parseSdp(text)!)).toMatchObject({
      codec: { name: 'PCMU', payloadType: 0 },
      telephoneEvent: 101,
      remote: { address: '127.0.0.1', port: 20000 },
      direction: 'sendonly',
    });
  });
});

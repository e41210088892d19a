// Digits at a session: RFC 4733 once per key (duplicates, lost starts, sipp's captures), SIP INFO, and barge-in.
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RtpSession, PCMU } from '../../../../runtime/media/embedded/rtp/session.ts';
import { sharedMediaClock } from '../../../../runtime/media/embedded/rtp/clock.ts';
import {
  EVENT_MEMORY_MS,
  writeTelephoneEvent,
  TelephoneEventReceiver,
} from '../../../../runtime/media/embedded/rtp/dtmf4733.ts';
import { parseRtp } from '../../../../runtime/media/embedded/rtp/packet.ts';
import { sox, tempDir } from '../../audio/tools.ts';
import { digitsOf, RawPeer, sessionPair, until } from './peers.ts';
import { udpPayloads } from './pcap.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());
const clock = sharedMediaClock();
const SIPP = '/usr/share/sip-tester';

function longTone(): string {
  const path = tmp.file('long.wav');
  sox('-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', '20', 'sine', '440', 'vol', '0.3');
  return path;
}

async function sessionWithRawPeer(): Promise<[RtpSession, RawPeer]> {
  const s = await RtpSession.open();
  const peer = await RawPeer.open();
  s.setRemote({ address: '127.0.0.1', port: peer.port, codec: PCMU, telephoneEvent: 101 });
  return [s, peer];
}

describe('RFC 4733 reception', () => {
  it('reports each key once, with duplicated end packets and with lost start packets', async () => {
    const [b, peer] = await sessionWithRawPeer();
    const got = digitsOf(b);
    let seq = 100;
    let sent = 0;
    const event = (ts: number, code: number, end: boolean, duration: number, marker = false) => {
      const payload = writeTelephoneEvent(new Uint8Array(4), { event: code, end, volume: 10, duration });
      peer.send(b.localPort, { payloadType: 101, sequence: seq++, timestamp: ts, marker, payload });
      sent++;
    };
    // '1' complete, its end packet sent six times.
    event(1000, 1, false, 160, true);
    for (let d = 320; d <= 800; d += 160) event(1000, 1, false, d);
    for (let i = 0; i < 6; i++) event(1000, 1, true, 800);
    // '2' with every start and update packet lost: only the three end packets arrive.
    for (let i = 0; i < 3; i++) event(3000, 2, true, 800);
    // '1' again is a new event (new timestamp).
    event(5000, 1, false, 160, true);
    for (let i = 0; i < 3; i++) event(5000, 1, true, 480);
    await until(() => b.stats().packetsReceived === sent, 10_000, 'all packets at B');
    expect(got.text).toBe('121');
    expect(new Set(got.sources)).toEqual(new Set(['rfc4733']));
    await b.close();
    await peer.close();
  });

  it('detects each digit of sipp’s RFC 2833 captures once', async () => {
    const files = readdirSync(SIPP).filter((f) => /^dtmf_2833_.+\.pcap$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) {
      const expected = file
        .replace(/^dtmf_2833_|\.pcap$/g, '')
        .replace('pound', '#')
        .replace('star', '*');
      const packets = udpPayloads(`${SIPP}/${file}`).filter((p) => parseRtp(p)?.payloadType === 101);
      expect(packets.length).toBeGreaterThan(3);
      // Through the receiver alone...
      const rx = new TelephoneEventReceiver();
      const direct = packets.map((p, i) => rx.receive(parseRtp(p)!, i * 20));
      expect(direct.filter(Boolean)).toEqual([expected]);
      // ...and replayed over UDP into a session.
      const [b, peer] = await sessionWithRawPeer();
      const got = digitsOf(b);
      for (const p of packets) peer.socket.send(p, b.localPort, '127.0.0.1');
      await until(() => b.stats().packetsReceived === packets.length, 10_000, `${file} at B`);
      expect(got.text).toBe(expected);
      await b.close();
      await peer.close();
    }
  });
});

describe('RFC 4733 reception of captures sent again unchanged', () => {
  const zero = () => udpPayloads(`${SIPP}/dtmf_2833_0.pcap`).filter((p) => parseRtp(p)?.payloadType === 101);

  it('reports sipp’s capture of 0 sent three times in a row as three presses', async () => {
    const [b, peer] = await sessionWithRawPeer();
    const got = digitsOf(b);
    const packets = [...zero(), ...zero(), ...zero()];
    for (const p of packets) peer.socket.send(p, b.localPort, '127.0.0.1');
    await until(() => b.stats().packetsReceived === packets.length, 10_000, 'the captures at B');
    expect(got.text).toBe('000');
    await b.close();
    await peer.close();
  });

  it('reports it again without its first packet once the last press is forgotten (media time)', async () => {
    const [b, peer] = await sessionWithRawPeer();
    const got = digitsOf(b);
    const send = async (packets: Buffer[], total: number) => {
      for (const p of packets) peer.socket.send(p, b.localPort, '127.0.0.1');
      await until(() => b.stats().packetsReceived === total, 10_000, 'the capture at B');
    };
    await send(zero(), zero().length);
    // Right away, a copy that lost its marker packet is taken for late packets of the same press...
    await send(zero().slice(1), 2 * zero().length - 1);
    expect(got.text).toBe('0');
    // ...but once the press is forgotten, it is a new one.
    await clock.waitTicks(Math.ceil(EVENT_MEMORY_MS / clock.periodMs) + 2);
    await send(zero().slice(1), 3 * zero().length - 2);
    expect(got.text).toBe('00');
    await b.close();
    await peer.close();
  });
});

describe('digits from several sources', () => {
  it('reports a key sent both as RFC 4733 and as SIP INFO once', async () => {
    const [a, b] = await sessionPair();
    const got = digitsOf(b);
    await a.sendDtmf('4');
    b.injectDtmf('4', 'sip-info'); // the same press, reported again by INFO
    await clock.waitTicks(20); // 400 ms later the same key is a new press
    b.injectDtmf('4', 'sip-info');
    b.injectDtmf('6', 'sip-info');
    b.injectDtmf('6', 'sip-info'); // one source is never de-duplicated: each report is a press
    expect(got.text).toBe('4466');
    expect(got.sources).toEqual(['rfc4733', 'sip-info', 'sip-info', 'sip-info']);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('barge-in', () => {
  it('stops playback within one packet of an RFC 4733 digit', async () => {
    const [a, b] = await sessionPair();
    let sentAtDigit = -1;
    a.on('dtmf', () => (sentAtDigit = a.stats().packetsSent));
    const playing = a.play([{ kind: 'file', path: longTone() }], { bargein: true });
    await until(() => b.stats().packetsReceived >= 10, 10_000, 'playback started');
    await b.sendDtmf('5');
    const result = await playing;
    expect(result).toEqual({ reason: 'interrupted', digit: '5', errors: [] });
    await clock.waitTicks(5);
    expect(sentAtDigit).toBeGreaterThan(0);
    expect(a.stats().packetsSent - sentAtDigit).toBeLessThanOrEqual(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('treats SIP INFO digits the same way, and plays on when barge-in is off', async () => {
    const [a, b] = await sessionPair();
    const got = digitsOf(a);
    const path = longTone();
    const noBargein = a.play([{ kind: 'file', path }], { bargein: false });
    await until(() => a.stats().packetsSent > 0, 10_000, 'playback started');
    a.injectDtmf('3', 'sip-info');
    await clock.waitTicks(3);
    const sent = a.stats().packetsSent;
    await clock.waitTicks(3);
    expect(a.stats().packetsSent).toBeGreaterThan(sent);
    const bargein = a.play([{ kind: 'file', path }], { bargein: true });
    expect((await noBargein).reason).toBe('aborted');
    const started = a.stats().packetsSent;
    await until(() => a.stats().packetsSent > started, 10_000, 'second playback started');
    a.injectDtmf('#', 'sip-info');
    expect(await bargein).toEqual({ reason: 'interrupted', digit: '#', errors: [] });
    expect(got.text).toBe('3#');
    expect(got.sources).toEqual(['sip-info', 'sip-info']);
    expect(() => a.injectDtmf('x', 'sip-info')).toThrow(/DTMF/);
    await expect(a.sendDtmf('12x')).rejects.toThrow(/DTMF/);
    await Promise.all([a.close(), b.close()]);
  });
});

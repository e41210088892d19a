// RtpSession on loopback: play/record between two sessions, send state, symmetric RTP, errors and clean-up.
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { RtpSession, PCMA, PCMU } from '../../../../runtime/media/embedded/rtp/session.ts';
import { sharedMediaClock } from '../../../../runtime/media/embedded/rtp/clock.ts';
import { EspeakTts } from '../../../../runtime/media/audio/tts.ts';
import { readWav } from '../../../../runtime/media/audio/wav.ts';
import { decode } from '../../../../runtime/media/audio/g711.ts';
import { meanEnergy, sox, tempDir, toneEnergy } from '../../audio/tools.ts';
import { RawPeer, sessionPair, until } from './peers.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());
const clock = sharedMediaClock();

function soxTone(name: string, seconds: string, freq = '1000'): string {
  const path = tmp.file(name);
  sox('-n', '-r', '16000', '-c', '1', '-b', '16', path, 'synth', seconds, 'sine', freq, 'vol', '0.5');
  return path;
}

describe('RtpSession between two sessions', () => {
  it.each([
    ['PCMU', PCMU],
    ['PCMA', PCMA],
  ])('plays a WAV from A that B records at the same length and pitch (%s)', async (_name, codec) => {
    const [a, b] = await sessionPair(codec);
    const path = tmp.file(`rec-${codec.name}.wav`);
    const recording = b.record({ path, maxSeconds: 30 });
    const played = await a.play([{ kind: 'file', path: soxTone('one-second.wav', '1') }], { bargein: false });
    expect(played).toEqual({ reason: 'completed', errors: [] });
    await until(() => b.stats().packetsReceived >= 50, 10_000, 'all audio at B');
    await a.sendDtmf('#');
    const result = await recording;
    expect(result.reason).toBe('terminator');
    expect(result.durationMs).toBe(1000);
    const wav = readWav(readFileSync(path));
    expect(wav.sampleRate).toBe(8000);
    expect(wav.samples.length).toBe(8000);
    const body = wav.samples.subarray(400, 7600);
    expect(meanEnergy(body)).toBeGreaterThan(0.8 * ((16384 * 16384) / 2));
    expect(toneEnergy(body, 1000)).toBeGreaterThan(0.9 * meanEnergy(body));
    expect(a.stats().packetsSent).toBeGreaterThanOrEqual(50 + 8);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps sequence and timestamps continuous across prompts, with a marker on each talkspurt', async () => {
    const a = await RtpSession.open();
    const peer = await RawPeer.open();
    a.setRemote({ address: '127.0.0.1', port: peer.port, codec: PCMU });
    const short = soxTone('short.wav', '0.1');
    await a.play(
      [
        { kind: 'file', path: short },
        { kind: 'file', path: short },
      ],
      { bargein: false },
    );
    await clock.waitTicks(3);
    await a.play([{ kind: 'file', path: short }], { bargein: false });
    await until(() => peer.packets.length >= 15, 10_000, 'packets');
    const ps = peer.packets.map((p) => p.packet);
    expect(ps).toHaveLength(15);
    for (let i = 1; i < ps.length; i++) {
      expect(ps[i].sequence).toBe((ps[i - 1].sequence + 1) & 0xffff);
      expect(ps[i].ssrc).toBe(ps[0].ssrc);
    }
    for (let i = 1; i < 10; i++) expect((ps[i].timestamp - ps[i - 1].timestamp) >>> 0).toBe(160);
    // The idle gap advanced the timestamp by whole frames: the receiver can tell how long the silence was.
    const gap = (ps[10].timestamp - ps[9].timestamp) >>> 0;
    expect(gap % 160).toBe(0);
    expect(gap).toBeGreaterThanOrEqual(4 * 160);
    expect(ps.map((p) => p.marker)).toEqual([
      true,
      ...Array(9).fill(false),
      true,
      false,
      false,
      false,
      false,
    ]);
    await a.close();
    await peer.close();
  });

  it('bridges two calls, transcoding PCMU to PCMA and forwarding digits as RFC 4733', async () => {
    const [caller, legIn] = await sessionPair(PCMU);
    const [legOut, agent] = await sessionPair(PCMA);
    legIn.bridge(legOut);
    const agentDigits: string[] = [];
    agent.on('dtmf', (e) => agentDigits.push(`${e.digit}:${e.source}`));
    const path = tmp.file('bridged.wav');
    const recording = agent.record({ path, maxSeconds: 30 });
    await caller.play([{ kind: 'file', path: soxTone('bridge-tone.wav', '0.6', '700') }], { bargein: false });
    await until(() => agent.stats().packetsReceived >= 28, 10_000, 'bridged audio');
    await caller.sendDtmf('9#');
    const result = await recording;
    expect(result.reason).toBe('terminator');
    expect(agentDigits).toEqual(['9:rfc4733', '#:rfc4733']);
    const pcm = readWav(readFileSync(path)).samples;
    expect(result.durationMs).toBeGreaterThanOrEqual(560);
    expect(toneEnergy(pcm.subarray(400, 4000), 700)).toBeGreaterThan(
      0.8 * meanEnergy(pcm.subarray(400, 4000)),
    );
    legOut.unbridge();
    // legOut is still re-sending the '#' event (8 packets and a gap): let it finish first.
    await clock.waitTicks(15);
    const before = agent.stats().packetsReceived;
    await caller.play([{ kind: 'file', path: soxTone('after-unbridge.wav', '0.2') }], { bargein: false });
    await clock.waitTicks(5);
    expect(agent.stats().packetsReceived).toBe(before);
    await Promise.all([caller, legIn, legOut, agent].map((s) => s.close()));
  });

  it('plays music on hold and stops sending when taken off hold', async () => {
    const a = await RtpSession.open({ holdMusic: tmp.file('no-such-moh.wav') });
    const peer = await RawPeer.open();
    a.setRemote({ address: '127.0.0.1', port: peer.port, codec: PCMA });
    a.hold(true);
    expect(a.onHold).toBe(true);
    await until(() => peer.packets.length >= 25, 10_000, 'music on hold');
    const moh = Buffer.concat(peer.packets.map((p) => p.packet.payload));
    expect(meanEnergy(decode('alaw', moh))).toBeGreaterThan(100_000);
    a.hold(false);
    await clock.waitTicks(2);
    const count = peer.packets.length;
    await clock.waitTicks(5);
    expect(peer.packets.length).toBe(count);
    await a.close();
    await peer.close();
  });

  it('plays the configured music-on-hold file, looping it', async () => {
    const moh = soxTone('moh.wav', '0.1', '600');
    const a = await RtpSession.open({ holdMusic: moh });
    const peer = await RawPeer.open();
    a.setRemote({ address: '127.0.0.1', port: peer.port, codec: PCMU });
    a.hold(true);
    await until(() => peer.packets.length >= 40, 10_000, 'music on hold');
    a.hold(false);
    // Skip the first frames (the generated tune plays until the file is loaded), then expect the file's 600 Hz.
    const pcm = decode('ulaw', Buffer.concat(peer.packets.slice(-20).map((p) => p.packet.payload)));
    expect(toneEnergy(pcm, 600)).toBeGreaterThan(0.8 * meanEnergy(pcm));
    await a.close();
    await peer.close();
  });

  it('sends and detects in-band DTMF when no telephone-event was negotiated', async () => {
    const [a, b] = await sessionPair(PCMU, PCMU, null);
    const got: string[] = [];
    b.on('dtmf', (e) => got.push(`${e.digit}:${e.source}`));
    await a.sendDtmf('1*9');
    await until(() => got.length >= 3, 10_000, 'in-band digits');
    expect(got).toEqual(['1:inband', '*:inband', '9:inband']);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('RtpSession playback control', () => {
  it('reports missing files and failed TTS, and goes on with the next source', async () => {
    const a = await RtpSession.open({ tts: new EspeakTts({ command: '/nonexistent/espeak-ng' }) });
    const result = await a.play(
      [
        { kind: 'file', path: tmp.file('missing.wav') },
        { kind: 'tts', text: 'hello' },
        { kind: 'file', path: soxTone('ok.wav', '0.1') },
      ],
      { bargein: false },
    );
    expect(result.reason).toBe('completed');
    expect(result.errors.map((e) => e.source.kind)).toEqual(['file', 'tts']);
    expect(result.errors[0].message).toMatch(/ENOENT/);
    await a.close();
  });

  it('plays TTS through espeak-ng', async () => {
    const [a, b] = await sessionPair();
    const result = await a.play([{ kind: 'tts', text: 'one two', voice: 'en' }], { bargein: false });
    expect(result).toEqual({ reason: 'completed', errors: [] });
    await until(() => b.stats().packetsReceived >= 10, 10_000, 'speech packets');
    await Promise.all([a.close(), b.close()]);
  });

  it('aborts on the signal and when a newer play starts', async () => {
    const a = await RtpSession.open();
    const long = soxTone('long.wav', '10');
    const ac = new AbortController();
    const first = a.play([{ kind: 'file', path: long }], { bargein: false, signal: ac.signal });
    await clock.waitTicks(2);
    ac.abort();
    expect((await first).reason).toBe('aborted');
    const older = a.play([{ kind: 'file', path: long }], { bargein: false });
    const newer = a.play([{ kind: 'file', path: soxTone('tiny.wav', '0.05') }], { bargein: false });
    expect((await older).reason).toBe('aborted');
    expect((await newer).reason).toBe('completed');
    await a.close();
  });

  it('ends a running play with hungup and saves a running recording on close', async () => {
    const [a, b] = await sessionPair();
    const playing = a.play([{ kind: 'file', path: soxTone('long2.wav', '10') }], { bargein: true });
    const path = tmp.file('hungup.wav');
    const recording = b.record({ path, maxSeconds: 60 });
    await until(() => b.stats().packetsReceived >= 10, 10_000, 'audio');
    await Promise.all([a.close(), b.close()]);
    expect((await playing).reason).toBe('hungup');
    const rec = await recording;
    expect(rec.reason).toBe('hungup');
    expect(rec.durationMs).toBeGreaterThanOrEqual(200);
    expect(readWav(readFileSync(path)).samples.length).toBe(rec.durationMs * 8);
    expect((await a.play([{ kind: 'file', path }], { bargein: false })).reason).toBe('hungup');
  });

  it('stops a recording at its maximum time with a beep first', async () => {
    const [a, b] = await sessionPair();
    const path = tmp.file('max.wav');
    const beeps = a.stats().packetsReceived;
    void a.play([{ kind: 'file', path: soxTone('talk.wav', '5', '400') }], { bargein: false });
    const rec = await b.record({ path, maxSeconds: 0.5, beep: true });
    expect(rec.reason).toBe('max-time');
    expect(rec.durationMs).toBe(500);
    expect(readWav(readFileSync(path)).samples.length).toBe(4000);
    // The 200 ms beep reached A before recording began.
    expect(a.stats().packetsReceived - beeps).toBeGreaterThanOrEqual(10);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('RtpSession recording limits', () => {
  it('ends at the maximum time by media time when nothing is received', async () => {
    const [a, b] = await sessionPair();
    const rec = await b.record({ path: tmp.file('empty.wav'), maxSeconds: 0.1 });
    expect(rec).toMatchObject({ reason: 'max-time', durationMs: 0 });
    expect(readWav(readFileSync(rec.path)).samples.length).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('ends with aborted on the signal', async () => {
    const [a, b] = await sessionPair();
    const ac = new AbortController();
    const rec = b.record({ path: tmp.file('aborted.wav'), maxSeconds: 30, signal: ac.signal });
    await clock.waitTicks(2);
    ac.abort();
    expect((await rec).reason).toBe('aborted');
    await Promise.all([a.close(), b.close()]);
  });
});

describe('RtpSession transport', () => {
  it('answers where the media comes from (symmetric RTP), not the announced port', async () => {
    const a = await RtpSession.open();
    const announced = await RawPeer.open();
    const actual = await RawPeer.open();
    a.setRemote({ address: '127.0.0.1', port: announced.port, codec: PCMU });
    actual.send(a.localPort, { payload: new Uint8Array(160).fill(0xff) });
    await until(() => a.stats().packetsReceived === 1, 10_000, 'first packet');
    await a.play([{ kind: 'file', path: soxTone('sym.wav', '0.1') }], { bargein: false });
    await until(() => actual.packets.length >= 5, 10_000, 'packets at the real source');
    expect(announced.packets).toHaveLength(0);
    // After latching, packets from elsewhere are not taken (the socket is connected to the latched source).
    announced.send(a.localPort, { payload: new Uint8Array(160) });
    actual.send(a.localPort, { sequence: 1, payload: new Uint8Array(160).fill(0xff) });
    await until(() => a.stats().packetsReceived === 2, 10_000, 'second packet from the real source');
    await clock.waitTicks(2);
    expect(a.stats().packetsReceived).toBe(2);
    // A re-INVITE announcing another address sends there until media from it latches again.
    const moved = await RawPeer.open();
    a.setRemote({ address: '127.0.0.1', port: moved.port, codec: PCMU });
    const tail = soxTone('sym2.wav', '0.06');
    await a.play([{ kind: 'file', path: tail }], { bargein: false });
    await until(() => moved.packets.length === 3, 10_000, 'packets at the re-announced address');
    const fromMoved = await RawPeer.open();
    fromMoved.send(a.localPort, { payload: new Uint8Array(160).fill(0xff) });
    await until(() => a.stats().packetsReceived === 3, 10_000, 'packet from the new source');
    await a.play([{ kind: 'file', path: tail }], { bargein: false });
    await until(() => fromMoved.packets.length === 3, 10_000, 'packets at the newly latched source');
    expect(moved.packets).toHaveLength(3);
    await Promise.all([moved.close(), fromMoved.close()]);
    await a.close();
    await Promise.all([announced.close(), actual.close()]);
  });

  it('reports a media timeout when nothing arrives', async () => {
    const a = await RtpSession.open({ mediaTimeoutMs: 100 });
    a.setRemote({ address: '127.0.0.1', port: 9, codec: PCMU });
    let timeouts = 0;
    a.on('timeout', () => timeouts++);
    await until(() => timeouts === 1, 10_000, 'timeout');
    await clock.waitTicks(10);
    expect(timeouts).toBe(1);
    await a.close();
  });

  it('follows the SDP direction: no sending when recvonly, no media timeout when the remote only listens', async () => {
    const a = await RtpSession.open({ mediaTimeoutMs: 60 });
    const peer = await RawPeer.open();
    a.setRemote({ address: '127.0.0.1', port: peer.port, codec: PCMU });
    let timeouts = 0;
    a.on('timeout', () => timeouts++);
    a.setDirection('inactive');
    const result = await a.play([{ kind: 'file', path: soxTone('dir.wav', '0.2') }], { bargein: false });
    expect(result.reason).toBe('completed');
    expect(a.stats().packetsSent).toBe(0);
    expect(timeouts).toBe(0);
    a.setDirection('sendrecv');
    await a.play([{ kind: 'file', path: soxTone('dir.wav', '0.2') }], { bargein: false });
    await until(() => peer.packets.length === 10, 10_000, 'packets after sendrecv');
    await until(() => timeouts === 1, 10_000, 'timeout once receiving is expected again');
    await a.close();
    await peer.close();
  });

  it('binds even ports in the range and frees everything on close', async () => {
    // A small range, placed at random between the default RTP range and the ephemeral ports, so that parallel
    // runs of this test do not meet.
    const min = 30000 + 2 * Math.floor(Math.random() * 1300);
    const range = { min, max: min + 11 };
    const sessions = await Promise.all(Array.from({ length: 6 }, () => RtpSession.open({ ports: range })));
    const ports = sessions.map((s) => s.localPort);
    expect(new Set(ports).size).toBe(6);
    for (const p of ports) {
      expect(p % 2).toBe(0);
      expect(p).toBeGreaterThanOrEqual(range.min);
      expect(p).toBeLessThanOrEqual(range.max);
    }
    await expect(RtpSession.open({ ports: range })).rejects.toThrow(/no free RTP port/);
    await Promise.all(sessions.map((s) => s.close()));
    expect(clock.size).toBe(0);
    expect(clock.running).toBe(false);
    const again = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(ports[0], '127.0.0.1', () => resolve());
    });
    again.close();
  });
});

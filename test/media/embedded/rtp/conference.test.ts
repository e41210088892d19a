// RTP sessions in a mix and on hold: real sessions on loopback, each "phone" another session that records what
// it hears; verdicts from the recorded audio (Goertzel), digits from the phones' own events.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decode } from '../../../../runtime/media/audio/g711.ts';
import { readWav } from '../../../../runtime/media/audio/wav.ts';
import { MediaClock, sharedMediaClock } from '../../../../runtime/media/embedded/rtp/clock.ts';
import { Mixer } from '../../../../runtime/media/embedded/rtp/mixer.ts';
import { PCMA, PCMU, RtpSession } from '../../../../runtime/media/embedded/rtp/session.ts';
import { presence } from '../../hearing.ts';
import { sox, tempDir } from '../../audio/tools.ts';
import { RawPeer, sessionPair, until } from './peers.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());
const clock = sharedMediaClock();

function sine(name: string, seconds: number, hz: number): string {
  const path = tmp.file(name);
  sox('-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', `${seconds}`, 'sine', `${hz}`, 'vol', '0.3');
  return path;
}

/** What `phone` receives for `seconds` of media time, recorded and read back. */
async function hears(phone: RtpSession, name: string, seconds: number): Promise<Int16Array> {
  const path = tmp.file(name);
  await phone.record({ path, maxSeconds: seconds, terminators: '' });
  return readWav(readFileSync(path)).samples;
}

describe('RtpSession in a conference mix', () => {
  it('hears the other members (PCMU and PCMA) and not itself; digits stay with their member', async () => {
    const [phoneA, legA] = await sessionPair(PCMU);
    const [phoneB, legB] = await sessionPair(PCMA);
    const mixer = new Mixer(clock);
    const ports = [mixer.add(), mixer.add()];
    legA.attach(ports[0]);
    legB.attach(ports[1]);
    const digitsA: string[] = [];
    const digitsB: string[] = [];
    legA.on('dtmf', (e) => digitsA.push(e.digit));
    phoneB.on('dtmf', (e) => digitsB.push(e.digit));
    const talkA = phoneA.play([{ kind: 'file', path: sine('a.wav', 3, 600) }], { bargein: false });
    const talkB = phoneB.play([{ kind: 'file', path: sine('b.wav', 3, 900) }], { bargein: false });
    const [atA, atB] = await Promise.all([hears(phoneA, 'at-a.wav', 1.5), hears(phoneB, 'at-b.wav', 1.5)]);
    expect(presence(atA.subarray(1600), 900)).toBeGreaterThan(0.8);
    expect(presence(atA.subarray(1600), 600)).toBeLessThan(0.04);
    expect(presence(atB.subarray(1600), 600)).toBeGreaterThan(0.8);
    expect(presence(atB.subarray(1600), 900)).toBeLessThan(0.04);
    await phoneA.sendDtmf('5');
    await until(() => digitsA.length === 1, 5000, 'the digit at A');
    await clock.waitTicks(10);
    expect([digitsA, digitsB]).toEqual([['5'], []]);
    for (const p of ports) mixer.remove(p);
    await Promise.all([phoneA, legA, phoneB, legB].map((s) => s.close()));
    expect((await Promise.all([talkA, talkB])).map((r) => r.reason)).toEqual(['hungup', 'hungup']);
  });

  it('refuses a mixer on another media clock', async () => {
    const session = await RtpSession.open();
    const foreign = new Mixer(new MediaClock());
    const port = foreign.add();
    expect(() => session.attach(port)).toThrow(/another media clock/);
    foreign.remove(port);
    await session.close();
  });
});

describe('RtpSession held by the runtime', () => {
  it('plays the given music; the phone taking the call off hold does not end the runtime hold', async () => {
    const a = await RtpSession.open({ holdMusic: tmp.file('no-such-moh.wav') });
    const peer = await RawPeer.open();
    a.setRemote({ address: '127.0.0.1', port: peer.port, codec: PCMU });
    const heardFrom = (at: number) =>
      decode('ulaw', Buffer.concat(peer.packets.slice(at).map((p) => p.packet.payload)));
    a.hold(true, 'remote');
    a.hold(true, 'runtime', { kind: 'file', path: sine('music.wav', 1, 1800) });
    await until(() => peer.packets.length >= 30, 10_000, 'music');
    a.hold(false, 'remote');
    let from = peer.packets.length;
    await until(() => peer.packets.length >= from + 20, 10_000, 'more music');
    expect(presence(heardFrom(from), 1800)).toBeGreaterThan(0.9);
    a.hold(false, 'runtime');
    await clock.waitTicks(2);
    from = peer.packets.length;
    await clock.waitTicks(5);
    expect(peer.packets.length).toBe(from);
    await a.close();
    await peer.close();
  });

  it('forwards neither voice nor digits across a bridge while held, and both again after', async () => {
    const [caller, legIn] = await sessionPair(PCMU);
    const [legOut, agent] = await sessionPair(PCMU);
    legIn.bridge(legOut);
    const atAgent: string[] = [];
    const atLeg: string[] = [];
    agent.on('dtmf', (e) => atAgent.push(e.digit));
    legIn.on('dtmf', (e) => atLeg.push(e.digit));
    legIn.hold(true, 'runtime', { kind: 'file', path: sine('moh2.wav', 1, 1800) });
    const talk = caller.play([{ kind: 'file', path: sine('caller.wav', 4, 600) }], { bargein: false });
    const held = await hears(agent, 'agent-held.wav', 1);
    await caller.sendDtmf('7');
    await until(() => atLeg.length === 1, 5000, 'the digit at the held leg');
    await clock.waitTicks(10);
    expect(presence(held, 600)).toBeLessThan(0.04);
    expect(atAgent).toEqual([]);
    legIn.hold(false, 'runtime');
    const after = await hears(agent, 'agent-after.wav', 1);
    expect(presence(after.subarray(2400), 600)).toBeGreaterThan(0.8);
    await caller.sendDtmf('8');
    await until(() => atAgent.length === 1, 5000, 'the digit at the agent');
    expect([atLeg, atAgent]).toEqual([['7', '8'], ['8']]);
    await Promise.all([caller, legIn, legOut, agent].map((s) => s.close()));
    await talk;
  });
});

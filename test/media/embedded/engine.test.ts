// EmbeddedEngine against real sipp callers: answer, play, RFC 2833 and SIP INFO digits, CANCEL, BYE, OPTIONS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallLeg, DtmfEvent, PlayResult } from '../../../runtime/media/contract.ts';
import { EmbeddedEngine } from '../../../runtime/media/embedded/engine.ts';
import { killPeers, runSipp, waitFor } from './sip/peers.ts';

let dir: string;
let wav: string;
let engine: EmbeddedEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'engine-'));
  wav = join(dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', wav, 'synth', '8', 'sine', '440']);
  engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    transports: ['udp', 'tcp'],
    userAgent: 'test',
  });
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => killPeers());

const target = (): string => `127.0.0.1:${engine.sipPort}`;

/** Waits for the next incoming leg. */
function nextCall(): Promise<CallLeg> {
  return new Promise((resolve) => {
    const on = (leg: CallLeg): void => {
      engine.off('incoming', on);
      resolve(leg);
    };
    engine.on('incoming', on);
  });
}

/** Collects digits until `count` arrived or the leg ended. */
function collectDigits(leg: CallLeg, count: number): { digits: DtmfEvent[]; done: Promise<void> } {
  const digits: DtmfEvent[] = [];
  const done = new Promise<void>((resolve) => {
    leg.on('dtmf', (e) => {
      digits.push(e);
      if (digits.length >= count) resolve();
    });
    leg.on('hangup', () => resolve());
  });
  return { digits, done };
}

describe('inbound calls from sipp', () => {
  it('answers, plays a WAV with barge-in, gets RFC 2833 digits once each, hangs up', async () => {
    const incoming = nextCall();
    const sipp = await runSipp('uac_dtmf.xml', target());
    const leg = await incoming;
    expect(leg).toMatchObject({ direction: 'inbound', state: 'ringing', from: '5551234', to: '900' });
    await leg.answer();
    expect(leg.state).toBe('answered');
    const { digits, done } = collectDigits(leg, 3);
    const played = await leg.play([{ kind: 'file', path: wav }], { bargein: true });
    expect(played).toMatchObject({ reason: 'interrupted', digit: '1' });
    await done;
    await leg.hangup();
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(digits.map((d) => d.digit).join('')).toBe('15#');
    expect(digits.every((d) => d.source === 'rfc4733')).toBe(true);
  });
});

describe('more inbound calls from sipp', () => {
  it('takes SIP INFO digits (dtmf-relay and application/dtmf), each once', async () => {
    const incoming = nextCall();
    const sipp = await runSipp('uac_info.xml', target());
    const leg = await incoming;
    const { digits, done } = collectDigits(leg, 2);
    await leg.answer();
    await done;
    await leg.hangup();
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(digits.map((d) => `${d.digit}/${d.source}`)).toEqual(['4/sip-info', '7/sip-info']);
  });

  it('CANCEL before answer: 200 to the CANCEL, 487 to the INVITE, the leg ends by the remote', async () => {
    const incoming = nextCall();
    const sipp = await runSipp('uac_cancel.xml', target());
    const leg = await incoming;
    const hangup = new Promise<unknown>((resolve) => leg.on('hangup', resolve));
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(await hangup).toEqual({ cause: 'caller-hangup', by: 'remote' });
    expect(leg.state).toBe('ended');
    await expect(leg.answer()).rejects.toThrow();
  });

  it('caller BYE during playback: play ends hungup, the hangup event says remote; PCMA is negotiated', async () => {
    const incoming = nextCall();
    const sipp = await runSipp('uac_bye.xml', target());
    const leg = await incoming;
    const hangup = new Promise<unknown>((resolve) => leg.on('hangup', resolve));
    await leg.answer();
    const played: PlayResult = await leg.play([{ kind: 'file', path: wav }], { bargein: false });
    expect(played.reason).toBe('hungup');
    expect(await hangup).toEqual({ cause: 'caller-hangup', by: 'remote' });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
  });

  it('a BYE that overtakes the ACK settles the answer and ends the leg as a caller hang-up', async () => {
    const incoming = nextCall();
    const sipp = await runSipp('uac_bye_before_ack.xml', target());
    const leg = await incoming;
    const hangup = new Promise<unknown>((resolve) => leg.on('hangup', resolve));
    // Without the ACK, answer() used to wait 64*T1 and then reject, ending the leg as a local error.
    await expect(leg.answer()).resolves.toBeUndefined();
    expect(await hangup).toEqual({ cause: 'caller-hangup', by: 'remote' });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
  });

  it('answers OPTIONS with 200 and Allow', async () => {
    const sipp = await runSipp('uac_options.xml', target());
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
  });

  it('works over TCP too', async () => {
    const incoming = nextCall();
    const sipp = await runSipp('uac_wait_bye.xml', target(), { transport: 't1' });
    const leg = await incoming;
    await leg.answer();
    await leg.hangup();
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(result.messages).toContain('SIP/2.0/TCP');
  });

  it('releases dialogs and legs after the calls', async () => {
    await waitFor(() => engine.stats.legs === 0 && engine.stats.dialogs === 0, 5000, 'no live calls');
  });
});

describe('drain', () => {
  it('answers new INVITEs with 503 while draining', async () => {
    const drained = new EmbeddedEngine({ host: '127.0.0.1', sipPort: 0, transports: ['udp'] });
    drained.on('incoming', () => {
      throw new Error('no call expected');
    });
    await drained.start();
    try {
      void drained.drain();
      const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${drained.sipPort}`, { timeoutSec: 10 });
      const result = await sipp.done;
      expect(result.code).not.toBe(0);
      expect(result.messages).toMatch(/SIP\/2\.0 503 Service Unavailable/);
    } finally {
      await drained.stop();
    }
  });
});

describe('media timeout', () => {
  it('ends a call whose caller sends no RTP: hangup media-timeout by local, the caller gets BYE', async () => {
    const quiet = new EmbeddedEngine({
      host: '127.0.0.1',
      sipPort: 0,
      transports: ['udp'],
      mediaTimeoutMs: 1000,
    });
    await quiet.start();
    try {
      const incoming = new Promise<CallLeg>((resolve) => quiet.on('incoming', resolve));
      const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${quiet.sipPort}`);
      const leg = await incoming;
      const ended = new Promise<unknown>((resolve) => leg.on('hangup', resolve));
      await leg.answer();
      expect(await ended).toEqual({ cause: 'media-timeout', by: 'local' });
      const result = await sipp.done;
      expect(result.code, result.errors).toBe(0);
    } finally {
      await quiet.stop();
    }
  });
});

// Registrar and outbound calls against real peers: sipp REGISTER with digest auth, baresip as extension 801.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OriginateError } from '../../../runtime/media/contract.ts';
import { EmbeddedEngine } from '../../../runtime/media/embedded/engine.ts';
import { killPeers, runSipp, startBaresip, waitFor } from './sip/peers.ts';

let engine: EmbeddedEngine;
let dir: string;
let wav: string;
const events: { user: string; registered: boolean }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'registrar-'));
  wav = join(dir, 'tone.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', wav, 'synth', '1', 'sine', '440']);
  engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    extensions: [
      { number: '801', password: 'pw-801' },
      { number: '802', password: 'pw-802' },
    ],
  });
  engine.on('registration', (ev) => events.push(ev));
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => killPeers());

describe('REGISTER with digest authentication (sipp)', () => {
  it('challenges, accepts the right password, unregisters with Expires: 0', async () => {
    const seen: unknown[] = [];
    const onReg = (ev: { user: string; registered: boolean }): void => {
      if (ev.user === '802')
        seen.push({ ...ev, bindings: engine.registrations().filter((r) => r.user === '802') });
    };
    engine.on('registration', onReg);
    const sipp = await runSipp('uac_register.xml', `127.0.0.1:${engine.sipPort}`, {
      service: '802',
      extra: ['-au', '802', '-ap', 'pw-802'],
    });
    const result = await sipp.done;
    engine.off('registration', onReg);
    expect(result.code, result.errors).toBe(0);
    expect(seen).toEqual([
      {
        user: '802',
        registered: true,
        bindings: [
          expect.objectContaining({
            user: '802',
            transport: 'udp',
            contact: expect.stringMatching(/^sip:802@127\.0\.0\.1:\d+$/),
          }),
        ],
      },
      { user: '802', registered: false, bindings: [] },
    ]);
    expect(result.messages.match(/SIP\/2\.0 401 Unauthorized/g)).toHaveLength(1);
  });

  it('rejects a wrong password with another 401', async () => {
    const sipp = await runSipp('uac_register.xml', `127.0.0.1:${engine.sipPort}`, {
      service: '802',
      extra: ['-au', '802', '-ap', 'wrong'],
    });
    const result = await sipp.done;
    expect(result.code).not.toBe(0);
    // The second 401 is unexpected for the scenario, so sipp logs it twice (received, then aborted on).
    expect(result.messages.match(/SIP\/2\.0 401 Unauthorized/g)?.length).toBeGreaterThanOrEqual(2);
    expect(engine.registrations().some((r) => r.user === '802')).toBe(false);
  });
});

describe('baresip as extension 801', () => {
  it('registers with digest auth, answers an originate, hears our audio, gets our BYE, unregisters', async () => {
    const phone = await startBaresip({
      registrar: `127.0.0.1:${engine.sipPort}`,
      user: '801',
      password: 'pw-801',
    });
    try {
      await waitFor(
        () => engine.registrations().find((r) => r.user === '801'),
        10_000,
        'baresip registration',
      );
      expect(events).toContainEqual({ user: '801', registered: true });
      const leg = await engine.originate(
        { kind: 'extension', number: '801' },
        { from: '100', timeoutSec: 10 },
      );
      expect(leg).toMatchObject({ direction: 'outbound', state: 'answered', to: '801' });
      const played = await leg.play([{ kind: 'file', path: wav }], { bargein: false });
      expect(played.reason).toBe('completed');
      const hangup = new Promise<unknown>((resolve) => leg.on('hangup', resolve));
      await leg.hangup();
      expect(await hangup).toEqual({ cause: 'normal', by: 'local' });
      // 1 s of 8 kHz 16-bit audio is 16 000 bytes: baresip decoded what we played.
      await waitFor(() => phone.heardBytes() > 8000, 5000, 'audio at baresip');
    } finally {
      await phone.stop();
    }
    await waitFor(() => events.some((e) => e.user === '801' && !e.registered), 5000, 'unregistration');
    expect(engine.registrations().some((r) => r.user === '801')).toBe(false);
  });

  it('refuses unknown and unregistered extensions', async () => {
    await expect(
      engine.originate({ kind: 'extension', number: '999' }, { from: '100' }),
    ).rejects.toMatchObject({
      outcome: 'not-found',
      sipStatus: 404,
    });
    const err = await engine
      .originate({ kind: 'extension', number: '801' }, { from: '100' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OriginateError);
    expect(err).toMatchObject({ outcome: 'unavailable', sipStatus: 480 });
  });
});

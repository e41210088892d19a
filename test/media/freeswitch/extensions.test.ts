// Extensions on the FreeSWITCH engine. Without servers: which extension an originate can reach. With
// IVR_DRACHTIO and IVR_FREESWITCH: sipp registers through drachtio-server with digest authentication.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FreeswitchEngine } from '../../../runtime/media/freeswitch/engine.ts';
import { killPeers, runSipp } from '../embedded/sip/peers.ts';
import { engineOptions, freeswitchEnv } from './env.ts';

const ACCOUNTS = [
  { number: '801', password: 'pw-801' },
  { number: '802', password: 'pw-802' },
];

describe('originate to an extension (no servers needed: it fails before any SIP)', () => {
  const engine = new FreeswitchEngine({
    drachtio: { host: '127.0.0.1', port: 9, secret: 'unused' },
    mediaServers: [{ address: '127.0.0.1', port: 9, secret: 'unused' }],
    ttsDir: '/nonexistent',
    holdMusic: '/nonexistent/moh.wav',
  });
  engine.setAccounts(ACCOUNTS);

  it('answers not-found for a number that is no extension', async () => {
    await expect(
      engine.originate({ kind: 'extension', number: '999' }, { from: '100' }),
    ).rejects.toMatchObject({
      outcome: 'not-found',
      sipStatus: 404,
    });
  });

  it('answers unavailable for an extension that is not registered', async () => {
    await expect(
      engine.originate({ kind: 'extension', number: '801' }, { from: '100' }),
    ).rejects.toMatchObject({
      outcome: 'unavailable',
      sipStatus: 480,
    });
    expect(engine.registrations()).toEqual([]);
  });
});

const env = freeswitchEnv();

describe.skipIf(!env)('REGISTER through drachtio-server (IVR_DRACHTIO and IVR_FREESWITCH)', () => {
  let engine: FreeswitchEngine;

  beforeAll(async () => {
    engine = new FreeswitchEngine(engineOptions(env!, { holdMusic: '/nonexistent/moh.wav', ttsDir: '/tmp' }));
    engine.setAccounts(ACCOUNTS);
    await engine.start();
  });
  afterEach(() => killPeers());
  afterAll(async () => {
    await engine?.stop();
  });

  it('challenges, accepts the right password, lists the binding, unregisters with Expires: 0', async () => {
    const seen: unknown[] = [];
    engine.on('registration', (ev) => seen.push({ ...ev, bindings: engine.registrations() }));
    const sipp = await runSipp('uac_register.xml', `127.0.0.1:${engine.sipPort}`, {
      service: '802',
      extra: ['-au', '802', '-ap', 'pw-802'],
    });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(seen).toEqual([
      {
        user: '802',
        registered: true,
        bindings: [
          expect.objectContaining({
            user: '802',
            contact: expect.stringMatching(/^sip:802@127\.0\.0\.1:\d+/),
          }),
        ],
      },
      { user: '802', registered: false, bindings: [] },
    ]);
    expect(result.messages.match(/SIP\/2\.0 401 Unauthorized/g)).toHaveLength(1);
  });

  it('rejects a wrong password with another 401 and binds nothing', async () => {
    const sipp = await runSipp('uac_register.xml', `127.0.0.1:${engine.sipPort}`, {
      service: '802',
      extra: ['-au', '802', '-ap', 'wrong'],
    });
    const result = await sipp.done;
    expect(result.code).not.toBe(0);
    expect(engine.registrations()).toEqual([]);
  });
});
